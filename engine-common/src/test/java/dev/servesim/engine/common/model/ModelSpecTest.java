package dev.servesim.engine.common.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.servesim.api.ErrorKind;
import dev.servesim.api.ServesimException;
import dev.servesim.testing.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelSpecTest {

    @TempDir
    Path folder;

    @Test
    void catalogHasTheModelsOfTheIssue() {
        List<String> names = ModelSpec.catalog().stream().map(ModelSpec::name).toList();

        assertThat(names).contains("llama-2-7b", "llama-2-13b", "llama-2-70b", "llama-3.1-8b", "llama-3.1-70b",
                "codellama-34b", "mistral-7b", "mistral-nemo-12b", "mixtral-8x7b", "mixtral-8x22b", "qwen2.5-7b",
                "qwen2.5-14b", "qwen2.5-72b", "qwen3-8b", "qwen3-14b", "qwen3-32b", "yi-34b", "llama-4-scout-17b-16e");
        assertThat(ModelSpec.named("Mixtral-8x7B")).isSameAs(ModelSpec.named("mistralai/mixtral-8x7b-instruct-v0.1"));
    }

    @Test
    void parameterCountsMatchThePublishedOnes() {
        // exact counts of the Hugging Face checkpoints (safetensors metadata)
        assertThat(ModelSpec.named("llama-2-7b").parameters()).isEqualTo(6_738_415_616L);
        assertThat(ModelSpec.named("llama-2-13b").parameters()).isEqualTo(13_015_864_320L);
        assertThat(ModelSpec.named("llama-2-70b").parameters()).isEqualTo(68_976_648_192L);
        assertThat(ModelSpec.named("llama-3.1-8b").parameters()).isEqualTo(8_030_261_248L);
        assertThat(ModelSpec.named("llama-3.1-70b").parameters()).isEqualTo(70_553_706_496L);
        assertThat(ModelSpec.named("codellama-34b").parameters()).isEqualTo(33_743_970_304L);
        assertThat(ModelSpec.named("mistral-7b").parameters()).isEqualTo(7_248_023_552L);
        assertThat(ModelSpec.named("qwen2.5-7b").parameters()).isEqualTo(7_615_616_512L);
        assertThat(ModelSpec.named("qwen2.5-72b").parameters()).isEqualTo(72_706_203_648L);
        assertThat(ModelSpec.named("mixtral-8x7b").parameters()).isEqualTo(46_702_792_704L);
        // Qwen3's per-head q/k norms (2 * 128 weights per layer) are left out
        assertThat(ModelSpec.named("qwen3-8b").parameters()).isEqualTo(8_190_735_360L - 36 * 256);
        assertThat(ModelSpec.named("qwen3-30b-a3b").parameters()).isEqualTo(30_532_122_624L - 48 * 256);
        // Mixtral 8x7B: 12.9B active (2 of 8 experts); Llama 4 Scout: 17B active, 108B in the text model
        assertThat(ModelSpec.named("mixtral-8x7b").activeParameters()).isEqualTo(12_879_925_248L);
        ModelSpec scout = ModelSpec.named("llama-4-scout-17b-16e");
        assertThat(scout.activeParameters()).isBetween(17_000_000_000L, 17_300_000_000L);
        assertThat(scout.parameters()).isBetween(107_000_000_000L, 109_000_000_000L);
    }

    @Test
    void readsTheRealConfigFilesLikeTheirCatalogEntries() {
        assertSameShape("llama-2-7b-hf", "llama-2-7b");
        assertSameShape("llama-3.1-70b-instruct", "llama-3.1-70b");
        assertSameShape("mistral-nemo-instruct-2407", "mistral-nemo-12b");
        assertSameShape("qwen2.5-7b-instruct", "qwen2.5-7b");
        assertSameShape("yi-34b", "yi-34b");
        assertSameShape("llama-4-scout-17b-16e-instruct-fp8-dynamic", "llama-4-scout-17b-16e");

        ModelSpec scout = ModelSpec.resolve(
                SharedData.path("calibration/model_configs/llama-4-scout-17b-16e-instruct-fp8-dynamic").toString());
        assertThat(scout.moe()).isEqualTo(new ModelSpec.Moe(16, 1, 8192, 8192, 48));
        assertThat(scout.intermediateSize()).isEqualTo(16384);
        assertThat(scout.headDim()).isEqualTo(128);
        // the checkpoint quantizes the expert MLPs only; its vision encoder (34 layers of width 1408, pixel-shuffle
        // MLP, projector to 5120) has about 0.87 billion parameters
        assertThat(scout.sixteenBitAttention()).isTrue();
        assertThat(scout.visionParameters()).isBetween(860_000_000L, 880_000_000L);
        assertThat(ModelSpec.named("llama-3.1-70b").visionParameters()).isZero();
        assertThat(ModelSpec.named("llama-3.1-70b").sixteenBitAttention()).isFalse();
    }

    @Test
    void readsAFileOrAFolderAndKeepsThePathAsTheName() throws IOException {
        Path file = write("tiny/config.json", """
                {"architectures": ["LlamaForCausalLM"], "model_type": "llama", "num_hidden_layers": 2,
                 "hidden_size": 64, "num_attention_heads": 4, "num_key_value_heads": 2, "head_dim": null,
                 "intermediate_size": 128, "vocab_size": 1000, "max_position_embeddings": 2048,
                 "tie_word_embeddings": true, "rope_scaling": {"factor": 8.0}, "eos_token_id": [1, 2]}
                """);

        ModelSpec spec = ModelSpec.resolve(file.toString());

        assertThat(spec).isEqualTo(new ModelSpec(file.toString(), 2, 64, 4, 2, 16, 128, 1000, 2048, true, false,
                ModelSpec.Moe.NONE, 0, false));
        assertThat(ModelSpec.resolve(file.getParent().toString()).layers()).isEqualTo(2);
        // embedding 64000 (tied head) + 2 layers of (q 4096 + kv 4096 + o 4096 + mlp 24576 + norms 128) + norm 64
        assertThat(spec.parameters()).isEqualTo(64_000 + 2 * (4096 + 4096 + 4096 + 24_576 + 128) + 64);
    }

    @Test
    void readsMixtralQwenMoeAndInterleavedLlama4Experts() throws IOException {
        ModelSpec mixtral = ModelSpec.resolve(write("mixtral.json", """
                {"model_type": "mixtral", "num_hidden_layers": 4, "hidden_size": 64, "num_attention_heads": 4,
                 "num_key_value_heads": 2, "intermediate_size": 112, "vocab_size": 100,
                 "max_position_embeddings": 512, "num_local_experts": 8, "num_experts_per_tok": 2}
                """).toString());
        ModelSpec qwenMoe = ModelSpec.resolve(write("qwen-moe.json", """
                {"model_type": "qwen2_moe", "num_hidden_layers": 6, "hidden_size": 64, "num_attention_heads": 4,
                 "num_key_value_heads": 4, "intermediate_size": 256, "moe_intermediate_size": 32,
                 "shared_expert_intermediate_size": 128, "num_experts": 60, "num_experts_per_tok": 4,
                 "decoder_sparse_step": 2, "mlp_only_layers": [3], "vocab_size": 100,
                 "max_position_embeddings": 512}
                """).toString());
        ModelSpec llama4 = ModelSpec.resolve(write("maverick-like.json", """
                {"model_type": "llama4", "text_config": {"model_type": "llama4_text", "num_hidden_layers": 8,
                 "hidden_size": 64, "num_attention_heads": 4, "num_key_value_heads": 2, "head_dim": 32,
                 "intermediate_size": 96, "intermediate_size_mlp": 192, "num_local_experts": 16,
                 "num_experts_per_tok": 1, "interleave_moe_layer_step": 2, "vocab_size": 100,
                 "max_position_embeddings": 512}, "tie_word_embeddings": false}
                """).toString());

        assertThat(mixtral.moe()).isEqualTo(new ModelSpec.Moe(8, 2, 112, 0, 4));
        assertThat(mixtral.denseLayers()).isZero();
        // sparse steps are layers 1, 3, 5; layer 3 is listed as dense
        assertThat(qwenMoe.moe()).isEqualTo(new ModelSpec.Moe(60, 4, 32, 128, 2));
        assertThat(qwenMoe.qkvBias()).isTrue();
        assertThat(qwenMoe.intermediateSize()).isEqualTo(256);
        assertThat(llama4.moe()).isEqualTo(new ModelSpec.Moe(16, 1, 96, 96, 4));
        assertThat(llama4.intermediateSize()).isEqualTo(192);
        assertThat(llama4.headDim()).isEqualTo(32);
        // 4 dense layers of 3 * 64 * 192, 4 MoE layers of 16 + 1 experts of 3 * 64 * 96 and a 64 x 16 router
        long attention = 64 * 4 * 32 + 2 * 64 * 2 * 32 + 4 * 32 * 64;
        assertThat(llama4.parameters()).isEqualTo(2 * 100 * 64 + 8 * (attention + 2 * 64) + 64
                + 4 * 3 * 64 * 192 + 4 * (17 * 3 * 64 * 96 + 64 * 16));
    }

    @Test
    void reportsUnreadableOrIncompleteConfigsNamingTheModelKey() throws IOException {
        Path missing = write("missing.json", "{\"hidden_size\": 64}");
        Path broken = write("broken.json", "{\"hidden_size\": 64,\n \"num_hidden_layers\": }");
        Path mla = write("mla.json", "{\"kv_lora_rank\": 512, \"num_hidden_layers\": 2}");
        Path fractional = write("fractional.json", "{\"num_hidden_layers\": 2.5}");

        assertConfigError(missing, "model: " + missing.toAbsolutePath() + " has no num_hidden_layers");
        assertConfigError(broken, "model: " + broken.toAbsolutePath() + " is not valid JSON: line 2, column 23");
        assertConfigError(mla, "model: " + mla.toAbsolutePath() + " uses MLA attention (kv_lora_rank)");
        assertConfigError(fractional, "model: " + fractional.toAbsolutePath() + " has num_hidden_layers = 2.5,"
                + " expected a non-negative integer");
    }

    private void assertSameShape(String configFolder, String catalogName) {
        Path path = SharedData.path("calibration/model_configs/" + configFolder + "/config.json");
        ModelSpec fromFile = ModelSpec.resolve(path.toString());
        ModelSpec catalog = ModelSpec.named(catalogName);
        assertThat(fromFile).as(configFolder).isEqualTo(new ModelSpec(path.toString(), catalog.layers(),
                catalog.hiddenSize(), catalog.attentionHeads(), catalog.kvHeads(), catalog.headDim(),
                catalog.intermediateSize(), catalog.vocabSize(), catalog.contextLength(), catalog.tiedEmbeddings(),
                catalog.qkvBias(), catalog.moe(), catalog.visionParameters(), fromFile.sixteenBitAttention()));
    }

    private Path write(String name, String json) throws IOException {
        Path file = folder.resolve(name);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, json);
    }

    private static void assertConfigError(Path file, String message) {
        assertThatThrownBy(() -> ModelSpec.resolve(file.toString()))
                .isInstanceOfSatisfying(ServesimException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONFIG))
                .hasMessageStartingWith(message);
    }
}
