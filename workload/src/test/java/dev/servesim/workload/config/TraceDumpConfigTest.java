package dev.servesim.workload.config;

import static dev.servesim.workload.config.ConfigAssertions.failsWith;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import org.junit.jupiter.api.Test;

class TraceDumpConfigTest {

    @Test
    void defaultsMappingAndChecks() throws Exception {
        TraceDumpConfig defaults = ConfigBinding.bind("{}", TraceDumpConfig.class);
        assertThat(defaults.file()).isEqualTo("trace.jsonl");
        assertThat(defaults.blockSize()).isEqualTo(16);
        TraceDumpConfig config = ConfigBinding.bind("{'file': 'out/measured.jsonl', 'block_size': 32}",
                TraceDumpConfig.class);
        assertThat(config.file()).isEqualTo("out/measured.jsonl");
        assertThat(config.blockSize()).isEqualTo(32);
        failsWith("{'block_size': 0}", TraceDumpConfig.class, "block_size: must be positive, got 0");
        assertThatThrownBy(() -> ConfigBinding.bind("{'path': 'a'}", TraceDumpConfig.class))
                .isInstanceOf(UnrecognizedPropertyException.class);
    }
}
