package dev.servesim.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servesim.runner.RunProgress;
import org.junit.jupiter.api.Test;

class ProgressReporterTest {

    @Test
    void lineWithAHorizonHasABarAndAnEta() {
        String line = ProgressReporter.line(new RunProgress(30, 120, 250, 200, 10_000), 2.0);
        assertThat(line).isEqualTo("[######                  ]  25% 30.0 s simulated, 200 of 250 requests done, 15x, ETA 6 s");
    }

    @Test
    void lineWithoutAHorizonHasNeitherBarNorEta() {
        String line = ProgressReporter.line(new RunProgress(12.5, Double.NaN, 1234, 1200, 10), 0.5);
        assertThat(line).isEqualTo("12.5 s simulated, 1,200 of 1,234 requests done, 25x");
    }
}
