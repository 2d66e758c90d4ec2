package dev.servesim.engine.common.steptime;

import static dev.servesim.engine.common.steptime.StepTimeTerm.ALL_REDUCE_LATENCY_SECONDS;
import static dev.servesim.engine.common.steptime.StepTimeTerm.ARRIVAL_OVERHEAD_SECONDS;
import static dev.servesim.engine.common.steptime.StepTimeTerm.ARRIVAL_OVERHEAD_SECONDS_PER_PROMPT_TOKEN;
import static dev.servesim.engine.common.steptime.StepTimeTerm.ATTENTION_EFFICIENCY;
import static dev.servesim.engine.common.steptime.StepTimeTerm.GEMM_EFFICIENCY;
import static dev.servesim.engine.common.steptime.StepTimeTerm.KV_READ_EFFICIENCY;
import static dev.servesim.engine.common.steptime.StepTimeTerm.LAYER_OVERHEAD_SECONDS;
import static dev.servesim.engine.common.steptime.StepTimeTerm.MOE_LAYER_OVERHEAD_SECONDS;
import static dev.servesim.engine.common.steptime.StepTimeTerm.OUTPUT_OVERHEAD_SECONDS;
import static dev.servesim.engine.common.steptime.StepTimeTerm.REQUEST_OVERHEAD_SECONDS;
import static dev.servesim.engine.common.steptime.StepTimeTerm.STEP_OVERHEAD_SECONDS;
import static dev.servesim.engine.common.steptime.StepTimeTerm.WEIGHT_READ_EFFICIENCY;
import static java.util.Objects.requireNonNull;

/**
 * The step time of both step-time models: fixed costs plus, for every part of the forward pass
 * ({@link ForwardPass}), a roofline at achievable efficiencies, plus the collectives:
 * <pre>
 * step = step_overhead + layers * layer_overhead + moe_layers * moe_layer_overhead + requests * request_overhead
 *      + max(linear FLOPs / (peak * gemm_efficiency), linear weight bytes / (bandwidth * weight_read_efficiency))
 *      + the same for the routed experts (touched experts' bytes) and the LM head
 *      + activation bytes / (bandwidth * weight_read_efficiency)
 *      + max(attention FLOPs / (16-bit peak * attention_efficiency), KV bytes / (bandwidth * kv_read_efficiency)),
 *        for the prefill chunks and for the decodes apart
 *      + all-reduces * all_reduce_latency + all-reduce bytes / (link * interconnect efficiency)
 *      + pipeline hand-overs
 * </pre>
 * Every efficiency is at most 1 and every cost at least 0, so no step is ever shorter than
 * {@link ForwardPass#floorSeconds()}, the hardware's lower bound. {@code step_time: roofline} runs it at the physical
 * defaults, {@code physics} at fitted values ({@link PhysicsCoefficients}).
 */
public final class StepTimeFormula implements StepTimeModel {

    private final ForwardPass pass;
    private final StepCoefficients coefficients;
    private final String name;
    private final double fixedSeconds;
    private final double perRequest;
    private final double perGemmSecond;
    private final double perAttentionSecond;
    private final double perWeightSecond;
    private final double perKvSecond;
    private final double perLinkSecond;
    private final double arrival;
    private final double arrivalPerToken;
    private final double output;

    public StepTimeFormula(ForwardPass pass, StepCoefficients coefficients, String name) {
        this.pass = requireNonNull(pass, "pass is null");
        this.coefficients = requireNonNull(coefficients, "coefficients is null");
        this.name = requireNonNull(name, "name is null");
        fixedSeconds = coefficients.get(STEP_OVERHEAD_SECONDS) + pass.layers * coefficients.get(LAYER_OVERHEAD_SECONDS)
                + pass.moeLayerCount * coefficients.get(MOE_LAYER_OVERHEAD_SECONDS)
                + pass.allReduceCount * coefficients.get(ALL_REDUCE_LATENCY_SECONDS);
        perRequest = coefficients.get(REQUEST_OVERHEAD_SECONDS);
        perGemmSecond = 1 / coefficients.get(GEMM_EFFICIENCY);
        perAttentionSecond = 1 / coefficients.get(ATTENTION_EFFICIENCY);
        perWeightSecond = 1 / coefficients.get(WEIGHT_READ_EFFICIENCY);
        perKvSecond = 1 / coefficients.get(KV_READ_EFFICIENCY);
        perLinkSecond = 1 / coefficients.interconnectEfficiency();
        arrival = coefficients.get(ARRIVAL_OVERHEAD_SECONDS);
        arrivalPerToken = coefficients.get(ARRIVAL_OVERHEAD_SECONDS_PER_PROMPT_TOKEN);
        output = coefficients.get(OUTPUT_OVERHEAD_SECONDS);
    }

    @Override
    public double stepSeconds(StepBatch batch) {
        ForwardPass p = pass;
        p.measure(batch);
        return fixedSeconds + perRequest * p.requests
                + Math.max(p.linearCompute * perGemmSecond, p.linearMemory * perWeightSecond)
                + Math.max(p.moeCompute * perGemmSecond, p.moeMemory * perWeightSecond)
                + Math.max(p.lmHeadCompute * perGemmSecond, p.lmHeadMemory * perWeightSecond)
                + p.activationMemory * perWeightSecond
                + Math.max(p.prefillAttentionCompute * perAttentionSecond, p.prefillAttentionMemory * perKvSecond)
                + Math.max(p.decodeAttentionCompute * perAttentionSecond, p.decodeAttentionMemory * perKvSecond)
                + p.allReduceTransfer * perLinkSecond
                + p.pipelineLatency + p.pipelineTransfer * perLinkSecond;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public double arrivalOverheadSeconds(int promptTokens) {
        return arrival + arrivalPerToken * promptTokens;
    }

    @Override
    public double outputOverheadSeconds() {
        return output;
    }

    public StepCoefficients coefficients() {
        return coefficients;
    }

    /** The hardware lower bound of the step last timed ({@link ForwardPass#floorSeconds()}). */
    public double lastFloorSeconds() {
        return pass.floorSeconds();
    }
}
