package dev.servesim.engine.vllm;

import static dev.servesim.engine.vllm.PhysicsCoefficients.Term.ALL_REDUCE;
import static dev.servesim.engine.vllm.PhysicsCoefficients.Term.ARRIVAL_OVERHEAD_SECONDS;
import static dev.servesim.engine.vllm.PhysicsCoefficients.Term.ARRIVAL_OVERHEAD_SECONDS_PER_PROMPT_TOKEN;
import static dev.servesim.engine.vllm.PhysicsCoefficients.Term.DECODE_ATTENTION_COMPUTE;
import static dev.servesim.engine.vllm.PhysicsCoefficients.Term.DECODE_ATTENTION_MEMORY;
import static dev.servesim.engine.vllm.PhysicsCoefficients.Term.LINEAR_COMPUTE;
import static dev.servesim.engine.vllm.PhysicsCoefficients.Term.LINEAR_MEMORY;
import static dev.servesim.engine.vllm.PhysicsCoefficients.Term.LM_HEAD_COMPUTE;
import static dev.servesim.engine.vllm.PhysicsCoefficients.Term.LM_HEAD_MEMORY;
import static dev.servesim.engine.vllm.PhysicsCoefficients.Term.MOE_COMPUTE;
import static dev.servesim.engine.vllm.PhysicsCoefficients.Term.MOE_MEMORY;
import static dev.servesim.engine.vllm.PhysicsCoefficients.Term.OUTPUT_OVERHEAD_SECONDS;
import static dev.servesim.engine.vllm.PhysicsCoefficients.Term.PIPELINE_TRANSFER;
import static dev.servesim.engine.vllm.PhysicsCoefficients.Term.PREFILL_ATTENTION_COMPUTE;
import static dev.servesim.engine.vllm.PhysicsCoefficients.Term.PREFILL_ATTENTION_MEMORY;
import static dev.servesim.engine.vllm.PhysicsCoefficients.Term.REQUEST_OVERHEAD_SECONDS;
import static dev.servesim.engine.vllm.PhysicsCoefficients.Term.STEP_OVERHEAD_SECONDS;
import static dev.servesim.engine.vllm.PhysicsCoefficients.Term.TOKEN_OVERHEAD_SECONDS;
import static java.util.Objects.requireNonNull;

import dev.servesim.engine.vllm.config.HardwareSpec;
import dev.servesim.engine.vllm.config.VllmConfig;

/**
 * Step time as a linear combination of the forward pass's parts ({@link ForwardPass}, each as its ideal seconds at
 * peak), with fitted coefficients, plus per-step, per-request and per-token overheads; request-level overheads on
 * arrival and output come from the same coefficients. The {@code step_time: physics} model; the coefficients live in
 * a versioned properties file ({@link PhysicsCoefficients}).
 */
final class PhysicsStepTime implements StepTimeModel {

    private final ForwardPass pass;
    private final PhysicsCoefficients coefficients;
    private final double step;
    private final double perRequest;
    private final double perToken;
    private final double linearCompute;
    private final double linearMemory;
    private final double moeCompute;
    private final double moeMemory;
    private final double lmHeadCompute;
    private final double lmHeadMemory;
    private final double prefillCompute;
    private final double prefillMemory;
    private final double decodeCompute;
    private final double decodeMemory;
    private final double allReduce;
    private final double pipelineTransfer;
    private final double arrival;
    private final double arrivalPerToken;
    private final double output;

    PhysicsStepTime(ShardedModel model, HardwareSpec hardware, VllmConfig config, PhysicsCoefficients coefficients) {
        this.pass = new ForwardPass(model, hardware, config);
        this.coefficients = requireNonNull(coefficients, "coefficients is null");
        step = coefficients.get(STEP_OVERHEAD_SECONDS);
        perRequest = coefficients.get(REQUEST_OVERHEAD_SECONDS);
        perToken = coefficients.get(TOKEN_OVERHEAD_SECONDS);
        linearCompute = coefficients.get(LINEAR_COMPUTE);
        linearMemory = coefficients.get(LINEAR_MEMORY);
        moeCompute = coefficients.get(MOE_COMPUTE);
        moeMemory = coefficients.get(MOE_MEMORY);
        lmHeadCompute = coefficients.get(LM_HEAD_COMPUTE);
        lmHeadMemory = coefficients.get(LM_HEAD_MEMORY);
        prefillCompute = coefficients.get(PREFILL_ATTENTION_COMPUTE);
        prefillMemory = coefficients.get(PREFILL_ATTENTION_MEMORY);
        decodeCompute = coefficients.get(DECODE_ATTENTION_COMPUTE);
        decodeMemory = coefficients.get(DECODE_ATTENTION_MEMORY);
        allReduce = coefficients.get(ALL_REDUCE);
        pipelineTransfer = coefficients.get(PIPELINE_TRANSFER);
        arrival = coefficients.get(ARRIVAL_OVERHEAD_SECONDS);
        arrivalPerToken = coefficients.get(ARRIVAL_OVERHEAD_SECONDS_PER_PROMPT_TOKEN);
        output = coefficients.get(OUTPUT_OVERHEAD_SECONDS);
    }

    @Override
    public double stepSeconds(StepBatch batch) {
        ForwardPass p = pass;
        p.measure(batch);
        return step + perRequest * batch.size() + perToken * batch.totalTokens()
                + linearCompute * p.linearCompute + linearMemory * p.linearMemory
                + moeCompute * p.moeCompute + moeMemory * p.moeMemory
                + lmHeadCompute * p.lmHeadCompute + lmHeadMemory * p.lmHeadMemory
                + prefillCompute * p.prefillAttentionCompute + prefillMemory * p.prefillAttentionMemory
                + decodeCompute * p.decodeAttentionCompute + decodeMemory * p.decodeAttentionMemory
                + allReduce * p.allReduce + pipelineTransfer * p.pipelineTransfer;
    }

    @Override
    public String name() {
        return "physics";
    }

    @Override
    public double arrivalOverheadSeconds(int promptTokens) {
        return arrival + arrivalPerToken * promptTokens;
    }

    @Override
    public double outputOverheadSeconds() {
        return output;
    }

    PhysicsCoefficients coefficients() {
        return coefficients;
    }
}
