package dev.servesim.engine.vllm;

import dev.servesim.engine.common.steptime.StepBatch;

/** Step batches for step-time tests. */
final class RooflineBatches {

    private RooflineBatches() {}

    /** {@code requests} decodes, each with {@code context} tokens before it. */
    static StepBatch decodes(int requests, int context) {
        StepBatch batch = new StepBatch();
        for (int i = 0; i < requests; i++) {
            batch.add(1, context);
        }
        return batch;
    }

    /** One prefill chunk of {@code tokens} over {@code context} cached tokens. */
    static StepBatch prefill(int tokens, int context) {
        StepBatch batch = new StepBatch();
        batch.add(tokens, context);
        return batch;
    }
}
