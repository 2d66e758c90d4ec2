package dev.servesim.planner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.servesim.api.ServesimException;
import org.junit.jupiter.api.Test;

class PlanSloTest {

    @Test
    void parsesSecondsAndMillisecondsInOrder() {
        PlanSlo slo = PlanSlo.parse("tpot_p99=50ms, ttft_p99=0.5,e2e_mean=20s");

        assertThat(slo.keys()).containsExactly("tpot_p99", "ttft_p99", "e2e_mean");
        assertThat(slo.thresholds()).containsEntry("tpot_p99", 0.05).containsEntry("ttft_p99", 0.5)
                .containsEntry("e2e_mean", 20.0);
        assertThat(slo.ttftSeconds()).isEqualTo(0.5);
        assertThat(slo.tpotSeconds()).isEqualTo(0.05);
        assertThat(slo).hasToString("TPOT p99 <= 50 ms, TTFT p99 <= 500 ms, E2E mean <= 20000 ms");
    }

    @Test
    void theRunsGoodputTakesTheStrictestThresholdOfAMetric() {
        PlanSlo slo = PlanSlo.parse("ttft_p50=0.2,ttft_p99=0.8");

        assertThat(slo.ttftSeconds()).isEqualTo(0.2);
        assertThat(slo.tpotSeconds()).isNull();
    }

    @Test
    void refusesWhatItCannotRead() {
        assertThatThrownBy(() -> PlanSlo.parse("ttft_p98=0.5")).isInstanceOf(ServesimException.class)
                .hasMessageContaining("unknown objective 'ttft_p98'");
        assertThatThrownBy(() -> PlanSlo.parse("latency_p99=0.5")).hasMessageContaining("unknown objective");
        assertThatThrownBy(() -> PlanSlo.parse("ttft_p99=-1")).hasMessageContaining("positive number of seconds");
        assertThatThrownBy(() -> PlanSlo.parse("ttft_p99=fast")).hasMessageContaining("got 'fast'");
        assertThatThrownBy(() -> PlanSlo.parse("ttft_p99=NaN")).hasMessageContaining("positive");
        assertThatThrownBy(() -> PlanSlo.parse("ttft_p99=0.5,ttft_p99=0.4")).hasMessageContaining("given twice");
        assertThatThrownBy(() -> PlanSlo.parse("ttft_p99")).hasMessageContaining("expected key=seconds");
    }
}
