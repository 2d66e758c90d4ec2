package dev.servesim.engine.vllm;

import dev.servesim.engine.vllm.config.HardwareSpec;
import dev.servesim.engine.vllm.config.VllmConfig;

/**
 * The work of one engine step's forward pass on one tensor-parallel slice (summed over the pipeline stages), split
 * into parts, each given as its ideal time at 100% of the hardware peak: compute seconds (FLOPs / peak FLOP/s) and
 * memory seconds (bytes / peak HBM bandwidth). The step-time models combine the parts: {@link RooflineStepTime} as a
 * roofline per part, {@link PhysicsStepTime} as a fitted linear combination.
 * <ul>
 *   <li>linear: attention projections, dense MLPs, shared experts and routers: {@code 2 * params} FLOPs per scheduled
 *       token, weights read once per step; at the weight dtype's peak (16-bit attention projections of a checkpoint
 *       that leaves them unquantized at the 16-bit peak);
 *   <li>MoE: routed experts, {@code 2 * params * experts_per_token} FLOPs per token per MoE layer; weights read for
 *       the experts the batch touches, {@code E * (1 - (1 - k/E)^T)} of the {@code E} experts in expectation for
 *       {@code T} tokens routed independently and uniformly to {@code k} experts each;
 *   <li>LM head: logits of one position per scheduled request (the one vLLM samples), weights read once; 16-bit;
 *   <li>prefill attention (requests computing more than one token): {@code 4 * heads * head_dim} FLOPs per (query,
 *       key) pair per layer, causal, so a chunk from context {@code d0} to {@code d1} has
 *       {@code (d1(d1+1) - d0(d0+1)) / 2} pairs; reads the K and V of its whole context once; 16-bit;
 *   <li>decode attention (requests computing one token): the same FLOPs, and the K and V of the sequence read;
 *   <li>all-reduce: two per layer when {@code tp > 1}, ring volume {@code 2 * tokens * hidden * 2 B * (tp-1)/tp}
 *       over one direction of the interconnect, plus {@link #ALL_REDUCE_LATENCY_SECONDS} each;
 *   <li>pipeline transfer: {@code pp - 1} point-to-point sends of the hidden states ({@code tokens * hidden * 2 B})
 *       over one direction of the interconnect, plus {@link #PIPELINE_TRANSFER_LATENCY_SECONDS} each.
 * </ul>
 * Embedding lookups, norms, activations, rotary embeddings and sampling are left out (a small fraction of the bytes
 * and FLOPs); the step models' fixed overheads cover them.
 *
 * <p>Mutable: {@link #measure} overwrites the parts; owned by one step model.
 */
final class ForwardPass {

    /** Latency of one small all-reduce; vLLM's custom all-reduce on NVLink takes a few microseconds. */
    static final double ALL_REDUCE_LATENCY_SECONDS = 5e-6;
    /** Latency of one pipeline-stage hand-over (NCCL send/receive of the hidden states). */
    static final double PIPELINE_TRANSFER_LATENCY_SECONDS = 2e-5;
    private static final int ACTIVATION_BYTES = 2;

    // per-step constants
    private final double linearFlopsPerToken;
    private final double sixteenBitLinearFlopsPerToken;
    private final double linearBytes;
    private final double expertFlopsPerToken;
    private final double expertBytesPerLayer;
    private final double experts;
    private final double untouchedPerToken;
    private final int moeLayers;
    private final double lmHeadFlopsPerRequest;
    private final double lmHeadBytes;
    private final double attentionFlopsPerPair;
    private final double kvBytesPerToken;
    private final int allReduces;
    private final double allReduceBytesPerToken;
    private final int pipelineTransfers;
    private final double pipelineBytesPerToken;
    // hardware peaks
    private final double weightFlopsPerSecond;
    private final double sixteenBitFlopsPerSecond;
    private final double memoryBytesPerSecond;
    private final double linkBytesPerSecond;

    // the parts of the last measured step, seconds at peak
    double linearCompute;
    double linearMemory;
    double moeCompute;
    double moeMemory;
    double lmHeadCompute;
    double lmHeadMemory;
    double prefillAttentionCompute;
    double prefillAttentionMemory;
    double decodeAttentionCompute;
    double decodeAttentionMemory;
    double allReduce;
    double pipelineTransfer;
    /** Expected routed experts the last step touched per MoE layer. */
    double touchedExperts;

    ForwardPass(ShardedModel model, HardwareSpec hardware, VllmConfig config) {
        int tp = model.tp();
        int layers = model.model().layers();
        int hidden = model.model().hiddenSize();
        long sixteenBitLinear = model.attentionWeightBytes() != model.weightBytes()
                ? model.attentionParametersOverPipeline() : 0;
        linearFlopsPerToken = 2.0 * (model.denseLinearParameters() - sixteenBitLinear);
        sixteenBitLinearFlopsPerToken = 2.0 * sixteenBitLinear;
        linearBytes = model.denseLinearBytes();
        moeLayers = model.moeLayers();
        experts = model.model().moe().experts();
        int perToken = model.model().moe().expertsPerToken();
        untouchedPerToken = experts > 0 ? 1.0 - perToken / experts : 1.0;
        expertFlopsPerToken = 2.0 * model.expertParameters() * perToken * moeLayers;
        expertBytesPerLayer = (double) model.expertParameters() * model.weightBytes();
        lmHeadFlopsPerRequest = 2.0 * model.lmHeadParameters();
        lmHeadBytes = (double) ACTIVATION_BYTES * model.lmHeadParameters();
        attentionFlopsPerPair = 4.0 * model.headsPerRank() * model.model().headDim() * layers;
        kvBytesPerToken = model.kvBytesPerTokenOverPipeline();
        allReduces = tp > 1 ? 2 * layers : 0;
        allReduceBytesPerToken = 2.0 * hidden * ACTIVATION_BYTES * (tp - 1) / tp;
        pipelineTransfers = model.pp() - 1;
        pipelineBytesPerToken = (double) hidden * ACTIVATION_BYTES;
        weightFlopsPerSecond = hardware.peakFlopsPerSecond(config.dtype());
        sixteenBitFlopsPerSecond = hardware.bf16FlopsPerSecond();
        memoryBytesPerSecond = hardware.hbmBytesPerSecond();
        // vendors quote both directions summed; a ring all-reduce or a send uses one direction per link
        linkBytesPerSecond = hardware.interconnectBytesPerSecond() / 2;
    }

    /** Fills the parts for {@code batch}. Allocates nothing. */
    void measure(StepBatch batch) {
        int tokens = batch.totalTokens();
        double prefillPairs = 0;
        double prefillContext = 0;
        double decodePairs = 0;
        double decodeContext = 0;
        for (int i = 0; i < batch.size(); i++) {
            int fresh = batch.newTokens(i);
            double before = batch.contextTokens(i);
            double after = before + fresh;
            // query at position p attends to keys 0..p: sum over p in [before, after) of (p + 1)
            double pairs = (after * (after + 1) - before * (before + 1)) / 2;
            if (fresh == 1) {
                decodePairs += pairs;
                decodeContext += after;
            } else {
                prefillPairs += pairs;
                prefillContext += after;
            }
        }
        linearCompute = linearFlopsPerToken * tokens / weightFlopsPerSecond
                + sixteenBitLinearFlopsPerToken * tokens / sixteenBitFlopsPerSecond;
        linearMemory = linearBytes / memoryBytesPerSecond;
        if (moeLayers > 0) {
            touchedExperts = experts * (1 - Math.pow(untouchedPerToken, tokens));
            moeCompute = expertFlopsPerToken * tokens / weightFlopsPerSecond;
            moeMemory = touchedExperts * expertBytesPerLayer * moeLayers / memoryBytesPerSecond;
        }
        lmHeadCompute = lmHeadFlopsPerRequest * batch.size() / sixteenBitFlopsPerSecond;
        lmHeadMemory = lmHeadBytes / memoryBytesPerSecond;
        prefillAttentionCompute = attentionFlopsPerPair * prefillPairs / sixteenBitFlopsPerSecond;
        prefillAttentionMemory = prefillContext * kvBytesPerToken / memoryBytesPerSecond;
        decodeAttentionCompute = attentionFlopsPerPair * decodePairs / sixteenBitFlopsPerSecond;
        decodeAttentionMemory = decodeContext * kvBytesPerToken / memoryBytesPerSecond;
        allReduce = allReduces * (ALL_REDUCE_LATENCY_SECONDS + tokens * allReduceBytesPerToken / linkBytesPerSecond);
        pipelineTransfer = pipelineTransfers
                * (PIPELINE_TRANSFER_LATENCY_SECONDS + tokens * pipelineBytesPerToken / linkBytesPerSecond);
    }
}
