package dev.servesim.engine.common.steptime;

import dev.servesim.engine.common.model.ModelSpec;

/**
 * What each GPU holds of a model, as vLLM shards it over {@code tp} tensor-parallel ranks and {@code pp} pipeline
 * stages. Tensor parallelism splits attention heads and MLP columns (routed experts included: vLLM's default
 * tensor-parallel fused MoE), splits KV heads but replicates them once {@code tp} exceeds them, splits embedding and
 * LM head by vocabulary (VocabParallelEmbedding), and replicates norms and MoE routers. Pipeline parallelism gives
 * each stage a contiguous run of layers (vllm/distributed/utils.py get_pp_indices: an equal share, the remainder going
 * one layer each to the stages before the last); the first stage holds the embedding, the last the final norm and
 * the LM head. Linear layers are stored in the weight dtype; embedding, LM head and norms stay 16-bit (as FP8
 * checkpoints keep them), and so do the attention projections of a checkpoint that leaves them unquantized
 * ({@link ModelSpec#sixteenBitAttention()}). A vision encoder is 16-bit, split over the tensor-parallel ranks of the
 * first stage. MoE layers are taken as evenly spread over the layers (exact for all-MoE models and for
 * Llama 4's interleaving).
 *
 * <p>"Per rank" figures are for one tensor-parallel rank of one layer; figures "over the pipeline" add up the layers
 * of every stage on one tensor-parallel slice, which is the work one engine step does per slice.
 */
public record ShardedModel(ModelSpec model, int tp, int pp, int weightBytes, int kvBytes) {

    private static final int SIXTEEN_BIT = 2;

    int headsPerRank() {
        return model.attentionHeads() / tp;
    }

    int kvHeadsPerRank() {
        return Math.max(1, model.kvHeads() / tp);
    }

    int vocabPerRank() {
        return (model.vocabSize() + tp - 1) / tp;
    }

    /** q, k, v, o projections (and q/k/v biases) of one layer on one rank. */
    long attentionParameters() {
        long hidden = model.hiddenSize();
        long headDim = model.headDim();
        long q = hidden * headsPerRank() * headDim;
        long kv = 2 * hidden * kvHeadsPerRank() * headDim;
        long o = headsPerRank() * headDim * hidden;
        long bias = model.qkvBias() ? (long) (headsPerRank() + 2 * kvHeadsPerRank()) * headDim : 0;
        return q + kv + o + bias;
    }

    /** The gated MLP of one dense layer on one rank. */
    long denseMlpParameters() {
        return 3L * model.hiddenSize() * split(model.intermediateSize());
    }

    /** One routed expert of one MoE layer on one rank. */
    long expertParameters() {
        return 3L * model.hiddenSize() * split(model.moe().expertIntermediateSize());
    }

    /** The shared expert(s) of one MoE layer on one rank. */
    long sharedExpertParameters() {
        return 3L * model.hiddenSize() * split(model.moe().sharedIntermediateSize());
    }

    /** The router of one MoE layer (replicated on every rank). */
    long routerParameters() {
        return model.routerParameters();
    }

    /** The LM head (or the embedding, the same shape) on one rank. */
    long lmHeadParameters() {
        return (long) vocabPerRank() * model.hiddenSize();
    }

    /** Bytes of one attention-projection element: 16-bit when the checkpoint leaves them unquantized. */
    int attentionWeightBytes() {
        return model.sixteenBitAttention() ? SIXTEEN_BIT : weightBytes;
    }

    /** Attention-projection parameters over the pipeline, on one rank. */
    long attentionParametersOverPipeline() {
        return model.layers() * attentionParameters();
    }

    /** Bytes of {@link #denseLinearParameters()}: the attention projections in their dtype, the rest in the weights'. */
    double denseLinearBytes() {
        long attention = attentionParametersOverPipeline();
        return (double) attention * attentionWeightBytes() + (double) (denseLinearParameters() - attention) * weightBytes;
    }

    /**
     * Linear-layer parameters every step reads and every token multiplies, over the pipeline: attention, dense
     * MLPs, shared experts and routers (routed experts are counted apart, since a step touches only some of them).
     */
    long denseLinearParameters() {
        return model.layers() * attentionParameters() + (long) model.denseLayers() * denseMlpParameters()
                + model.moe().layers() * (sharedExpertParameters() + routerParameters());
    }

    /**
     * 16-bit activation elements one token moves through device memory per rank over the pipeline, outside the
     * weights and the KV cache: per layer, the two fused add + RMSNorm kernels (read and write the hidden state and
     * the residual: 4 hidden each), the q/k/v output, the rotary embedding (read and write q and k), the K and V
     * read to write them into the cache, attention's q read and output written, the projections' inputs and
     * outputs, and the MLP: gate-up output, SiLU-and-multiply (read 2, write 1), down input; for a MoE layer the
     * router input, the permutation of each token's {@code k} copies in and out, and the experts' intermediates
     * (vLLM's fused_moe), plus the shared expert's.
     */
    long activationElementsPerTokenOverPipeline() {
        long hidden = model.hiddenSize();
        long attention = 10 * hidden + 6L * (headsPerRank() + kvHeadsPerRank()) * model.headDim();
        long denseMlp = 2 * hidden + 6 * split(model.intermediateSize());
        long k = model.moe().expertsPerToken();
        long moeMlp = 3 * hidden + 4 * k * hidden + 6 * k * split(model.moe().expertIntermediateSize())
                + (model.moe().sharedIntermediateSize() > 0 ? 2 * hidden + 6 * split(model.moe().sharedIntermediateSize())
                        : 0);
        return model.layers() * attention + (long) model.denseLayers() * denseMlp + moeLayers() * moeMlp;
    }

    /** Elements per token of the widest activation tensor of a layer on one rank (the gate-up output, usually). */
    long widestActivationPerToken() {
        long widest = Math.max(model.hiddenSize(),
                (long) (headsPerRank() + 2 * kvHeadsPerRank()) * model.headDim());
        if (model.denseLayers() > 0) {
            widest = Math.max(widest, 2 * split(model.intermediateSize()));
        }
        if (model.isMoe()) {
            widest = Math.max(widest, 2L * model.moe().expertsPerToken() * split(model.moe().expertIntermediateSize()));
        }
        return widest;
    }

    /** MoE layers over the pipeline. */
    int moeLayers() {
        return model.moe().layers();
    }

    /** Layers of pipeline stage {@code stage}. */
    public int stageLayers(int stage) {
        int layers = model.layers();
        int remainder = layers % pp;
        // as get_pp_indices: stages pp-1-remainder .. pp-2 take one extra layer
        boolean extra = stage != pp - 1 && stage >= pp - 1 - remainder;
        return layers / pp + (extra ? 1 : 0);
    }

    /** The most layers any stage holds. */
    public int maxStageLayers() {
        int most = 0;
        for (int stage = 0; stage < pp; stage++) {
            most = Math.max(most, stageLayers(stage));
        }
        return most;
    }

    /** Bytes of weights on one GPU of pipeline stage {@code stage}. */
    public double stageWeightBytes(int stage) {
        int start = 0;
        for (int s = 0; s < stage; s++) {
            start += stageLayers(s);
        }
        int layers = stageLayers(stage);
        int moeLayers = moeLayersAmong(start, layers);
        long moeLayer = model.moe().experts() * expertParameters() + sharedExpertParameters() + routerParameters();
        long linear = (long) (layers - moeLayers) * denseMlpParameters() + moeLayers * moeLayer;
        double attention = (double) layers * attentionParameters() * attentionWeightBytes();
        boolean first = stage == 0;
        boolean last = stage == pp - 1;
        long norms = 2L * model.hiddenSize() * layers + (last ? model.hiddenSize() : 0);
        long embedding = first ? lmHeadParameters() : 0;
        // a tied LM head shares the embedding only when both sit on the same GPU
        long lmHead = last && (!model.tiedEmbeddings() || pp > 1) ? lmHeadParameters() : 0;
        long vision = first ? split(model.visionParameters()) : 0;
        return (double) linear * weightBytes + attention + (double) SIXTEEN_BIT * (norms + embedding + lmHead + vision);
    }

    /** Bytes of weights on the most loaded GPU ("Model loading took" in vLLM's log, per GPU). */
    public double weightBytesPerRank() {
        double most = 0;
        for (int stage = 0; stage < pp; stage++) {
            most = Math.max(most, stageWeightBytes(stage));
        }
        return most;
    }

    /** KV bytes of one token in one layer on one rank (K and V). */
    long kvBytesPerTokenPerLayer() {
        return 2L * kvHeadsPerRank() * model.headDim() * kvBytes;
    }

    /** KV bytes of one token on the GPU that holds the most layers. */
    public long kvBytesPerTokenPerRank() {
        return kvBytesPerTokenPerLayer() * maxStageLayers();
    }

    /** KV bytes of one token over the pipeline, on one tensor-parallel slice. */
    public long kvBytesPerTokenOverPipeline() {
        return kvBytesPerTokenPerLayer() * model.layers();
    }

    /** vLLM's page size: one block of one layer on one rank (vllm/v1/kv_cache_interface.py). */
    public long pageBytes(int blockSize) {
        return 2L * blockSize * kvHeadsPerRank() * model.headDim() * kvBytes;
    }

    /** Bytes of one KV block over every layer and every GPU of the replica (the CPU tier's unit). */
    public long blockBytesOverAllGpus(int blockSize) {
        return pageBytes(blockSize) * model.layers() * tp;
    }

    /** MoE layers among layers {@code start .. start+count-1}, with the MoE layers spread evenly over the model. */
    private int moeLayersAmong(int start, int count) {
        long moe = model.moe().layers();
        long layers = model.layers();
        // layer i is MoE iff floor((i+1) * moe / layers) > floor(i * moe / layers)
        return (int) ((start + count) * moe / layers - start * moe / layers);
    }

    private long split(long width) {
        return (width + tp - 1) / tp;
    }
}
