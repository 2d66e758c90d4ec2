package dev.servesim.workload.config;

import static dev.servesim.workload.config.ConfigAssertions.failsWith;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import org.junit.jupiter.api.Test;

class MultiturnConfigTest {

    @Test
    void defaults() throws Exception {
        MultiturnConfig config = ConfigBinding.bind("{'rate': 0.5, 'duration': 60}", MultiturnConfig.class);
        assertThat(config.numSessions()).isNull();
        assertThat(config.turns()).isEqualTo(5);
        assertThat(config.thinkTime()).isEqualTo(1.0);
        assertThat(config.prefixCount()).isEqualTo(1);
        assertThat(config.prefixTokens()).isZero();
        assertThat(config.promptTokens()).isEqualTo(256);
        assertThat(config.promptTokensDistribution()).isNull();
        assertThat(config.outputTokens()).isEqualTo(128);
        assertThat(config.outputTokensDistribution()).isNull();
        assertThat(config.contextOverflow()).isEqualTo("end");
    }

    @Test
    void fullMapping() throws Exception {
        MultiturnConfig config = ConfigBinding.bind("{'rate': 2, 'duration': 30, 'num_sessions': 40, 'turns': 10,"
                + " 'think_time': 0.5, 'prefix_count': 4, 'prefix_tokens': 2000,"
                + " 'prompt_tokens_distribution': {'type': 'normal', 'mean': 300, 'stddev': 50},"
                + " 'output_tokens': 64, 'context_overflow': 'truncate'}", MultiturnConfig.class);
        assertThat(config.rate()).isEqualTo(2.0);
        assertThat(config.duration()).isEqualTo(30.0);
        assertThat(config.numSessions()).isEqualTo(40L);
        assertThat(config.turns()).isEqualTo(10);
        assertThat(config.thinkTime()).isEqualTo(0.5);
        assertThat(config.prefixCount()).isEqualTo(4);
        assertThat(config.prefixTokens()).isEqualTo(2000);
        assertThat(config.promptTokens()).isNull();
        assertThat(config.promptTokensDistribution().type()).isEqualTo("normal");
        assertThat(config.outputTokens()).isEqualTo(64);
        assertThat(config.contextOverflow()).isEqualTo("truncate");
        assertThat(ConfigBinding.roundTrip(config, MultiturnConfig.class)).isEqualTo(config);
    }

    @Test
    void badValuesAreNamed() {
        failsWith("{'duration': 5}", MultiturnConfig.class, "rate: is required (sessions per second)");
        failsWith("{'rate': 1}", MultiturnConfig.class, "duration: set duration (seconds) or num_sessions, or both");
        failsWith("{'rate': 1, 'duration': 5, 'prompt_tokens': 10, 'prompt_tokens_distribution': "
                + "{'type': 'constant', 'value': 3}}", MultiturnConfig.class,
                "prompt_tokens: give either prompt_tokens or prompt_tokens_distribution, not both");
        failsWith("{'rate': 1, 'duration': 5, 'turns': 0}", MultiturnConfig.class, "turns: must be positive, got 0");
        failsWith("{'rate': 1, 'duration': 5, 'think_time': -1}", MultiturnConfig.class,
                "think_time: must be zero or a positive number, got -1.0");
    }

    @Test
    void unknownKeysFail() {
        assertThatThrownBy(() -> ConfigBinding.bind("{'rate': 1, 'duration': 5, 'sessions': 3}",
                MultiturnConfig.class)).isInstanceOf(UnrecognizedPropertyException.class);
    }
}
