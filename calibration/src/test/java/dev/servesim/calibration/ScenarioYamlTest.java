package dev.servesim.calibration;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ScenarioYamlTest {

    @Test
    void theBacklogConfigurationIsTheFidelityOneWithAHorizonAndOneBurstInsteadOfTheStages() {
        RunSpec spec = TestingRuns.small(List.of(new RunSpec.Stage(2.5, 600), new RunSpec.Stage(6, 600)));
        SimulationSettings settings = TestingRuns.settings();

        String fidelity = ScenarioYaml.of(spec, settings, 1, false);
        String backlog = ScenarioYaml.backlog(spec, settings, 1, 1024, 12.5);

        assertThat(fidelity).contains("  load_type: constant\n  stages:\n    - {rate: 2.5, duration: 600.0}\n"
                + "    - {rate: 6.0, duration: 600.0}\n").doesNotContain("horizon");
        assertThat(backlog).contains("horizon: 12.5\n", "  load_type: burst\n  stages:\n"
                + "    - {rate: 1024, duration: 1}\n");
        // everything else - engine, cache, prompts, sinks - is the same text
        assertThat(backlog.replace("horizon: 12.5\n", "").replaceAll("(?s)  load_type: .*\nsinks", "sinks"))
                .isEqualTo(fidelity.replaceAll("(?s)  load_type: .*\nsinks", "sinks"));
    }
}
