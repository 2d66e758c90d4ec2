package dev.servesim.workload.config;

import static dev.servesim.workload.config.ConfigAssertions.failsWith;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PoissonConfigTest {

    @Test
    void aPlainNumberIsAConstantAndAMappingAnyDistribution() throws Exception {
        PoissonConfig plain = ConfigBinding.bind("{'rate': 8, 'duration': 120, 'prompt_tokens': 1024, "
                + "'output_tokens': 128}", PoissonConfig.class);
        PoissonConfig mapping = ConfigBinding.bind("{'rate': 8, 'duration': 120, 'prompt_tokens': {'type': "
                + "'constant', 'value': 1024}, 'output_tokens': {'type': 'constant', 'value': 128}}",
                PoissonConfig.class);
        assertThat(plain).isEqualTo(mapping);
        assertThat(plain.outputTokens()).isEqualTo(DistributionConfig.constant(128));

        PoissonConfig drawn = ConfigBinding.bind("{'rate': 8, 'duration': 120, 'output_tokens': {'type': "
                + "'lognormal', 'mean': 300, 'stddev': 200}, 'max_tokens': 1024}", PoissonConfig.class);
        assertThat(drawn.outputTokens().type()).isEqualTo("lognormal");
        assertThat(drawn.outputTokens().mean()).isEqualTo(300);
        assertThat(drawn.maxTokens()).isEqualTo(1024);
        assertThat(ConfigBinding.roundTrip(drawn, PoissonConfig.class)).isEqualTo(drawn);
    }

    @Test
    void defaults() throws Exception {
        PoissonConfig config = ConfigBinding.bind("{'rate': 2, 'num_requests': 10}", PoissonConfig.class);
        assertThat(config.promptTokens()).isEqualTo(DistributionConfig.constant(512));
        assertThat(config.outputTokens()).isEqualTo(DistributionConfig.constant(128));
        assertThat(config.maxTokens()).isNull();
    }

    @Test
    void badLengthsAndLimitsNameTheirKey() {
        failsWith("{'rate': 1, 'duration': 5, 'max_tokens': 0}", PoissonConfig.class,
                "max_tokens: must be positive, got 0");
        failsWith("{'rate': 1, 'duration': 5, 'max_tokens': -4}", PoissonConfig.class,
                "max_tokens: must be positive, got -4");
        failsWith("{'rate': 1, 'duration': 5, 'output_tokens': 0}", PoissonConfig.class,
                "output_tokens: must be positive, got 0");
        failsWith("{'rate': 1, 'duration': 5, 'output_tokens': 12.5}", PoissonConfig.class,
                "output_tokens: must be a whole number of tokens, got 12.5");
        failsWith("{'rate': 1, 'duration': 5, 'output_tokens': {'type': 'lognormal', 'mean': 100}}",
                PoissonConfig.class, "stddev: is required for type lognormal");
        failsWith("{'rate': 1, 'duration': 5, 'prompt_tokens': {'type': 'lognormal', 'mean': 100, 'scale': 3}}",
                PoissonConfig.class, "scale: does not apply to type lognormal (it takes mean, stddev)");
        failsWith("{'rate': 1, 'duration': 5, 'prompt_tokens': {'type': 'constant', 'value': 5, 'weight': 1}}",
                PoissonConfig.class, "prompt_tokens.weight: only mixture components take a weight");
    }

    @Test
    void aProfileLimitMustBePositive() throws Exception {
        failsWith("{'max_tokens': 0}", ClientProfileConfig.class, "max_tokens: must be positive, got 0");
        assertThat(ConfigBinding.bind("{'max_tokens': 300}", ClientProfileConfig.class).maxTokens()).isEqualTo(300);
        assertThat(ConfigBinding.bind("{}", ClientProfileConfig.class).maxTokens()).isNull();
    }
}
