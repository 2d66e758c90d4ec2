package dev.servesim.workload.config;

import static dev.servesim.workload.config.ConfigAssertions.failsWith;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.util.List;
import org.junit.jupiter.api.Test;

class TraceConfigTest {

    @Test
    void defaults() throws Exception {
        TraceConfig config = ConfigBinding.bind("{'file': 'trace.jsonl'}", TraceConfig.class);
        assertThat(config.format()).isEqualTo("auto");
        assertThat(config.speedup()).isEqualTo(1.0);
        assertThat(config.start()).isZero();
        assertThat(config.end()).isNull();
        assertThat(config.maxRequests()).isNull();
        assertThat(config.coldPrompts()).isFalse();
        assertThat(config.replaySessions()).isFalse();
        assertThat(config.maxOpenSessions()).isEqualTo(100_000);
        assertThat(config.maxConcurrency()).isNull();
        assertThat(config.skipBadLines()).isFalse();
        assertThat(config.mooncakeBlockSize()).isEqualTo(512);
    }

    @Test
    void fullMapping() throws Exception {
        TraceConfig config = ConfigBinding.bind("{'file': 'a.csv', 'format': 'azure', 'speedup': 2, 'start': 60,"
                + " 'end': 120, 'max_requests': 500, 'cold_prompts': true, 'replay_sessions': true,"
                + " 'max_open_sessions': 1000, 'skip_bad_lines': true, 'mooncake_block_size': 256}", TraceConfig.class);
        assertThat(config.file()).isEqualTo("a.csv");
        assertThat(config.format()).isEqualTo("azure");
        assertThat(config.speedup()).isEqualTo(2.0);
        assertThat(config.start()).isEqualTo(60.0);
        assertThat(config.end()).isEqualTo(120.0);
        assertThat(config.maxRequests()).isEqualTo(500L);
        assertThat(config.coldPrompts()).isTrue();
        assertThat(config.replaySessions()).isTrue();
        assertThat(config.maxOpenSessions()).isEqualTo(1000);
        assertThat(config.skipBadLines()).isTrue();
        assertThat(config.mooncakeBlockSize()).isEqualTo(256);
        assertThat(ConfigBinding.roundTrip(config, TraceConfig.class)).isEqualTo(config);
        for (String format : List.of("vcr", "bailian", "openai-log", "sharegpt", "vllm-bench")) {
            assertThat(ConfigBinding.bind("{'file': 'a', 'format': '" + format + "'}", TraceConfig.class).format())
                    .isEqualTo(format);
        }
        TraceConfig closed = ConfigBinding.bind("{'file': 'a.csv', 'max_concurrency': 8}", TraceConfig.class);
        assertThat(closed.maxConcurrency()).isEqualTo(8);
        assertThat(ConfigBinding.roundTrip(closed, TraceConfig.class)).isEqualTo(closed);
    }

    @Test
    void badValuesAreNamed() {
        failsWith("{}", TraceConfig.class, "file: is required");
        failsWith("{'file': 'x', 'format': 'csv'}", TraceConfig.class, "format: unknown 'csv'; one of auto, servesim, "
                + "vcr, mooncake, bailian, azure, burstgpt, openai-log, sharegpt, vllm-bench");
        failsWith("{'file': 'x', 'start': 10, 'end': 5}", TraceConfig.class,
                "end: must be after start (10.0 s), got 5.0");
        failsWith("{'file': 'x', 'speedup': 0}", TraceConfig.class, "speedup: must be a positive number, got 0.0");
        failsWith("{'file': 'x', 'start': -1}", TraceConfig.class,
                "start: must be zero or a positive number, got -1.0");
        // YAML's .nan and .inf (JSON has no such numbers)
        assertThatThrownBy(() -> times(Double.NaN, null, null)).hasMessage("speedup: must be a positive number, got NaN");
        assertThatThrownBy(() -> times(Double.POSITIVE_INFINITY, null, null))
                .hasMessage("speedup: must be a positive number, got Infinity");
        assertThatThrownBy(() -> times(null, Double.POSITIVE_INFINITY, null))
                .hasMessage("start: must be zero or a positive number, got Infinity");
        assertThatThrownBy(() -> times(null, null, Double.NaN)).hasMessage("end: must be after start (0.0 s), got NaN");
        assertThatThrownBy(() -> times(null, null, Double.POSITIVE_INFINITY))
                .hasMessage("end: must be a finite time; leave it out to replay to the end");
        failsWith("{'file': 'x', 'max_concurrency': 4, 'replay_sessions': true}", TraceConfig.class,
                "max_concurrency: cannot be combined with replay_sessions");
        failsWith("{'file': 'x', 'max_concurrency': 4, 'speedup': 2}", TraceConfig.class,
                "speedup: has no effect with max_concurrency, which ignores recorded times");
        failsWith("{'file': 'x', 'max_requests': 0}", TraceConfig.class, "max_requests: must be positive, got 0");
    }

    private static TraceConfig times(Double speedup, Double start, Double end) {
        return new TraceConfig("x", null, speedup, start, end, null, null, null, null, null, null, null);
    }

    @Test
    void unknownKeysFail() {
        assertThatThrownBy(() -> ConfigBinding.bind("{'file': 'x', 'path': 'y'}", TraceConfig.class))
                .isInstanceOf(UnrecognizedPropertyException.class);
    }
}
