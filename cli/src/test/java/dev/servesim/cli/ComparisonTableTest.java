package dev.servesim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servesim.runner.Comparison;
import org.junit.jupiter.api.Test;

class ComparisonTableTest {

    @Test
    void resourceColumnsShowTokensPerGpuAndDollarsPerMillionOutputTokens() {
        assertThat(ComparisonTable.format(column("output_tokens_per_gpu_per_s"), 2060.766)).isEqualTo("2060.8");
        assertThat(ComparisonTable.format(column("usd_per_million_output_tokens"), 0.40303)).isEqualTo("0.403");
        assertThat(ComparisonTable.format(column("usd_per_million_output_tokens"), Double.NaN)).isEqualTo("-");
        assertThat(ComparisonTable.format(column("goodput_share"), Double.NaN)).as("no SLO").isEqualTo("-");
        assertThat(column("usd_per_million_output_tokens").lowerIsBetter()).isTrue();
    }

    private static Comparison.Column column(String key) {
        return Comparison.COLUMNS.stream().filter(column -> column.key().equals(key)).findFirst().orElseThrow();
    }
}
