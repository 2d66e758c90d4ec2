package dev.servesim.engine.vllm;

import dev.servesim.engine.vllm.config.ModelSpec;
import dev.servesim.engine.vllm.config.VllmConfig;

/**
 * What one tensor-parallel rank holds of a model, as vLLM shards it: attention heads and MLP columns split across
 * ranks, KV heads split but replicated once {@code tp} exceeds them, embedding and LM head split by vocabulary
 * (VocabParallelEmbedding), norms replicated. Linear layers are stored in the weight dtype; embedding, LM head and
 * norms stay 16-bit (as FP8 checkpoints keep them).
 */
record ShardedModel(ModelSpec model, int tp, int weightBytes, int kvBytes) {

    static ShardedModel of(ModelSpec model, VllmConfig config) {
        return new ShardedModel(model, config.tensorParallelSize(), config.weightBytesPerElement(),
                config.kvCacheBytesPerElement());
    }

    int headsPerRank() {
        return model.attentionHeads() / tp;
    }

    int kvHeadsPerRank() {
        return Math.max(1, model.kvHeads() / tp);
    }

    int vocabPerRank() {
        return (model.vocabSize() + tp - 1) / tp;
    }

    /** Parameters of the linear layers (projections and MLP) of all decoder layers on one rank. */
    long linearParametersPerRank() {
        long hidden = model.hiddenSize();
        long headDim = model.headDim();
        long q = hidden * headsPerRank() * headDim;
        long kv = 2 * hidden * kvHeadsPerRank() * headDim;
        long o = headsPerRank() * headDim * hidden;
        long bias = model.qkvBias() ? (long) (headsPerRank() + 2 * kvHeadsPerRank()) * headDim : 0;
        long mlp = 3 * hidden * ((model.intermediateSize() + tp - 1) / tp);
        return model.layers() * (q + kv + o + bias + mlp);
    }

    /** Parameters of the LM head on one rank (the embedding's, when tied). */
    long lmHeadParametersPerRank() {
        return (long) vocabPerRank() * model.hiddenSize();
    }

    /** Bytes of the linear layers of one rank, read once per step. */
    double linearWeightBytesPerRank() {
        return (double) linearParametersPerRank() * weightBytes;
    }

    /** Bytes of the LM head of one rank, read once per step. */
    double lmHeadBytesPerRank() {
        return 2.0 * lmHeadParametersPerRank();
    }

    /** All weight bytes resident on one rank: linear layers, embedding, LM head unless tied, norms. */
    double weightBytesPerRank() {
        long norms = (2L * model.layers() + 1) * model.hiddenSize();
        long embeddings = model.tiedEmbeddings() ? lmHeadParametersPerRank() : 2 * lmHeadParametersPerRank();
        return linearWeightBytesPerRank() + 2.0 * (embeddings + norms);
    }

    /** KV bytes of one token over all layers on one rank (K and V). */
    long kvBytesPerTokenPerRank() {
        return 2L * kvHeadsPerRank() * model.headDim() * kvBytes * model.layers();
    }

    /** vLLM's page size: one block of one layer on one rank (vllm/v1/kv_cache_interface.py). */
    long pageBytes(int blockSize) {
        return 2L * blockSize * kvHeadsPerRank() * model.headDim() * kvBytes;
    }
}
