package dev.servesim.workload.config;

import static dev.servesim.workload.config.ConfigAssertions.failsWith;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import org.junit.jupiter.api.Test;

class SyntheticConfigTest {

    @Test
    void defaults() throws Exception {
        SyntheticConfig config = ConfigBinding.bind("{'rate': 2, 'num_requests': 10, 'profiles': [{}]}",
                SyntheticConfig.class);
        assertThat(config.totalDuration()).isNull();
        assertThat(config.accumulateConversationalTokens()).isTrue();
        assertThat(config.contextOverflow()).isEqualTo("end");
        ClientProfileConfig profile = config.profiles().get(0);
        assertThat(profile.name()).isEqualTo("profile-0");
        assertThat(profile.weight()).isEqualTo(1.0);
        assertThat(profile.interArrival()).isNull();
        assertThat(profile.promptTokens()).isEqualTo(DistributionConfig.constant(512));
        assertThat(profile.maxOutputTokens()).isEqualTo(DistributionConfig.constant(128));
        assertThat(profile.followUpTokens()).isEqualTo(profile.promptTokens());
        assertThat(profile.sharedPrefixTokens()).isZero();
        assertThat(profile.conversationalProbability()).isZero();
        assertThat(profile.thinkTime()).isEqualTo(DistributionConfig.exponential(10));
        assertThat(profile.maxTurns()).isEqualTo(5);
        assertThat(profile.continuationProbability()).isEqualTo(1.0);
        assertThat(profile.streamingResponseProbability()).isEqualTo(1.0);
        assertThat(profile.priority()).isZero();
    }

    @Test
    void fullMapping() throws Exception {
        SyntheticConfig config = ConfigBinding.bind("{'rate': 4, 'total_duration': 60, 'num_requests': 100,"
                + " 'accumulate_conversational_tokens': false, 'context_overflow': 'truncate', 'profiles': [{"
                + " 'name': 'chat', 'weight': 3, 'inter_arrival': {'type': 'gamma', 'shape': 0.5, 'scale': 1},"
                + " 'prompt_tokens': {'type': 'lognormal', 'mean': 800, 'stddev': 300},"
                + " 'max_output_tokens': {'type': 'uniform', 'min': 50, 'max': 250},"
                + " 'follow_up_tokens': {'type': 'exponential', 'mean': 60}, 'shared_prefix_tokens': 200,"
                + " 'conversational_probability': 0.6, 'think_time': {'type': 'constant', 'value': 4},"
                + " 'max_turns': 8, 'continuation_probability': 0.9, 'streaming_response_probability': 0.5,"
                + " 'priority': 2}]}", SyntheticConfig.class);
        assertThat(config.rate()).isEqualTo(4.0);
        assertThat(config.totalDuration()).isEqualTo(60.0);
        assertThat(config.numRequests()).isEqualTo(100L);
        assertThat(config.accumulateConversationalTokens()).isFalse();
        assertThat(config.contextOverflow()).isEqualTo("truncate");
        ClientProfileConfig chat = config.profiles().get(0);
        assertThat(chat.name()).isEqualTo("chat");
        assertThat(chat.weight()).isEqualTo(3.0);
        assertThat(chat.interArrival().type()).isEqualTo("gamma");
        assertThat(chat.promptTokens().mean()).isEqualTo(800.0);
        assertThat(chat.maxOutputTokens().max()).isEqualTo(250.0);
        assertThat(chat.followUpTokens().mean()).isEqualTo(60.0);
        assertThat(chat.sharedPrefixTokens()).isEqualTo(200);
        assertThat(chat.conversationalProbability()).isEqualTo(0.6);
        assertThat(chat.thinkTime().value()).isEqualTo(4.0);
        assertThat(chat.maxTurns()).isEqualTo(8);
        assertThat(chat.continuationProbability()).isEqualTo(0.9);
        assertThat(chat.streamingResponseProbability()).isEqualTo(0.5);
        assertThat(chat.priority()).isEqualTo(2);
        assertThat(ConfigBinding.roundTrip(config, SyntheticConfig.class)).isEqualTo(config);
    }

    @Test
    void withoutRateEveryProfileHasItsOwnGapsAndNoWeight() throws Exception {
        SyntheticConfig config = ConfigBinding.bind("{'total_duration': 10, 'profiles': ["
                + "{'inter_arrival': {'type': 'exponential', 'mean': 0.5}}]}", SyntheticConfig.class);
        assertThat(config.profiles().get(0).weight()).isNull();
        assertThat(ConfigBinding.roundTrip(config, SyntheticConfig.class)).isEqualTo(config);
        failsWith("{'total_duration': 10, 'profiles': [{}]}", SyntheticConfig.class,
                "profiles[0].inter_arrival: is required when the source has no rate");
        failsWith("{'total_duration': 10, 'profiles': [{'weight': 2, 'inter_arrival': {'type': 'constant', "
                + "'value': 1}}]}", SyntheticConfig.class, "profiles[0].weight: weights split the source's rate; set "
                + "rate, or give each profile its own inter_arrival without a weight");
    }

    @Test
    void badValuesAreNamed() {
        failsWith("{'rate': 1, 'profiles': [{}]}", SyntheticConfig.class,
                "total_duration: set total_duration (seconds) or num_requests, or both");
        failsWith("{'rate': 1, 'num_requests': 5}", SyntheticConfig.class,
                "profiles: needs at least one client profile");
        failsWith("{'rate': 1, 'num_requests': 5, 'profiles': [{'name': 'a'}, {'name': 'a'}]}", SyntheticConfig.class,
                "profiles[1].name: 'a' is used by another profile");
        failsWith("{'rate': 1, 'num_requests': 5, 'context_overflow': 'wrap', 'profiles': [{}]}",
                SyntheticConfig.class, "context_overflow: unknown 'wrap'; one of end, truncate");
        failsWith("{'conversational_probability': 1.5}", ClientProfileConfig.class,
                "conversational_probability: must be between 0.0 and 1.0, got 1.5");
        failsWith("{'max_turns': 0}", ClientProfileConfig.class, "max_turns: must be positive, got 0");
        failsWith("{'name': 'a b'}", ClientProfileConfig.class,
                "name: use letters, digits, '_', '.' and '-' only, got 'a b'");
        failsWith("{'prompt_tokens': {'type': 'constant', 'value': 5, 'weight': 1}}", ClientProfileConfig.class,
                "prompt_tokens.weight: only mixture components take a weight");
    }

    @Test
    void unknownKeysFail() {
        assertThatThrownBy(() -> ConfigBinding.bind("{'rate': 1, 'num_requests': 5, 'profiles': [{'think': 3}]}",
                SyntheticConfig.class)).isInstanceOf(UnrecognizedPropertyException.class);
        assertThatThrownBy(() -> ConfigBinding.bind("{'rate': 1, 'num_requests': 5, 'duration': 5, 'profiles': [{}]}",
                SyntheticConfig.class)).isInstanceOf(UnrecognizedPropertyException.class);
    }
}
