package dev.servesim.metrics.prometheus;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servesim.api.ServesimPlugin;
import dev.servesim.api.metrics.MetricSink;
import dev.servesim.api.metrics.MetricSinkFactory;
import dev.servesim.api.metrics.RunSummary;
import dev.servesim.api.metrics.SinkContext;
import dev.servesim.engine.sglang.SglangPlugin;
import dev.servesim.metrics.prometheus.config.ScraperConfig;
import dev.servesim.runner.ConfigLoader;
import dev.servesim.runner.PluginRegistry;
import dev.servesim.runner.RunControl;
import dev.servesim.runner.RunResult;
import dev.servesim.runner.SimulationRunner;
import dev.servesim.testing.TestingPlugins;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A whole run of the sglang engine, as {@code servesim run} drives it, with the {@code prometheus} sink: the
 * SGLang-named counters of the last scrape agree with the run's summary.
 */
class SglangRunTest {

    private static final String SCRAPER = "scrape-at-end";

    /** Multi-turn conversations sharing system prompts, so the radix cache hits; no warm-up. */
    private static final String CONFIG = """
            name: sglang-run
            seed: 7
            framework: {name: sglang, model: llama-3.1-8b, hardware: H100-SXM-80GB, context_length: 1024,
              step_time: roofline}
            workload: {source: multiturn, rate: 4, duration: 20, turns: 4, think_time: 0.5, prefix_count: 3,
              prefix_tokens: 64, prompt_tokens_distribution: {type: lognormal, mean: 60, stddev: 30},
              output_tokens: 24, context_overflow: end}
            sinks: [{name: prometheus, port: 0}, {name: scrape-at-end}]
            """;

    @Test
    void countersOfTheLastScrapeAgreeWithTheSummary(@TempDir Path folder) throws Exception {
        Scraper scraper = new Scraper();
        List<ServesimPlugin> plugins = new ArrayList<>(TestingPlugins.all());
        // on the test class path the engine's module descriptor, which provides its plugin, is not read
        if (plugins.stream().noneMatch(plugin -> plugin instanceof SglangPlugin)) {
            plugins.add(new SglangPlugin());
        }
        plugins.add(scraper);
        PluginRegistry registry = PluginRegistry.of(plugins);
        assertThat(registry.problems()).isEmpty();
        Path config = Files.writeString(folder.resolve("sglang-run.yaml"), CONFIG);
        RunResult result = SimulationRunner.run(new ConfigLoader(registry).load(config, List.of()),
                folder.resolve("out"), new RunControl());

        RunSummary summary = result.summary();
        Exposition metrics = scraper.atEnd;
        assertThat(summary.requests().completed()).isPositive();
        assertThat(summary.requests().warmup()).isZero();
        assertThat(metrics.sampleNames()).noneMatch(name -> name.startsWith("vllm:"));
        assertThat(metrics.value("sglang:num_requests_total")).isEqualTo(summary.requests().completed());
        assertThat(metrics.value("sglang:e2e_request_latency_seconds_count")).isEqualTo(summary.requests().completed());
        assertThat(metrics.value("sglang:time_to_first_token_seconds_count"))
                .isEqualTo(summary.latencyMs().ttft().count());
        assertThat(metrics.value("sglang:time_per_output_token_seconds_count"))
                .isEqualTo(summary.latencyMs().tpot().count());
        assertThat(metrics.value("sglang:cached_tokens_total")).isPositive()
                .isEqualTo(summary.prefixCache().tokensSaved());
        assertThat(metrics.value("sglang:prompt_tokens_total"))
                .isEqualTo(metrics.value("servesim_prompt_tokens_total"));
        assertThat(metrics.value("sglang:generation_tokens_total")).isPositive()
                .isEqualTo(metrics.value("servesim_generation_tokens_total"));
        // one inter-token observation per token after each request's first
        assertThat(metrics.value("sglang:inter_token_latency_seconds_count"))
                .isEqualTo(metrics.value("sglang:generation_tokens_total")
                        - metrics.value("sglang:time_to_first_token_seconds_count"));
        // the run's requests have all ended: nothing holds the pool, nothing runs or waits
        assertThat(metrics.value("sglang:num_running_reqs")).isZero();
        assertThat(metrics.value("sglang:num_queue_reqs")).isZero();
        assertThat(metrics.value("sglang:cache_hit_rate")).isBetween(0.0, 1.0);
    }

    /** A sink that scrapes the run's {@code prometheus} endpoint once the run has ended, before it closes. */
    private static final class Scraper implements ServesimPlugin {

        volatile Exposition atEnd;

        @Override
        public String name() {
            return SCRAPER;
        }

        @Override
        public List<MetricSinkFactory<?>> metricSinkFactories() {
            return List.of(new MetricSinkFactory<ScraperConfig>() {
                @Override
                public String name() {
                    return SCRAPER;
                }

                @Override
                public String description() {
                    return "scrapes the prometheus sink of the run when it ends";
                }

                @Override
                public Class<ScraperConfig> configType() {
                    return ScraperConfig.class;
                }

                @Override
                public MetricSink create(ScraperConfig config, SinkContext context) {
                    return new MetricSink() {
                        @Override
                        public void onRunFinished(RunSummary summary) {
                            try {
                                atEnd = TestingSinks.scrape(TestingSinks.address(context.outputDirectory()));
                            } catch (IOException e) {
                                throw new UncheckedIOException(e);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                                throw new IllegalStateException(e);
                            }
                        }
                    };
                }
            });
        }
    }
}
