package dev.servesim.engine.common.steptime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link StepTimeTerm#builtIn()}, what calibrate --traces pulls its fits toward, is the set the engine runs with. */
class BuiltInCoefficientsTest {

    @Test
    void theBuiltInValuesAreThoseTheEngineReadsWithoutACoefficientsFile() {
        PhysicsCoefficients engine = PhysicsCoefficients.load(null);

        Map<StepTimeTerm, Double> builtIn = StepTimeTerm.builtIn();

        assertThat(builtIn).hasSize(StepTimeTerm.values().length);
        for (StepTimeTerm term : StepTimeTerm.values()) {
            assertThat(builtIn.get(term)).as(term.key()).isEqualTo(engine.get(term));
        }
        assertThat(engine.reference().name()).isEqualTo("H100-SXM-80GB");
    }
}
