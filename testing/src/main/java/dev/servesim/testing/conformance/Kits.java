package dev.servesim.testing.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servesim.api.metrics.RunSummary;
import java.util.Locale;

/** The configurations the kits run and the checks every kit makes of a finished run. */
final class Kits {

    /** The real vLLM engine on a small model, so that runs take milliseconds. */
    static final String ENGINE = "{name: vllm, model: llama-3.1-8b, hardware: H100-SXM-80GB, max_model_len: 1024}";
    /** vLLM's own prefix cache. */
    static final String CACHE = "{strategy: block-hash}";

    private Kits() {}

    /**
     * Multi-turn conversations over a few shared system prompts: {@code rate} sessions per second for
     * {@code duration} seconds, four turns each, so prompts share prefixes within and across sessions.
     */
    static String conversations(double rate, double duration) {
        return String.format(Locale.ROOT, "{source: multiturn, rate: %s, duration: %s, turns: 4, think_time: 0.5, "
                + "prefix_count: 3, prefix_tokens: 64, prompt_tokens_distribution: {type: lognormal, mean: 60, "
                + "stddev: 30}, output_tokens: 24, context_overflow: end}", rate, duration);
    }

    /** A configuration; {@code cluster} may be null (one replica, no router). */
    static String config(long seed, String framework, String cache, String cluster, String workload,
            String... sinks) {
        StringBuilder yaml = new StringBuilder()
                .append("seed: ").append(seed).append('\n')
                .append("framework: ").append(framework).append('\n')
                .append("cache: ").append(cache).append('\n');
        if (cluster != null) {
            yaml.append("cluster: ").append(cluster).append('\n');
        }
        yaml.append("workload: ").append(workload).append('\n')
                .append("sinks: [{name: ").append(RecorderPlugin.SINK).append('}');
        for (String sink : sinks) {
            yaml.append(", ").append(sink);
        }
        return yaml.append("]\n").toString();
    }

    /** The run ended by itself with every request that arrived completed or rejected, and none lost. */
    static void assertEveryRequestEnded(Outcome outcome) {
        RunSummary.Requests requests = outcome.summary().requests();
        assertThat(outcome.summary().partial()).as("run stopped early: %s", outcome.summary().stopReason())
                .isFalse();
        assertThat(requests.arrived()).as("requests that arrived").isPositive();
        assertThat(requests.unfinished()).as("requests left unfinished").isZero();
        assertThat(requests.completed() + requests.rejected()).as("completed + rejected")
                .isEqualTo(requests.arrived());
        assertThat(outcome.records()).as("request records the sinks got").hasSize((int) requests.arrived());
        for (CheckedKvCacheStrategy cache : outcome.checks().caches()) {
            assertThat(cache.referencedBlocks()).as("%s: blocks still referenced after every request ended",
                    cache.name()).isZero();
        }
        for (CheckedEngine engine : outcome.checks().engines()) {
            assertThat(engine.ended()).as("%s: requests ended of those submitted", engine.name())
                    .isEqualTo(engine.submitted());
        }
    }

    /** Two runs of one configuration gave the same records, steps and summary (wall-clock figures aside). */
    static void assertSameResults(Outcome first, Outcome second) {
        assertThat(second.records()).as("request records of a second run with the same seed")
                .isEqualTo(first.records());
        assertThat(second.steps()).as("steps of a second run with the same seed").isEqualTo(first.steps());
        assertThat(second.comparableSummary()).as("summary of a second run with the same seed")
                .isEqualTo(first.comparableSummary());
    }
}
