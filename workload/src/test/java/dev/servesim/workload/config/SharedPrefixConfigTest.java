package dev.servesim.workload.config;

import static dev.servesim.workload.config.ConfigAssertions.failsWith;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import java.util.List;
import org.junit.jupiter.api.Test;

class SharedPrefixConfigTest {

    @Test
    void defaults() throws Exception {
        SharedPrefixConfig config = ConfigBinding.bind("{'system_prompt_len': 100, 'question_len': 447,"
                + " 'output_len': 248, 'stages': [{'rate': 2.5, 'duration': 600}]}", SharedPrefixConfig.class);
        assertThat(config.numUniqueSystemPrompts()).isEqualTo(10);
        assertThat(config.usersPerSystemPrompt()).isEqualTo(10);
        assertThat(config.loadType()).isEqualTo("constant");
        assertThat(config.burstSize()).isNull();
        assertThat(config.staircase()).isNull();
        assertThat(config.effectiveStages()).containsExactly(new StageConfig(2.5, 600.0));
    }

    @Test
    void fullMapping() throws Exception {
        SharedPrefixConfig config = ConfigBinding.bind("{'num_unique_system_prompts': 9, 'users_per_system_prompt': 5,"
                + " 'system_prompt_len': 100, 'question_len': 447, 'output_len': 248, 'load_type': 'burst',"
                + " 'burst_size': 20, 'stages': [{'rate': 2.5, 'duration': 600}, {'rate': 6, 'duration': 600}]}",
                SharedPrefixConfig.class);
        assertThat(config.numUniqueSystemPrompts()).isEqualTo(9);
        assertThat(config.usersPerSystemPrompt()).isEqualTo(5);
        assertThat(config.systemPromptLen()).isEqualTo(100);
        assertThat(config.questionLen()).isEqualTo(447);
        assertThat(config.outputLen()).isEqualTo(248);
        assertThat(config.loadType()).isEqualTo("burst");
        assertThat(config.burstSize()).isEqualTo(20);
        assertThat(config.stages()).containsExactly(new StageConfig(2.5, 600.0), new StageConfig(6.0, 600.0));
        assertThat(ConfigBinding.roundTrip(config, SharedPrefixConfig.class)).isEqualTo(config);
    }

    @Test
    void staircaseMakesItsOwnStages() throws Exception {
        SharedPrefixConfig config = ConfigBinding.bind("{'system_prompt_len': 10, 'question_len': 20,"
                + " 'output_len': 5, 'load_type': 'staircase', 'staircase': {'start_rate': 1, 'rate_step': 2,"
                + " 'steps': 3, 'step_duration': 10}}", SharedPrefixConfig.class);
        assertThat(config.effectiveStages()).isEqualTo(List.of(new StageConfig(1.0, 10.0), new StageConfig(3.0, 10.0),
                new StageConfig(5.0, 10.0)));
        assertThat(ConfigBinding.roundTrip(config, SharedPrefixConfig.class)).isEqualTo(config);
    }

    @Test
    void badValuesAreNamed() {
        failsWith("{'question_len': 20, 'output_len': 5, 'stages': [{'rate': 1, 'duration': 1}]}",
                SharedPrefixConfig.class, "system_prompt_len: is required");
        failsWith("{'system_prompt_len': 1, 'question_len': 20, 'output_len': 5}", SharedPrefixConfig.class,
                "stages: is required: a list of {rate, duration}");
        failsWith("{'system_prompt_len': 1, 'question_len': 20, 'output_len': 5, 'load_type': 'ramp', "
                + "'stages': [{'rate': 1, 'duration': 1}]}", SharedPrefixConfig.class,
                "load_type: unknown 'ramp'; one of constant, poisson, burst, staircase");
        failsWith("{'system_prompt_len': 1, 'question_len': 20, 'output_len': 5, 'burst_size': 3, "
                + "'stages': [{'rate': 1, 'duration': 1}]}", SharedPrefixConfig.class,
                "burst_size: applies to load_type burst only");
        failsWith("{'system_prompt_len': 1, 'question_len': 20, 'output_len': 5, 'load_type': 'staircase'}",
                SharedPrefixConfig.class, "staircase: is required");
        failsWith("{'rate': 1}", StageConfig.class, "duration: is required");
        failsWith("{'start_rate': 5, 'rate_step': -2, 'steps': 4, 'step_duration': 1}", StaircaseConfig.class,
                "rate_step: makes the rate of step 3 -1.0 requests per second; every step needs a positive rate");
    }

    @Test
    void unknownKeysFail() {
        assertThatThrownBy(() -> ConfigBinding.bind("{'system_prompt_len': 1, 'question_len': 20, 'output_len': 5,"
                + " 'stages': [{'rate': 1, 'duration': 1, 'ramp': 2}]}", SharedPrefixConfig.class))
                .isInstanceOf(UnrecognizedPropertyException.class);
    }
}
