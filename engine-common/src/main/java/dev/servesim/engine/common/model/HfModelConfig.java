package dev.servesim.engine.common.model;

import dev.servesim.api.ServesimException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a {@link ModelSpec} from the keys of a Hugging Face {@code config.json}, as vLLM's model config does for the
 * architectures it covers here: dense Llama, Mistral, Qwen2/Qwen3 and Yi style models, and the mixture-of-experts
 * models Mixtral, Qwen-MoE and Llama 4 (whose text model sits under {@code text_config}).
 *
 * <p>Keys read: {@code num_hidden_layers}, {@code hidden_size}, {@code num_attention_heads},
 * {@code num_key_value_heads} (default: the attention heads), {@code head_dim} (default: hidden / heads),
 * {@code intermediate_size} (or {@code intermediate_size_mlp} for Llama 4's dense layers), {@code vocab_size},
 * {@code max_position_embeddings}, {@code tie_word_embeddings} (default false), {@code attention_bias} (Qwen2 has
 * q/k/v biases without the key); MoE: {@code num_local_experts} or {@code num_experts},
 * {@code num_experts_per_tok}, {@code moe_intermediate_size}, {@code shared_expert_intermediate_size} (Qwen-MoE; Llama
 * 4 always has one shared expert of {@code intermediate_size}), and which layers are MoE: {@code moe_layers} or
 * {@code interleave_moe_layer_step} (Llama 4), {@code decoder_sparse_step} and {@code mlp_only_layers} (Qwen-MoE),
 * else every layer. Models with MLA attention ({@code kv_lora_rank}, DeepSeek) are refused: their KV layout differs.
 * Beside the text model: the vision encoder of {@code vision_config} (Llama 4: {@code num_hidden_layers},
 * {@code hidden_size}, {@code intermediate_size}, {@code num_channels}, {@code patch_size}, the pixel-shuffle MLP
 * and the projector to the text model's width, as vLLM's mllama4.py builds them), and the {@code ignore} list of
 * {@code quantization_config}: attention projections listed there stay 16-bit.
 */
final class HfModelConfig {

    private final String source;
    private final Map<String, Object> root;
    private final Map<String, Object> text;

    private HfModelConfig(String source, Map<String, Object> root) {
        this.source = source;
        this.root = root;
        this.text = root.get("text_config") instanceof Map<?, ?> nested ? cast(nested) : root;
    }

    /**
     * Reads {@code path}, a {@code config.json} file or a folder holding one; {@code name} becomes the model's name.
     *
     * @throws ServesimException (CONFIG, key {@code model}) if it cannot be read or does not describe a model
     */
    static ModelSpec read(String name, Path path) {
        Path file = Files.isDirectory(path) ? path.resolve("config.json") : path;
        String json;
        try {
            json = dev.servesim.api.InputFiles.readText(file, "model configuration", 16L << 20);
        } catch (ServesimException e) {
            throw ServesimException.config("model", e.getMessage());
        }
        Object parsed;
        try {
            parsed = JsonReader.parse(json);
        } catch (IllegalArgumentException e) {
            throw ServesimException.config("model", file.toAbsolutePath() + " is not valid JSON: " + e.getMessage());
        }
        if (!(parsed instanceof Map<?, ?> map)) {
            throw ServesimException.config("model", file.toAbsolutePath() + " is not a JSON object");
        }
        return parse(name, file.toAbsolutePath().toString(), cast(map));
    }

    /**
     * The model described by the keys of {@code config}.
     *
     * @param source where the keys come from, for error messages
     */
    static ModelSpec parse(String name, String source, Map<String, Object> config) {
        return new HfModelConfig(source, config).toSpec(name);
    }

    private ModelSpec toSpec(String name) {
        if (text.containsKey("kv_lora_rank")) {
            throw problem("uses MLA attention (kv_lora_rank), which the vllm framework does not model");
        }
        int layers = required("num_hidden_layers");
        int hidden = required("hidden_size");
        int heads = required("num_attention_heads");
        int kvHeads = optional("num_key_value_heads", heads);
        int headDim = optional("head_dim", heads > 0 ? hidden / heads : 0);
        int expertsLocal = optional("num_local_experts", 0);
        int experts = expertsLocal > 0 ? expertsLocal : optional("num_experts", 0);
        int baseIntermediate = required("intermediate_size");
        int denseIntermediate = optional("intermediate_size_mlp", baseIntermediate);
        int vocab = required("vocab_size");
        int context = required("max_position_embeddings");
        boolean tied = bool("tie_word_embeddings");
        String type = modelType();
        boolean qkvBias = bool("attention_bias") || type.equals("qwen2") || type.equals("qwen2_moe");
        ModelSpec.Moe moe = ModelSpec.Moe.NONE;
        if (experts > 0) {
            int perToken = required("num_experts_per_tok");
            int expertWidth = optional("moe_intermediate_size", baseIntermediate);
            int sharedWidth = optional("shared_expert_intermediate_size", 0);
            if (sharedWidth == 0 && type.startsWith("llama4")) {
                // Llama 4 MoE layers add one shared expert as wide as a routed one (Llama4TextMoe)
                sharedWidth = baseIntermediate;
            }
            moe = moe(experts, perToken, expertWidth, sharedWidth, moeLayers(layers));
        }
        try {
            return new ModelSpec(name, layers, hidden, heads, kvHeads, headDim, denseIntermediate, vocab, context, tied,
                    qkvBias, moe, visionParameters(hidden), sixteenBitAttention());
        } catch (IllegalArgumentException e) {
            throw problem("has an inconsistent shape (" + layers + " layers, hidden " + hidden + ", " + heads
                    + " heads, " + kvHeads + " KV heads, head_dim " + headDim + ", vocab " + vocab + ", context "
                    + context + ")");
        }
    }

    private ModelSpec.Moe moe(int experts, int perToken, int expertWidth, int sharedWidth, int moeLayers) {
        try {
            return new ModelSpec.Moe(experts, perToken, expertWidth, sharedWidth, moeLayers);
        } catch (IllegalArgumentException e) {
            throw problem("has " + e.getMessage());
        }
    }

    /** How many decoder layers are MoE layers. */
    private int moeLayers(int layers) {
        Object listed = text.get("moe_layers");
        if (listed instanceof List<?> list) {
            return list.size();
        }
        if (text.containsKey("interleave_moe_layer_step")) {
            // Llama 4: layers step-1, 2*step-1, ... are MoE (Llama4TextConfig.moe_layers)
            int step = required("interleave_moe_layer_step");
            return step < 1 ? 0 : layers / step;
        }
        // Qwen-MoE: layer i is sparse unless listed in mlp_only_layers, and only every decoder_sparse_step-th one
        int step = optional("decoder_sparse_step", 1);
        Object dense = text.get("mlp_only_layers");
        int count = 0;
        for (int layer = 0; layer < layers; layer++) {
            boolean sparse = step >= 1 && (layer + 1) % step == 0;
            if (sparse && dense instanceof List<?> list) {
                for (Object value : list) {
                    if (value instanceof Number number && number.longValue() == layer) {
                        sparse = false;
                        break;
                    }
                }
            }
            count += sparse ? 1 : 0;
        }
        return count;
    }

    /**
     * Parameters of Llama 4's vision model (vllm/model_executor/models/mllama4.py): patch embedding, per layer the
     * q/k/v/o projections with biases and a two-layer GELU MLP with biases, the pixel-shuffle MLP
     * ({@code intermediate_size -> projector_input_dim -> projector_output_dim}) and the projector to the text width.
     * 0 without a {@code vision_config}.
     */
    private long visionParameters(int textHidden) {
        if (!(root.get("vision_config") instanceof Map<?, ?> nested)) {
            return 0;
        }
        HfModelConfig vision = new HfModelConfig(source + " vision_config", cast(nested));
        long layers = vision.required("num_hidden_layers");
        long hidden = vision.required("hidden_size");
        long mlp = vision.required("intermediate_size");
        long patch = vision.optional("patch_size", 14);
        long channels = vision.optional("num_channels", 3);
        long projectorIn = vision.optional("projector_input_dim", 0);
        long projectorOut = vision.optional("projector_output_dim", 0);
        long output = vision.optional("vision_output_dim", (int) projectorOut);
        long perLayer = 4 * (hidden * hidden + hidden) + 2 * hidden * mlp + mlp + hidden + 4 * hidden;
        long pixelShuffle = mlp * projectorIn + projectorIn * projectorOut;
        return channels * patch * patch * hidden + layers * perLayer + pixelShuffle + output * textHidden;
    }

    /** True if {@code quantization_config.ignore} names attention projections of the text model. */
    private boolean sixteenBitAttention() {
        if (!(root.get("quantization_config") instanceof Map<?, ?> quantization)
                || !(quantization.get("ignore") instanceof List<?> ignored)) {
            return false;
        }
        for (Object module : ignored) {
            if (module instanceof String name && !name.startsWith("vision") && name.contains("self_attn.")) {
                return true;
            }
        }
        return false;
    }

    private String modelType() {
        Object type = text.get("model_type");
        if (!(type instanceof String)) {
            type = root.get("model_type");
        }
        return type instanceof String value ? value.toLowerCase(Locale.ROOT) : "";
    }

    private Object lookup(String key) {
        Object value = text.get(key);
        return value == null && text != root ? root.get(key) : value;
    }

    private int required(String key) {
        Object value = lookup(key);
        if (value == null) {
            throw problem("has no " + key);
        }
        return integer(key, value);
    }

    private int optional(String key, int defaultValue) {
        Object value = lookup(key);
        return value == null ? defaultValue : integer(key, value);
    }

    private boolean bool(String key) {
        Object value = lookup(key);
        if (value == null) {
            return false;
        }
        if (value instanceof Boolean flag) {
            return flag;
        }
        throw problem("has " + key + " = " + value + ", expected true or false");
    }

    private int integer(String key, Object value) {
        if (value instanceof Number number) {
            double asDouble = number.doubleValue();
            if (asDouble == Math.rint(asDouble) && asDouble >= 0 && asDouble <= Integer.MAX_VALUE) {
                return (int) asDouble;
            }
        }
        throw problem("has " + key + " = " + value + ", expected a non-negative integer");
    }

    private ServesimException problem(String what) {
        return ServesimException.config("model", source + " " + what);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Map<?, ?> map) {
        return (Map<String, Object>) map;
    }
}
