package dev.servesim.engine.common.model;

import static java.util.Objects.requireNonNull;

import dev.servesim.api.ServesimException;
import java.nio.file.Path;
import java.util.List;

/**
 * A decoder-only transformer as vLLM serves it (Llama-style: grouped-query attention, gated MLP, RMSNorm), dense or
 * mixture-of-experts. Shapes are those of the model's Hugging Face {@code config.json}; the {@code model} key names
 * a model of the built-in catalog or a {@code config.json} file ({@link #resolve}).
 *
 * @param name catalog name, e.g. {@code llama-3.1-8b}, or the path the configuration gave
 * @param layers {@code num_hidden_layers}
 * @param hiddenSize {@code hidden_size}
 * @param attentionHeads {@code num_attention_heads}
 * @param kvHeads {@code num_key_value_heads}
 * @param headDim {@code head_dim}, or {@code hidden_size / num_attention_heads} when the config has none
 * @param intermediateSize width of the gated MLP of the dense (non-MoE) layers
 * @param vocabSize {@code vocab_size}
 * @param contextLength {@code max_position_embeddings}, vLLM's default {@code max_model_len}
 * @param tiedEmbeddings {@code tie_word_embeddings}: the LM head reuses the input embedding
 * @param qkvBias the q, k and v projections have biases (Qwen2)
 * @param moe the mixture-of-experts layers, {@link Moe#NONE} for a dense model
 * @param visionParameters parameters of a vision encoder and its projector that vLLM loads with the model (Llama 4's
 *     {@code vision_config}), 0 for a text-only model; they take memory, and no time for text requests
 * @param sixteenBitAttention the checkpoint's {@code quantization_config} leaves the attention projections
 *     unquantized, so they stay 16-bit even when the weights are FP8 (the RedHatAI FP8-dynamic Llama 4 checkpoints)
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
        boolean qkvBias,
        Moe moe,
        long visionParameters,
        boolean sixteenBitAttention) {

    /**
     * The mixture-of-experts part of a model: in each of {@code layers} decoder layers the MLP is replaced by
     * {@code experts} routed experts (gated MLPs of width {@code expertIntermediateSize}), of which each token uses
     * {@code expertsPerToken}, plus an optional shared expert that every token uses.
     *
     * @param experts routed experts per MoE layer ({@code num_local_experts} or {@code num_experts}), 0 if dense
     * @param expertsPerToken {@code num_experts_per_tok}
     * @param expertIntermediateSize width of one routed expert ({@code moe_intermediate_size}, else
     *     {@code intermediate_size})
     * @param sharedIntermediateSize width of the shared expert(s) together, 0 if none
     * @param layers decoder layers whose MLP is a MoE block (the others are dense)
     */
    public record Moe(int experts, int expertsPerToken, int expertIntermediateSize, int sharedIntermediateSize,
            int layers) {

        /** A dense model. */
        public static final Moe NONE = new Moe(0, 0, 0, 0, 0);

        public Moe {
            boolean dense = experts == 0 && expertsPerToken == 0 && expertIntermediateSize == 0
                    && sharedIntermediateSize == 0 && layers == 0;
            if (!dense && (experts < 1 || expertsPerToken < 1 || expertsPerToken > experts
                    || expertIntermediateSize < 1 || sharedIntermediateSize < 0 || layers < 1)) {
                throw new IllegalArgumentException("inconsistent mixture of experts: " + experts + " experts, "
                        + expertsPerToken + " per token, width " + expertIntermediateSize + ", shared width "
                        + sharedIntermediateSize + ", " + layers + " layers");
            }
        }
    }

    public ModelSpec {
        requireNonNull(name, "name is null");
        requireNonNull(moe, "moe is null");
        if (layers < 1 || hiddenSize < 1 || attentionHeads < 1 || kvHeads < 1 || headDim < 1 || intermediateSize < 1
                || vocabSize < 1 || contextLength < 2 || attentionHeads % kvHeads != 0 || moe.layers() > layers
                || visionParameters < 0) {
            throw new IllegalArgumentException("inconsistent shape for model " + name);
        }
    }

    /** Every model of the built-in catalog, in a fixed order. */
    public static List<ModelSpec> catalog() {
        return ModelCatalog.models();
    }

    /**
     * What {@code vllm serve} is given for the {@code model} key: a catalog model's Hugging Face id (its Instruct or
     * chat variant where the catalog knows one), or the key as written (a Hugging Face id or a local folder).
     */
    public static String servedId(String model) {
        String id = ModelCatalog.servedId(model);
        return id != null ? id : model;
    }

    /**
     * The catalog model called {@code name} (its name or one of its Hugging Face ids, ignoring case).
     *
     * @throws ServesimException (CONFIG, key {@code model}) listing the known names if there is none
     */
    public static ModelSpec named(String name) {
        requireNonNull(name, "name is null");
        ModelSpec spec = ModelCatalog.find(name);
        if (spec == null) {
            throw ServesimException.config("model", "unknown model '" + name + "'; known: " + ModelCatalog.names());
        }
        return spec;
    }

    /**
     * What the {@code model} key names: a catalog model (as {@link #named}), else a Hugging Face {@code config.json}
     * file or a folder holding one, a relative path being resolved against the working directory.
     *
     * @throws ServesimException (CONFIG, key {@code model}) if it is neither, or the file cannot be read or parsed
     */
    public static ModelSpec resolve(String model) {
        requireNonNull(model, "model is null");
        ModelSpec spec = ModelCatalog.find(model);
        if (spec != null) {
            return spec;
        }
        Path path;
        try {
            path = Path.of(model);
        } catch (java.nio.file.InvalidPathException e) {
            throw ServesimException.config("model", "unknown model '" + model + "'; known: " + ModelCatalog.names());
        }
        if (!java.nio.file.Files.exists(path)) {
            throw ServesimException.config("model", "unknown model '" + model + "': no catalog model has this name"
                    + " and there is no file or folder " + path.toAbsolutePath() + "; known: " + ModelCatalog.names());
        }
        return HfModelConfig.read(model, path);
    }

    /** True for a mixture-of-experts model. */
    public boolean isMoe() {
        return moe.experts() > 0;
    }

    /** Decoder layers with a dense MLP. */
    public int denseLayers() {
        return layers - moe.layers();
    }

    /** Parameters of the q, k, v and o projections (and q/k/v biases) of one layer. */
    public long attentionParameters() {
        long q = (long) hiddenSize * attentionHeads * headDim;
        long kv = 2L * hiddenSize * kvHeads * headDim;
        long o = (long) attentionHeads * headDim * hiddenSize;
        long bias = qkvBias ? (long) (attentionHeads + 2 * kvHeads) * headDim : 0;
        return q + kv + o + bias;
    }

    /** Parameters of the gated MLP of one dense layer (gate, up and down matrices). */
    public long denseMlpParameters() {
        return 3L * hiddenSize * intermediateSize;
    }

    /** Parameters of one routed expert of one layer. */
    public long expertParameters() {
        return 3L * hiddenSize * moe.expertIntermediateSize();
    }

    /** Parameters of the shared expert(s) of one MoE layer. */
    public long sharedExpertParameters() {
        return 3L * hiddenSize * moe.sharedIntermediateSize();
    }

    /** Parameters of the router of one MoE layer. */
    public long routerParameters() {
        return (long) hiddenSize * moe.experts();
    }

    /** Parameters of the input embedding (and of the LM head, which has the same shape). */
    public long embeddingParameters() {
        return (long) vocabSize * hiddenSize;
    }

    /** All parameters: embedding, layers (every expert), norms, and the LM head unless tied. */
    public long parameters() {
        long moeLayer = moe.experts() * expertParameters() + sharedExpertParameters() + routerParameters();
        return withoutMlps() + denseLayers() * denseMlpParameters() + moe.layers() * moeLayer;
    }

    /** Parameters one token goes through: as {@link #parameters()} but only {@code expertsPerToken} experts. */
    public long activeParameters() {
        long moeLayer = moe.expertsPerToken() * expertParameters() + sharedExpertParameters() + routerParameters();
        return withoutMlps() + denseLayers() * denseMlpParameters() + moe.layers() * moeLayer;
    }

    private long withoutMlps() {
        long lmHead = tiedEmbeddings ? 0 : embeddingParameters();
        long norms = 2L * hiddenSize * layers + hiddenSize;
        return embeddingParameters() + layers * attentionParameters() + norms + lmHead;
    }
}
