package dev.servesim.engine.vllm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servesim.engine.vllm.config.HardwareSpec;
import dev.servesim.engine.vllm.config.ModelSpec;
import dev.servesim.engine.vllm.config.VllmConfig;
import org.junit.jupiter.api.Test;

class RooflineStepTimeTest {

    private final RooflineStepTime llama8bOnH100 = model("llama-3.1-8b", 1);

    @Test
    void decodeOfOneSequenceTakesSixToEightMilliseconds() {
        double seconds = llama8bOnH100.stepSeconds(decodes(1, 1000));

        assertThat(seconds).isBetween(0.006, 0.008);
    }

    @Test
    void doublingADecodeBatchAtShortContextCostsFarLessThanDouble() {
        double one = llama8bOnH100.stepSeconds(decodes(1, 200));
        double two = llama8bOnH100.stepSeconds(decodes(2, 200));
        double sixtyFour = llama8bOnH100.stepSeconds(decodes(64, 200));

        assertThat(two).isGreaterThan(one).isLessThan(1.05 * one);
        assertThat(sixtyFour).isLessThan(2 * one);
    }

    @Test
    void prefillGrowsSuperLinearlyWithPromptLength() {
        double prefill8k = llama8bOnH100.stepSeconds(prefill(8192, 0));
        double prefill16k = llama8bOnH100.stepSeconds(prefill(16384, 0));
        // the second half of a 16k prompt costs more than the first: it attends to the first half
        double secondChunk = llama8bOnH100.stepSeconds(prefill(8192, 8192));

        assertThat(prefill16k).isGreaterThan(2 * prefill8k);
        assertThat(secondChunk).isGreaterThan(1.1 * prefill8k);
        assertThat(prefill8k).isBetween(0.2, 0.4);
    }

    @Test
    void tensorParallelismSpeedsUpDecodeButPaysForAllReduces() {
        RooflineStepTime seventyBillionTp4 = model("llama-3.1-70b", 4);
        double tp4 = seventyBillionTp4.stepSeconds(decodes(1, 1000));
        double twoLayersOfAllReduces = 2 * 80 * RooflineStepTime.ALL_REDUCE_LATENCY_SECONDS;

        // 32.8 GiB of weights per rank at 80% of 3.35 TB/s, plus 160 all-reduces
        assertThat(tp4).isBetween(0.013 + twoLayersOfAllReduces, 0.016 + twoLayersOfAllReduces);
        assertThat(model("llama-3.1-8b", 2).stepSeconds(decodes(1, 1000)))
                .isLessThan(llama8bOnH100.stepSeconds(decodes(1, 1000)));
    }

    private static StepBatch decodes(int requests, int context) {
        StepBatch batch = new StepBatch();
        for (int i = 0; i < requests; i++) {
            batch.add(1, context);
        }
        return batch;
    }

    private static StepBatch prefill(int tokens, int context) {
        StepBatch batch = new StepBatch();
        batch.add(tokens, context);
        return batch;
    }

    private static RooflineStepTime model(String name, int tp) {
        VllmConfig config = new VllmConfig(name, null, tp, null, null, null, null, null, null, null, null, null, null,
                null, null, null);
        return new RooflineStepTime(ShardedModel.of(ModelSpec.named(name), config), HardwareSpec.named(config.hardware()),
                config);
    }
}
