package dev.servesim.engine.vllm;

import dev.servesim.engine.vllm.config.HardwareSpec;
import dev.servesim.engine.vllm.config.VllmConfig;

/**
 * Step time from a roofline per kernel group on one tensor-parallel rank: each part takes
 * {@code max(flops / (peak * mfu), bytes / (bandwidth * mbu))}, and the step is the fixed CPU overhead plus the
 * parts plus the tensor-parallel all-reduces.
 * <ul>
 *   <li>linear layers: {@code 2 * params * tokens} flops; their weights are read once per step;
 *   <li>LM head: logits for one position per scheduled request (the one vLLM samples); its weights read once;
 *   <li>attention: {@code 4 * heads * head_dim * layers} flops per (query, key) pair, causal, so a chunk from
 *       context {@code d0} to {@code d1} costs about {@code (d1^2 - d0^2) / 2} pairs; each request reads the K and V
 *       of its whole context once;
 *   <li>all-reduce: two per layer when {@code tp > 1}, ring volume {@code 2 * tokens * hidden * 2 B * (tp-1)/tp}
 *       over one direction of the interconnect, plus a fixed latency each.
 * </ul>
 * Embedding lookups, norms, activations and rotary embeddings are ignored (a small fraction of the bytes and flops).
 */
final class RooflineStepTime implements StepTimeModel {

    /** Latency of one small all-reduce; vLLM's custom all-reduce on NVLink takes a few microseconds. */
    static final double ALL_REDUCE_LATENCY_SECONDS = 5e-6;
    private static final int ACTIVATION_BYTES = 2;

    private final double overheadSeconds;
    private final double linearFlopsPerToken;
    private final double linearWeightBytes;
    private final double lmHeadFlopsPerRequest;
    private final double lmHeadBytes;
    private final double attentionFlopsPerPair;
    private final double kvBytesPerToken;
    private final double linearFlopsPerSecond;
    private final double sixteenBitFlopsPerSecond;
    private final double bytesPerSecond;
    private final int allReducesPerStep;
    private final double allReduceBytesPerToken;
    private final double linkBytesPerSecond;

    RooflineStepTime(ShardedModel model, HardwareSpec hardware, VllmConfig config) {
        int tp = model.tp();
        overheadSeconds = config.stepOverhead();
        linearFlopsPerToken = 2.0 * model.linearParametersPerRank();
        linearWeightBytes = model.linearWeightBytesPerRank();
        lmHeadFlopsPerRequest = 2.0 * model.lmHeadParametersPerRank();
        lmHeadBytes = model.lmHeadBytesPerRank();
        attentionFlopsPerPair = 4.0 * model.headsPerRank() * model.model().headDim() * model.model().layers();
        kvBytesPerToken = model.kvBytesPerTokenPerRank();
        linearFlopsPerSecond = hardware.peakFlopsPerSecond(config.dtype()) * config.mfu();
        sixteenBitFlopsPerSecond = hardware.bf16FlopsPerSecond() * config.mfu();
        bytesPerSecond = hardware.hbmBytesPerSecond() * config.mbu();
        allReducesPerStep = tp > 1 ? 2 * model.model().layers() : 0;
        allReduceBytesPerToken = 2.0 * model.model().hiddenSize() * ACTIVATION_BYTES * (tp - 1) / tp;
        // vendors quote both directions summed; a ring all-reduce sends in one direction per link
        linkBytesPerSecond = hardware.interconnectBytesPerSecond() / 2;
    }

    @Override
    public double stepSeconds(StepBatch batch) {
        int tokens = batch.totalTokens();
        double pairs = 0;
        double contextTokens = 0;
        for (int i = 0; i < batch.size(); i++) {
            double before = batch.contextTokens(i);
            double after = before + batch.newTokens(i);
            // query at position p attends to keys 0..p: sum over p in [before, after) of (p + 1)
            pairs += (after * (after + 1) - before * (before + 1)) / 2;
            contextTokens += after;
        }
        double linear = Math.max(linearFlopsPerToken * tokens / linearFlopsPerSecond, linearWeightBytes / bytesPerSecond);
        double lmHead = Math.max(lmHeadFlopsPerRequest * batch.size() / sixteenBitFlopsPerSecond,
                lmHeadBytes / bytesPerSecond);
        double attention = Math.max(attentionFlopsPerPair * pairs / sixteenBitFlopsPerSecond,
                contextTokens * kvBytesPerToken / bytesPerSecond);
        double allReduce = allReducesPerStep
                * (ALL_REDUCE_LATENCY_SECONDS + tokens * allReduceBytesPerToken / linkBytesPerSecond);
        return overheadSeconds + linear + lmHead + attention + allReduce;
    }
}
