package dev.servesim.engine.vllm.config;

import static java.util.Objects.requireNonNull;

import dev.servesim.api.ServesimException;
import java.util.List;

/**
 * One dense decoder-only transformer (Llama-style: grouped-query attention, gated MLP, RMSNorm) of the model
 * catalog that the {@code model} key names. Shapes are those of the model's Hugging Face {@code config.json}.
 *
 * @param name catalog name, e.g. {@code llama-3.1-8b}
 * @param layers {@code num_hidden_layers}
 * @param hiddenSize {@code hidden_size}
 * @param attentionHeads {@code num_attention_heads}
 * @param kvHeads {@code num_key_value_heads}
 * @param headDim {@code head_dim}, or {@code hidden_size / num_attention_heads} when the config has none
 * @param intermediateSize {@code intermediate_size} of the gated MLP
 * @param vocabSize {@code vocab_size}
 * @param contextLength {@code max_position_embeddings}, vLLM's default {@code max_model_len}
 * @param tiedEmbeddings {@code tie_word_embeddings}: the LM head reuses the input embedding
 * @param qkvBias the q, k and v projections have biases (Qwen2)
 */
public record ModelSpec(
        String name,
        int layers,
        int hiddenSize,
        int attentionHeads,
        int kvHeads,
        int headDim,
        int intermediateSize,
        int vocabSize,
        int contextLength,
        boolean tiedEmbeddings,
        boolean qkvBias) {

    private static final List<ModelSpec> CATALOG = List.of(
            // meta-llama/Llama-3.1-8B(-Instruct)
            new ModelSpec("llama-3.1-8b", 32, 4096, 32, 8, 128, 14336, 128256, 131072, false, false),
            // meta-llama/Llama-3.1-70B-Instruct
            new ModelSpec("llama-3.1-70b", 80, 8192, 64, 8, 128, 28672, 128256, 131072, false, false),
            // meta-llama/Llama-2-7b-hf (multi-head attention: 32 KV heads)
            new ModelSpec("llama-2-7b", 32, 4096, 32, 32, 128, 11008, 32000, 4096, false, false),
            // mistralai/Mistral-7B-Instruct-v0.3 (no sliding window)
            new ModelSpec("mistral-7b", 32, 4096, 32, 8, 128, 14336, 32768, 32768, false, false),
            // Qwen/Qwen2.5-7B-Instruct
            new ModelSpec("qwen2.5-7b", 28, 3584, 28, 4, 128, 18944, 152064, 32768, false, true),
            // mistralai/Mistral-Nemo-Instruct-2407 (head_dim 128 with hidden 5120)
            new ModelSpec("mistral-nemo-12b", 40, 5120, 32, 8, 128, 14336, 131072, 131072, false, false),
            // 01-ai/Yi-34B
            new ModelSpec("yi-34b", 60, 7168, 56, 8, 128, 20480, 64000, 4096, false, false));

    public ModelSpec {
        requireNonNull(name, "name is null");
        if (layers < 1 || hiddenSize < 1 || attentionHeads < 1 || kvHeads < 1 || headDim < 1 || intermediateSize < 1
                || vocabSize < 1 || contextLength < 2 || attentionHeads % kvHeads != 0) {
            throw new IllegalArgumentException("inconsistent shape for model " + name);
        }
    }

    /** Every model of the catalog, in a fixed order. */
    public static List<ModelSpec> catalog() {
        return CATALOG;
    }

    /**
     * The model called {@code name} (ignoring case).
     *
     * @throws ServesimException (CONFIG, key {@code model}) listing the known names if there is none
     */
    public static ModelSpec named(String name) {
        requireNonNull(name, "name is null");
        for (ModelSpec spec : CATALOG) {
            if (spec.name.equalsIgnoreCase(name)) {
                return spec;
            }
        }
        StringBuilder known = new StringBuilder();
        for (ModelSpec spec : CATALOG) {
            known.append(known.length() == 0 ? "" : ", ").append(spec.name);
        }
        throw ServesimException.config("model", "unknown model '" + name + "'; known: " + known);
    }

    /** Parameters of one decoder layer: q/k/v/o projections, the three MLP matrices and two RMSNorm weights. */
    public long layerParameters() {
        long q = (long) hiddenSize * attentionHeads * headDim;
        long kv = 2L * hiddenSize * kvHeads * headDim;
        long o = (long) attentionHeads * headDim * hiddenSize;
        long bias = qkvBias ? (long) (attentionHeads + 2 * kvHeads) * headDim : 0;
        long mlp = 3L * hiddenSize * intermediateSize;
        return q + kv + o + bias + mlp + 2L * hiddenSize;
    }

    /** Parameters of the input embedding (and of the LM head, which has the same shape). */
    public long embeddingParameters() {
        return (long) vocabSize * hiddenSize;
    }

    /** All parameters: embedding, layers, final norm, and the LM head unless tied. */
    public long parameters() {
        long lmHead = tiedEmbeddings ? 0 : embeddingParameters();
        return embeddingParameters() + layers * layerParameters() + hiddenSize + lmHead;
    }
}
