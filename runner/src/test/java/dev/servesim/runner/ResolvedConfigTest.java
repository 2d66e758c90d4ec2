package dev.servesim.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;
import dev.servesim.api.ServesimException;
import dev.servesim.api.ServesimPlugin;
import dev.servesim.api.cache.CacheContext;
import dev.servesim.api.cache.KvCacheStrategy;
import dev.servesim.api.cache.KvCacheStrategyFactory;
import dev.servesim.runner.config.ConfigSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** A factory's {@code resolve} and enum keys named by {@code @JsonValue}, as the binder and the schema see them. */
class ResolvedConfigTest {

    /** An enum key whose values are written in lower case, read ignoring case. */
    public enum Order {
        LEAST_RECENT("least-recent"),
        FIRST_IN("first-in");

        private final String value;

        Order(String value) {
            this.value = value;
        }

        @JsonValue
        public String value() {
            return value;
        }

        @JsonCreator
        public static Order of(String text) {
            for (Order order : values()) {
                if (order.value.equals(text.toLowerCase(Locale.ROOT))) {
                    return order;
                }
            }
            throw new IllegalArgumentException("must be one of [least-recent, first-in], got " + text);
        }
    }

    /** A preset name whose block count only the factory knows (as a model's shapes come from its file). */
    public record PresetSettings(String preset, Integer blocks, Order order) {
        public PresetSettings {
            preset = dev.servesim.api.ConfigValues.orDefault(preset, "small");
            order = dev.servesim.api.ConfigValues.orDefault(order, Order.LEAST_RECENT);
        }
    }

    /** Counts its resolutions. */
    private static final class PresetFactory implements KvCacheStrategyFactory<PresetSettings> {

        private final List<PresetSettings> resolved = new ArrayList<>();

        @Override
        public String name() {
            return "preset";
        }

        @Override
        public String description() {
            return "a cache sized by a preset";
        }

        @Override
        public Class<PresetSettings> configType() {
            return PresetSettings.class;
        }

        @Override
        public PresetSettings resolve(PresetSettings config) {
            resolved.add(config);
            int blocks = switch (config.preset()) {
                case "small" -> 8;
                case "large" -> 64;
                default -> throw ServesimException.config("preset", "unknown preset '" + config.preset()
                        + "'; known: small, large");
            };
            if (config.blocks() != null && config.blocks() > blocks) {
                throw ServesimException.config("blocks", "must be at most the " + blocks + " of preset "
                        + config.preset() + ", got " + config.blocks());
            }
            return new PresetSettings(config.preset(), config.blocks() == null ? blocks : config.blocks(),
                    config.order());
        }

        @Override
        public KvCacheStrategy create(PresetSettings config, CacheContext context) {
            return new TestingKvCacheStrategy(context.blocks());
        }
    }

    private final PresetFactory factory = new PresetFactory();

    private PluginRegistry registry() {
        List<ServesimPlugin> plugins = new ArrayList<>(TestingConfigs.registryPlugins());
        plugins.add(new ServesimPlugin() {
            @Override
            public String name() {
                return "testing-preset";
            }

            @Override
            public List<KvCacheStrategyFactory<?>> kvCacheStrategyFactories() {
                return List.of(factory);
            }
        });
        return PluginRegistry.of(plugins);
    }

    private RunConfiguration load(String cache) {
        String yaml = """
                framework: {name: serial}
                cache: %s
                workload: {source: scripted, arrivals: [0.0]}
                """.formatted(cache);
        return new ConfigLoader(registry()).bind(ConfigSource.parse(yaml, "test.yaml", false), "test");
    }

    @Test
    void theBoundSectionIsTheFactorysResolvedConfiguration() {
        RunConfiguration configuration = load("{strategy: preset, preset: large, order: First-In}");

        assertThat(configuration.cache().config()).isEqualTo(new PresetSettings("large", 64, Order.FIRST_IN));
        assertThat(factory.resolved).containsExactly(new PresetSettings("large", null, Order.FIRST_IN));
        assertThat(configuration.resolvedYaml()).contains("""
                cache:
                  strategy: preset
                  preset: large
                  blocks: 64
                  order: first-in
                """);
        // the resolved file reads back to the same configuration
        RunConfiguration again = new ConfigLoader(registry()).bind(
                ConfigSource.parse(configuration.resolvedYaml(), "resolved.yaml", false), "test");
        assertThat(again.cache().config()).isEqualTo(configuration.cache().config());
    }

    @Test
    void whatTheFactoryRefusesIsAProblemNamingTheKeyAndItsPlace() {
        assertThatThrownBy(() -> load("{strategy: preset, preset: huge}"))
                .isInstanceOf(ServesimException.class)
                .hasMessage("test.yaml:2:27: cache.preset: unknown preset 'huge'; known: small, large");
        assertThatThrownBy(() -> load("{strategy: preset, blocks: 9}"))
                .hasMessage("test.yaml:2:27: cache.blocks: must be at most the 8 of preset small, got 9");
    }

    @Test
    void aBadEnumValueNamesTheKeyAndTheValuesAsWritten() {
        assertThatThrownBy(() -> load("{strategy: preset, order: random}"))
                .hasMessage("test.yaml:2:27: cache.order: must be one of [least-recent, first-in], got random");
        // a factory is not asked to resolve what did not bind
        assertThat(factory.resolved).isEmpty();
    }

    @Test
    void theSchemaListsEnumValuesAsWrittenAndTheResolvedDefaults() {
        JsonNode schema = ConfigSchema.tree(registry());

        JsonNode settings = null;
        for (JsonNode branch : schema.at("/properties/cache/allOf")) {
            if (branch.at("/if/properties/strategy/const").asText().equals("preset")) {
                settings = branch.at("/then/properties");
            }
        }
        assertThat(settings).isNotNull();
        assertThat(settings.at("/order/enum").toString()).isEqualTo("[\"least-recent\",\"first-in\"]");
        assertThat(settings.at("/order/default").asText()).isEqualTo("least-recent");
        assertThat(settings.at("/preset/default").asText()).isEqualTo("small");
        assertThat(settings.at("/blocks/default").asInt()).isEqualTo(8);
    }
}
