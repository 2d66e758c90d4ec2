package dev.servesim.calibration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servesim.engine.common.steptime.StepTimeTerm;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which fixed per-step costs the traces' engines can tell apart. */
class TraceTermsTest {

    private static final TraceTerms.Engine LLAMA_8B = new TraceTerms.Engine("llama-3.1-8b", 32, 0, 0);
    private static final TraceTerms.Engine LLAMA_8B_TP2 = new TraceTerms.Engine("llama-3.1-8b", 32, 0, 64);
    private static final TraceTerms.Engine LLAMA_70B_TP4 = new TraceTerms.Engine("llama-3.1-70b", 80, 0, 160);
    private static final TraceTerms.Engine MIXTRAL_TP2 = new TraceTerms.Engine("mixtral-8x7b", 32, 32, 64);

    @Test
    void oneDenseModelAtTpOneLeavesOnlyTheStepOverheadFree() {
        Map<StepTimeTerm, String> pinned = TraceTerms.unidentified(List.of(LLAMA_8B));

        assertThat(pinned.keySet()).containsExactly(StepTimeTerm.LAYER_OVERHEAD_SECONDS,
                StepTimeTerm.MOE_LAYER_OVERHEAD_SECONDS, StepTimeTerm.ALL_REDUCE_LATENCY_SECONDS);
        assertThat(pinned.get(StepTimeTerm.LAYER_OVERHEAD_SECONDS)).isEqualTo("every trace's engine pays it 32 times"
                + " a step (one model's decoder layers), so it adds to every step what step_overhead_seconds adds:"
                + " the traces cannot tell them apart");
        assertThat(pinned.get(StepTimeTerm.MOE_LAYER_OVERHEAD_SECONDS))
                .isEqualTo("no trace's model is a mixture of experts");
        assertThat(pinned.get(StepTimeTerm.ALL_REDUCE_LATENCY_SECONDS))
                .isEqualTo("every trace's engine runs at tensor-parallel size 1 (no all-reduce)");
    }

    @Test
    void oneModelAtTwoTensorParallelSizesFreesTheAllReduceLatency() {
        assertThat(TraceTerms.unidentified(List.of(LLAMA_8B, LLAMA_8B_TP2)).keySet())
                .containsExactly(StepTimeTerm.LAYER_OVERHEAD_SECONDS, StepTimeTerm.MOE_LAYER_OVERHEAD_SECONDS);
    }

    @Test
    void oneModelAtOneTensorParallelSizeAboveOneCannotTellTheAllReduceFromTheStep() {
        assertThat(TraceTerms.unidentified(List.of(LLAMA_8B_TP2)).get(StepTimeTerm.ALL_REDUCE_LATENCY_SECONDS))
                .startsWith("every trace's engine pays it 64 times a step");
    }

    @Test
    void twoModelsFreeTheLayerCostButCountsThatFollowTheOthersStayPinned() {
        // 8B at TP 1 and 70B at TP 4: all-reduces are 2 per layer above TP 1, i.e. 2 x layers - 64 at both
        Map<StepTimeTerm, String> pinned = TraceTerms.unidentified(List.of(LLAMA_8B, LLAMA_70B_TP4));

        assertThat(pinned.keySet()).containsExactly(StepTimeTerm.MOE_LAYER_OVERHEAD_SECONDS,
                StepTimeTerm.ALL_REDUCE_LATENCY_SECONDS);
        assertThat(pinned.get(StepTimeTerm.ALL_REDUCE_LATENCY_SECONDS)).isEqualTo("across the traces' engines its"
                + " count per step follows those of step_overhead_seconds, layer_overhead_seconds, so the traces cannot"
                + " tell it from them");
    }

    @Test
    void aMoeModelBesideADenseOneFreesTheMoeLayerCost() {
        assertThat(TraceTerms.unidentified(List.of(LLAMA_8B_TP2, MIXTRAL_TP2)).keySet())
                .containsExactly(StepTimeTerm.LAYER_OVERHEAD_SECONDS, StepTimeTerm.ALL_REDUCE_LATENCY_SECONDS);
    }

    @Test
    void theRankCountsIndependentColumns() {
        List<StepTimeTerm> terms = List.of(StepTimeTerm.STEP_OVERHEAD_SECONDS, StepTimeTerm.LAYER_OVERHEAD_SECONDS,
                StepTimeTerm.ALL_REDUCE_LATENCY_SECONDS);

        assertThat(TraceTerms.rank(List.of(LLAMA_8B), terms)).isEqualTo(1);
        assertThat(TraceTerms.rank(List.of(LLAMA_8B, LLAMA_8B), terms)).isEqualTo(1);
        assertThat(TraceTerms.rank(List.of(LLAMA_8B, LLAMA_8B_TP2, LLAMA_70B_TP4), terms)).isEqualTo(3);
    }
}
