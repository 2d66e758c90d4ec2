package dev.servesim.engine.vllm;

import dev.servesim.engine.vllm.config.HardwareSpec;
import dev.servesim.engine.vllm.config.VllmConfig;

/**
 * Step time as a roofline per part of the forward pass ({@link ForwardPass}): each of linear layers, routed experts,
 * LM head, prefill attention and decode attention takes {@code max(compute / mfu, memory / mbu)}, and the step is the
 * fixed CPU overhead ({@code step_overhead}) plus the parts plus the tensor-parallel all-reduces and the pipeline
 * transfers. The {@code step_time: roofline} model.
 */
final class RooflineStepTime implements StepTimeModel {

    private final ForwardPass pass;
    private final double overheadSeconds;
    private final double computeScale;
    private final double memoryScale;

    RooflineStepTime(ShardedModel model, HardwareSpec hardware, VllmConfig config) {
        this.pass = new ForwardPass(model, hardware, config);
        this.overheadSeconds = config.stepOverhead();
        this.computeScale = 1 / config.mfu();
        this.memoryScale = 1 / config.mbu();
    }

    @Override
    public double stepSeconds(StepBatch batch) {
        ForwardPass p = pass;
        p.measure(batch);
        return overheadSeconds
                + part(p.linearCompute, p.linearMemory)
                + part(p.moeCompute, p.moeMemory)
                + part(p.lmHeadCompute, p.lmHeadMemory)
                + part(p.prefillAttentionCompute, p.prefillAttentionMemory)
                + part(p.decodeAttentionCompute, p.decodeAttentionMemory)
                + p.allReduce
                + p.pipelineTransfer;
    }

    @Override
    public String name() {
        return "roofline";
    }

    private double part(double computeSeconds, double memorySeconds) {
        return Math.max(computeSeconds * computeScale, memorySeconds * memoryScale);
    }
}
