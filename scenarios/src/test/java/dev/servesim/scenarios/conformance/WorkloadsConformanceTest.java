package dev.servesim.scenarios.conformance;

import dev.servesim.testing.conformance.WorkloadSourceConformance;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.io.TempDir;

/** Every built-in workload source passes the kit third-party sources are checked with. */
class WorkloadsConformanceTest {

    @TempDir
    static Path traces;

    /** A Mooncake-format trace of 60 requests over 20 s whose prompts share leading 512-token blocks. */
    @BeforeAll
    static void writeTrace() throws IOException {
        SplittableRandom random = new SplittableRandom(3);
        StringBuilder lines = new StringBuilder();
        long time = 0;
        for (int k = 0; k < 60; k++) {
            time += random.nextInt(600);
            int blocks = 1 + random.nextInt(2);
            int input = 512 * (blocks - 1) + 1 + random.nextInt(500);
            StringBuilder ids = new StringBuilder();
            for (int b = 0; b < blocks; b++) {
                ids.append(b == 0 ? "" : ", ").append(b == 0 ? random.nextInt(3) : 100 + k);
            }
            lines.append(String.format(Locale.ROOT,
                    "{\"timestamp\": %d, \"input_length\": %d, \"output_length\": %d, \"hash_ids\": [%s]}%n",
                    time, input, 1 + random.nextInt(60), ids));
        }
        Files.writeString(traces.resolve("mooncake.jsonl"), lines);
    }

    @Nested
    class Poisson extends WorkloadSourceConformance {
        @Override
        protected String workloadSection() {
            return "{source: poisson, rate: 5, duration: 10, prompt_tokens: 200, output_tokens: 40}";
        }
    }

    @Nested
    class Multiturn extends WorkloadSourceConformance {
        @Override
        protected String workloadSection() {
            return "{source: multiturn, rate: 2, duration: 10, turns: 3, think_time: 1, prefix_count: 2, "
                    + "prefix_tokens: 100, prompt_tokens_distribution: {type: lognormal, mean: 80, stddev: 40}, "
                    + "output_tokens: 30, context_overflow: end}";
        }
    }

    @Nested
    class Synthetic extends WorkloadSourceConformance {
        @Override
        protected String workloadSection() {
            return "{source: synthetic, rate: 3, total_duration: 10, profiles: [{name: chat, "
                    + "prompt_tokens: {type: constant, value: 200}, max_output_tokens: {type: constant, value: 40}, "
                    + "follow_up_tokens: {type: constant, value: 100}, conversational_probability: 0.5, "
                    + "think_time: {type: constant, value: 1}, max_turns: 3}]}";
        }
    }

    @Nested
    class SharedPrefix extends WorkloadSourceConformance {
        @Override
        protected String workloadSection() {
            return "{source: shared-prefix, num_unique_system_prompts: 3, users_per_system_prompt: 2, "
                    + "system_prompt_len: 100, question_len: 120, output_len: 30, stages: [{rate: 4, duration: 10}]}";
        }
    }

    @Nested
    class Trace extends WorkloadSourceConformance {
        @Override
        protected String workloadSection() {
            return "{source: trace, file: '" + traces.resolve("mooncake.jsonl") + "', replay_sessions: true}";
        }
    }
}
