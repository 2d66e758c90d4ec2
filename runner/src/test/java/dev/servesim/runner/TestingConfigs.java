package dev.servesim.runner;

import dev.servesim.api.ServesimPlugin;
import dev.servesim.api.metrics.MetricSink;
import dev.servesim.api.metrics.MetricSinkFactory;
import dev.servesim.api.metrics.SinkContext;
import dev.servesim.runner.config.ConfigSource;
import dev.servesim.runner.config.Overrides;
import dev.servesim.runner.sinks.BuiltinSinksPlugin;
import java.util.List;
import java.util.function.Supplier;

/** Registry and config helpers for runner tests. */
final class TestingConfigs {

    private TestingConfigs() {}

    static PluginRegistry registry() {
        return PluginRegistry.of(registryPlugins());
    }

    /** The plugins of {@link #registry()}: run plugin, built-in sinks, a cache plugin. */
    static List<dev.servesim.api.ServesimPlugin> registryPlugins() {
        return List.of(new TestingRunPlugin(), new BuiltinSinksPlugin(),
                new dev.servesim.api.ServesimPlugin() {
                    @Override
                    public String name() {
                        return "testing-cache";
                    }

                    @Override
                    public List<dev.servesim.api.cache.KvCacheStrategyFactory<?>> kvCacheStrategyFactories() {
                        return List.of(new dev.servesim.api.cache.KvCacheStrategyFactory<NoSettings>() {
                            @Override
                            public String name() {
                                return "disabled";
                            }

                            @Override
                            public String description() {
                                return "nothing cached";
                            }

                            @Override
                            public Class<NoSettings> configType() {
                                return NoSettings.class;
                            }

                            @Override
                            public dev.servesim.api.cache.KvCacheStrategy create(NoSettings config,
                                    dev.servesim.api.cache.CacheContext context) {
                                return new TestingKvCacheStrategy(context.blocks());
                            }
                        });
                    }
                });
    }

    /** Cache strategy without settings. */
    public record NoSettings() {}

    /** A plugin whose only extension is the sink {@code name}, without settings, each run getting {@code sink}'s. */
    static ServesimPlugin sinkPlugin(String name, Supplier<MetricSink> sink) {
        return new ServesimPlugin() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public List<MetricSinkFactory<?>> metricSinkFactories() {
                return List.of(new MetricSinkFactory<NoSettings>() {
                    @Override
                    public String name() {
                        return name;
                    }

                    @Override
                    public String description() {
                        return "a test sink";
                    }

                    @Override
                    public Class<NoSettings> configType() {
                        return NoSettings.class;
                    }

                    @Override
                    public MetricSink create(NoSettings config, SinkContext context) {
                        return sink.get();
                    }
                });
            }
        };
    }

    static RunConfiguration load(String yaml, String... overrides) {
        ConfigSource source = ConfigSource.parse(yaml, "test.yaml", false);
        Overrides.apply(source, List.of(overrides));
        return new ConfigLoader(registry()).bind(source, "test");
    }
}
