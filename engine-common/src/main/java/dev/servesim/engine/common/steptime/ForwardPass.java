package dev.servesim.engine.common.steptime;

import dev.servesim.engine.common.hardware.HardwareSpec;
import dev.servesim.engine.common.model.Dtype;

/**
 * The work of one engine step's forward pass on one tensor-parallel slice (summed over the pipeline stages, which
 * run one after the other for a batch), split into parts, each given as its ideal time at 100% of the hardware's
 * peaks: compute seconds (FLOPs / peak FLOP/s of the part's dtype) and memory seconds (bytes / peak memory
 * bandwidth). {@link StepTimeFormula} turns them into a step time with efficiencies and fixed costs.
 * <ul>
 *   <li>linear: attention projections, dense MLPs, shared experts and routers: {@code 2 * params} FLOPs per scheduled
 *       token at the weight dtype's peak (16-bit attention projections of a checkpoint that leaves them unquantized
 *       at the 16-bit peak), and the weights read once per step;
 *   <li>experts: routed experts, {@code 2 * params * experts_per_token} FLOPs per token per MoE layer, and the
 *       weights of the experts the batch touches read once: {@code E * (1 - (1 - k/E)^T)} of the {@code E} experts
 *       in expectation for {@code T} tokens routed independently and uniformly to {@code k} experts each (not all
 *       {@code E}, not {@code T * k});
 *   <li>LM head: logits of one position per scheduled request (the one vLLM samples), weights read once; 16-bit;
 *   <li>activations: what the element-wise kernels between the GEMMs (fused add + RMSNorm twice, rotary embedding,
 *       SiLU-and-multiply, the MoE permutation) and the GEMMs' inputs and outputs move, per token and layer. Small
 *       batches keep these tensors in the L2 cache; only the tokens beyond what the L2 holds of the widest one (the
 *       gate-up output) count as device-memory traffic, so decode steps pay nothing here and long prefill chunks
 *       pay nearly all of it;
 *   <li>prefill attention (requests computing more than one token): {@code 4 * heads * head_dim} FLOPs per (query,
 *       key) pair per layer, causal, so a chunk from context {@code d0} to {@code d1} has
 *       {@code (d1(d1+1) - d0(d0+1)) / 2} pairs (attention over cached context - earlier chunks, prefix-cache hits
 *       - included); memory: the K and V of the whole context read once and the new tokens' K and V written; 16-bit
 *       compute, KV bytes in the KV cache dtype (FP8 or 16-bit), KV heads per rank as GQA shards them;
 *   <li>decode attention (requests computing one token): the same, one query per request over its actual context;
 *   <li>all-reduce: two per layer when {@code tp > 1} (after attention and after the MLP), each a latency (a
 *       coefficient of the step time) plus the ring volume {@code 2 * tokens * hidden * 2 B * (tp-1)/tp} over the
 *       bandwidth one direction of the link gives a rank ({@link HardwareSpec#linkBytesPerSecond});
 *   <li>pipeline transfer: {@code pp - 1} point-to-point sends of the hidden states ({@code tokens * hidden * 2 B})
 *       over one direction of the link, plus {@link #PIPELINE_TRANSFER_LATENCY_SECONDS} each.
 * </ul>
 * Also counted for the fixed costs: the layers, MoE layers and requests of the step. Embedding lookups and sampling
 * are left out (a small fraction of the bytes and FLOPs); the per-step cost covers them.
 *
 * <p>Mutable: {@link #measure} overwrites the parts; owned by one step model.
 */
public final class ForwardPass {

    /** Latency of one pipeline-stage hand-over (NCCL send/receive of the hidden states). */
    static final double PIPELINE_TRANSFER_LATENCY_SECONDS = 2e-5;
    /** Activations are 16-bit (the model dtype; FP8 checkpoints quantize them inside the GEMMs only). */
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
    private final double activationBytesPerToken;
    private final double cacheResidentTokens;
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

    /** Decoder layers over the pipeline (each pays the fixed per-layer cost). */
    final int layers;
    /** MoE layers over the pipeline (each pays the fixed per-MoE-layer cost). */
    final int moeLayerCount;
    /** Tensor-parallel all-reduces of every step (each pays the collective's latency). */
    final int allReduceCount;

    // the parts of the last measured step, seconds at peak
    double linearCompute;
    double linearMemory;
    double moeCompute;
    double moeMemory;
    double lmHeadCompute;
    double lmHeadMemory;
    double activationMemory;
    double prefillAttentionCompute;
    double prefillAttentionMemory;
    double decodeAttentionCompute;
    double decodeAttentionMemory;
    /** Link seconds of the step's all-reduces at the link's peak, without their latency. */
    double allReduceTransfer;
    /** Link seconds of the pipeline hand-overs at the link's peak, without their latency. */
    double pipelineTransfer;
    /** Latency of the pipeline hand-overs, seconds. */
    double pipelineLatency;
    /** Requests in the last measured step. */
    int requests;
    /** Expected routed experts the last step touched per MoE layer. */
    double touchedExperts;

    /** The forward pass of {@code model} on {@code hardware}, its linear layers computed at the peak of {@code dtype}. */
    public ForwardPass(ShardedModel model, HardwareSpec hardware, Dtype dtype) {
        int tp = model.tp();
        layers = model.model().layers();
        int hidden = model.model().hiddenSize();
        long sixteenBitLinear = model.attentionWeightBytes() != model.weightBytes()
                ? model.attentionParametersOverPipeline() : 0;
        linearFlopsPerToken = 2.0 * (model.denseLinearParameters() - sixteenBitLinear);
        sixteenBitLinearFlopsPerToken = 2.0 * sixteenBitLinear;
        linearBytes = model.denseLinearBytes();
        moeLayers = model.moeLayers();
        moeLayerCount = moeLayers;
        experts = model.model().moe().experts();
        int perToken = model.model().moe().expertsPerToken();
        untouchedPerToken = experts > 0 ? 1.0 - perToken / experts : 1.0;
        expertFlopsPerToken = 2.0 * model.expertParameters() * perToken * moeLayers;
        expertBytesPerLayer = (double) model.expertParameters() * model.weightBytes();
        lmHeadFlopsPerRequest = 2.0 * model.lmHeadParameters();
        lmHeadBytes = (double) ACTIVATION_BYTES * model.lmHeadParameters();
        activationBytesPerToken = ACTIVATION_BYTES * model.activationElementsPerTokenOverPipeline();
        cacheResidentTokens = hardware.l2CacheBytes() / (ACTIVATION_BYTES * (double) model.widestActivationPerToken());
        attentionFlopsPerPair = 4.0 * model.headsPerRank() * model.model().headDim() * layers;
        kvBytesPerToken = model.kvBytesPerTokenOverPipeline();
        allReduces = tp > 1 ? 2 * layers : 0;
        allReduceCount = allReduces;
        allReduceBytesPerToken = 2.0 * hidden * ACTIVATION_BYTES * (tp - 1) / tp;
        pipelineTransfers = model.pp() - 1;
        pipelineBytesPerToken = (double) hidden * ACTIVATION_BYTES;
        weightFlopsPerSecond = hardware.peakFlopsPerSecond(dtype);
        sixteenBitFlopsPerSecond = hardware.bf16FlopsPerSecond();
        memoryBytesPerSecond = hardware.memoryBytesPerSecond();
        linkBytesPerSecond = hardware.linkBytesPerSecond(tp);
    }

    /** Fills the parts for {@code batch}. Allocates nothing. */
    void measure(StepBatch batch) {
        int tokens = batch.totalTokens();
        requests = batch.size();
        double prefillPairs = 0;
        double prefillKv = 0;
        double decodePairs = 0;
        double decodeKv = 0;
        for (int i = 0; i < batch.size(); i++) {
            int fresh = batch.newTokens(i);
            double before = batch.contextTokens(i);
            double after = before + fresh;
            // query at position p attends to keys 0..p: sum over p in [before, after) of (p + 1)
            double pairs = (after * (after + 1) - before * (before + 1)) / 2;
            // the context is read, the new tokens' K and V written
            double kv = before + 2.0 * fresh;
            if (fresh == 1) {
                decodePairs += pairs;
                decodeKv += kv;
            } else {
                prefillPairs += pairs;
                prefillKv += kv;
            }
        }
        linearCompute = linearFlopsPerToken * tokens / weightFlopsPerSecond
                + sixteenBitLinearFlopsPerToken * tokens / sixteenBitFlopsPerSecond;
        linearMemory = linearBytes / memoryBytesPerSecond;
        if (moeLayers > 0) {
            touchedExperts = touchedExperts(tokens);
            moeCompute = expertFlopsPerToken * tokens / weightFlopsPerSecond;
            moeMemory = touchedExperts * expertBytesPerLayer * moeLayers / memoryBytesPerSecond;
        }
        lmHeadCompute = lmHeadFlopsPerRequest * requests / sixteenBitFlopsPerSecond;
        lmHeadMemory = lmHeadBytes / memoryBytesPerSecond;
        activationMemory = Math.max(0, tokens - cacheResidentTokens) * activationBytesPerToken / memoryBytesPerSecond;
        prefillAttentionCompute = attentionFlopsPerPair * prefillPairs / sixteenBitFlopsPerSecond;
        prefillAttentionMemory = prefillKv * kvBytesPerToken / memoryBytesPerSecond;
        decodeAttentionCompute = attentionFlopsPerPair * decodePairs / sixteenBitFlopsPerSecond;
        decodeAttentionMemory = decodeKv * kvBytesPerToken / memoryBytesPerSecond;
        allReduceTransfer = allReduces * tokens * allReduceBytesPerToken / linkBytesPerSecond;
        pipelineTransfer = pipelineTransfers * tokens * pipelineBytesPerToken / linkBytesPerSecond;
        pipelineLatency = pipelineTransfers * PIPELINE_TRANSFER_LATENCY_SECONDS;
    }

    /** Expected routed experts a step of {@code tokens} scheduled tokens touches per MoE layer; 0 for a dense model. */
    double touchedExperts(double tokens) {
        return moeLayers > 0 ? experts * (1 - Math.pow(untouchedPerToken, tokens)) : 0;
    }

    /**
     * Seconds per scheduled token of the linear layers and routed experts at the peaks ({@link #linearCompute} plus
     * {@link #moeCompute} per token): no step of {@code T} tokens is shorter than {@code T} times this.
     */
    double linearComputeSecondsPerToken() {
        return (linearFlopsPerToken + expertFlopsPerToken) / weightFlopsPerSecond
                + sixteenBitLinearFlopsPerToken / sixteenBitFlopsPerSecond;
    }

    /**
     * Weight bytes a step of {@code tokens} scheduled tokens reads at least ({@link #linearMemory},
     * {@link #moeMemory} and {@link #lmHeadMemory} in bytes): the dense linear layers, the LM head and the routed
     * experts the step touches. Grows with {@code tokens}, and less than in proportion.
     */
    double weightBytesRead(double tokens) {
        return linearBytes + lmHeadBytes + touchedExperts(tokens) * expertBytesPerLayer * moeLayers;
    }

    /** Peak device-memory bandwidth, bytes per second. */
    double memoryBytesPerSecond() {
        return memoryBytesPerSecond;
    }

    /**
     * The hardware's lower bound for the last measured step: every FLOP at its peak or every byte at the peak
     * bandwidth, whichever is longer, plus the collectives' bytes at the link's peak. No step model may go below it.
     */
    double floorSeconds() {
        double compute = linearCompute + moeCompute + lmHeadCompute + prefillAttentionCompute + decodeAttentionCompute;
        double memory = linearMemory + moeMemory + lmHeadMemory + activationMemory + prefillAttentionMemory
                + decodeAttentionMemory;
        return Math.max(compute, memory) + allReduceTransfer + pipelineTransfer;
    }
}
