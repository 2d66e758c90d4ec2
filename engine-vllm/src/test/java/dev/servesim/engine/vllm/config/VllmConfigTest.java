package dev.servesim.engine.vllm.config;

import static dev.servesim.engine.vllm.config.TestingVllmConfig.of;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.servesim.api.ErrorKind;
import dev.servesim.api.ServesimException;
import dev.servesim.engine.common.hardware.HardwareSpec;
import dev.servesim.engine.common.model.Dtype;
import dev.servesim.engine.common.model.KvCacheDtype;
import dev.servesim.engine.common.model.ModelSpec;
import dev.servesim.engine.common.steptime.CoefficientBound;
import dev.servesim.engine.common.steptime.StepTime;
import dev.servesim.engine.vllm.VllmEngineFactory;
import dev.servesim.testing.TestingPlugins;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VllmConfigTest {

    @TempDir
    Path folder;

    private String coefficientsFile() {
        try {
            return Files.writeString(folder.resolve("fit.properties"), "version=1\n").toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void fillsVllmServeDefaultsForAnH100() {
        VllmConfig config = new VllmEngineFactory().resolve(TestingPlugins.defaultConfig(VllmConfig.class));

        assertThat(config).isEqualTo(new VllmConfig("llama-3.1-8b", HardwareSpec.named("H100-SXM-80GB"), 1, 1,
                Dtype.BF16, KvCacheDtype.AUTO, 1024, 8192, 131072, 16, null, 0.9, null, null, 0, SchedulingPolicy.FCFS,
                true, StepTime.PHYSICS, null, CoefficientBound.FITTED, null, null, null));
        assertThat(config.hardware().name()).isEqualTo("H100-SXM-80GB");
        // resolved, the GPU holds every figure, so the effective configuration shows them
        assertThat(config.hardware().memoryGib()).isEqualTo(79.19);
        assertThat(config.hardware().denseTflops().bf16()).isEqualTo(989.4);
        assertThat(config.kvCacheBytesPerElement()).isEqualTo(2);
        assertThat(config.weightBytesPerElement()).isEqualTo(2);
    }

    @Test
    void theBoundRecordIsPlainDataAndReadsNoFile() {
        // what depends on the model or the GPU stays as given until the factory resolves the configuration
        assertThat(TestingPlugins.defaultConfig(VllmConfig.class)).isEqualTo(new VllmConfig("llama-3.1-8b", null, 1, 1,
                Dtype.BF16, KvCacheDtype.AUTO, null, null, null, 16, null, 0.9, null, null, 0, SchedulingPolicy.FCFS,
                true, StepTime.PHYSICS, null, CoefficientBound.FITTED, null, null, null));
        String absent = folder.resolve("absent").toString();
        VllmConfig bound = TestingVllmConfig.bound("model", absent, "hardware", absent, "coefficients", absent);
        assertThat(bound.model()).isEqualTo(absent);
        assertThat(bound.hardware()).isEqualTo(HardwareSpec.valueOf(absent));
        assertThat(bound.coefficients()).isEqualTo(absent);

        assertConfigError(() -> new VllmEngineFactory().resolve(bound), "model: unknown model '" + absent + "'");
    }

    @Test
    void resolvingAResolvedConfigurationGivesItBack() {
        VllmConfig resolved = of("model", "meta-llama/Llama-3.1-70B-Instruct", "hardware", "a100-sxm-80gb",
                "tensor_parallel_size", 4, "max_num_seqs", 64);

        assertThat(resolved.model()).isEqualTo("llama-3.1-70b");
        assertThat(resolved.hardware()).isEqualTo(HardwareSpec.named("A100-SXM-80GB"));
        assertThat(new VllmEngineFactory().resolve(resolved)).isEqualTo(resolved);
        assertThat(resolved.completedFor(ModelSpec.named("llama-3.1-70b"), resolved.hardware())).isEqualTo(resolved);
    }

    @Test
    void namedValuesAreReadIgnoringCaseAndWrittenAsTheirNames() throws Exception {
        ObjectMapper mapper = JsonMapper.builder().propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE).build();

        VllmConfig bound = mapper.readValue("""
                {"dtype": "Half", "kv_cache_dtype": "FP8_E4M3", "scheduling_policy": "PRIORITY",
                 "step_time": "Physics", "coefficient_bound": "Fast",
                 "hardware": {"name": "g", "interconnect": {"topology": "Mesh"}}}
                """, VllmConfig.class);

        assertThat(bound.dtype()).isEqualTo(Dtype.FP16);
        assertThat(bound.kvCacheDtype()).isEqualTo(KvCacheDtype.FP8_E4M3);
        assertThat(bound.schedulingPolicy()).isEqualTo(SchedulingPolicy.PRIORITY);
        assertThat(bound.stepTime()).isEqualTo(StepTime.PHYSICS);
        assertThat(bound.coefficientBound()).isEqualTo(CoefficientBound.FAST);
        assertThat(bound.hardware().interconnect().topology()).isEqualTo(HardwareSpec.Topology.MESH);
        JsonNode written = mapper.valueToTree(bound);
        assertThat(List.of(written.get("dtype"), written.get("kv_cache_dtype"), written.get("scheduling_policy"),
                written.get("step_time"), written.get("coefficient_bound"),
                written.at("/hardware/interconnect/topology"))).extracting(JsonNode::asText)
                .containsExactly("fp16", "fp8_e4m3", "priority", "physics", "fast", "mesh");
        for (Dtype dtype : Dtype.values()) {
            assertThat(Dtype.of(dtype.value())).isEqualTo(dtype);
        }
        assertThat(Dtype.of("BFloat16")).isEqualTo(Dtype.BF16);
        assertThatThrownBy(() -> mapper.readValue("{\"step_time\": \"measured\"}", VllmConfig.class))
                .rootCause().hasMessage("must be one of [roofline, physics], got measured");
    }

    @Test
    void keysAreTheDocumentedSnakeCaseNames() {
        List<String> keys = new ArrayList<>();
        for (RecordComponent component : VllmConfig.class.getRecordComponents()) {
            keys.add(TestingVllmConfig.snakeCase(component.getName()));
        }

        // the runner binds these names strictly (unknown keys fail); docs/engine-vllm.md documents each of them
        assertThat(keys).containsExactly("model", "hardware", "tensor_parallel_size", "pipeline_parallel_size", "dtype",
                "kv_cache_dtype", "max_num_seqs", "max_num_batched_tokens", "max_model_len", "block_size",
                "num_gpu_blocks", "gpu_memory_utilization", "cpu_offload_gb", "cpu_offload_blocks",
                "long_prefill_token_threshold", "scheduling_policy", "async_scheduling", "step_time", "coefficients",
                "coefficient_bound", "mfu", "mbu", "step_overhead");
        assertThatThrownBy(() -> of("max_num_seq", 4)).hasMessage("unknown keys [max_num_seq]");
    }

    @Test
    void usesTheSmallDefaultsOnA100AndOnGpusUnder70Gib() {
        for (String hardware : new String[] {"A100-SXM-80GB", "A100-40GB", "L40S"}) {
            VllmConfig config = of("hardware", hardware);
            assertThat(config.maxNumSeqs()).as(hardware).isEqualTo(256);
            assertThat(config.maxNumBatchedTokens()).as(hardware).isEqualTo(2048);
        }
        assertThat(of("hardware", "H200").maxNumBatchedTokens()).isEqualTo(8192);
        assertThat(of("hardware", "MI300X").maxNumSeqs()).isEqualTo(1024);
        assertThat(of("hardware", "H20").maxNumSeqs()).isEqualTo(1024);
        for (String hardware : new String[] {"L4", "A10G"}) {
            assertThat(of("hardware", hardware).maxNumSeqs()).as(hardware).isEqualTo(256);
            assertThat(of("hardware", hardware).maxNumBatchedTokens()).as(hardware).isEqualTo(2048);
        }
    }

    @Test
    void rooflineKnobsDefaultToNullSoTheGpusOwnEfficienciesApply() {
        VllmConfig roofline = of("step_time", "roofline");

        assertThat(roofline.mfu()).isNull();
        assertThat(roofline.mbu()).isNull();
        assertThat(roofline.stepOverhead()).isNull();
    }

    @Test
    void hardwareIsResolvedFromANameAFileOrAMapping() throws IOException {
        assertThat(of("hardware", "h100").hardware()).isEqualTo(HardwareSpec.named("H100-SXM-80GB"));

        Path file = Files.writeString(folder.resolve("gpu.yaml"), """
                name: big-gpu
                memory_gib: 120
                memory_bandwidth_tb_per_second: 5
                dense_tflops: {bf16: 1000}
                """);
        VllmConfig fromFile = of("hardware", file.toString());
        assertThat(fromFile.hardware().name()).isEqualTo("big-gpu");
        assertThat(fromFile.hardware().memoryGib()).isEqualTo(120.0);
        // at least 70 GiB and no "a100" in the name: vllm serve's large defaults
        assertThat(fromFile.maxNumSeqs()).isEqualTo(1024);

        VllmConfig fromMapping = of("hardware", new HardwareSpec("small-gpu", null, 16.0, 0.5, null,
                new HardwareSpec.DenseTflops(100.0, null, null), null, null, null, null));
        // the defaults of a description that leaves them out (engine-common's HardwareChecks): the Hopper figures
        assertThat(fromMapping.hardware().l2CacheMib()).isEqualTo(50.0);
        assertThat(fromMapping.hardware().efficiency()).isEqualTo(new HardwareSpec.Efficiency(0.72, 0.6, 0.88, 0.8));
        assertThat(fromMapping.maxNumSeqs()).isEqualTo(256);

        assertConfigError(() -> of("hardware", new HardwareSpec("no-memory", null, null, 0.5, null,
                new HardwareSpec.DenseTflops(100.0, null, null), null, null, null, null)),
                "hardware.memory_gib: is required");
    }

    @Test
    void maxModelLenDefaultsToTheContextLengthOfAModelFile() throws IOException {
        Files.createDirectories(folder.resolve("tiny"));
        Path file = Files.writeString(folder.resolve("tiny/config.json"), """
                {"architectures": ["LlamaForCausalLM"], "model_type": "llama", "num_hidden_layers": 2,
                 "hidden_size": 64, "num_attention_heads": 4, "num_key_value_heads": 2, "head_dim": null,
                 "intermediate_size": 128, "vocab_size": 1000, "max_position_embeddings": 2048,
                 "tie_word_embeddings": true, "rope_scaling": {"factor": 8.0}, "eos_token_id": [1, 2]}
                """);

        assertThat(of("model", file.toString()).maxModelLen()).isEqualTo(2048);
    }

    @Test
    void capsDefaultLimitsAgainstEachOther() {
        // max_num_seqs defaults to at most max_num_batched_tokens
        assertThat(of("max_num_batched_tokens", 512).maxNumSeqs()).isEqualTo(512);
        // max_num_batched_tokens defaults to at most max_num_seqs * max_model_len
        VllmConfig tiny = of("max_num_seqs", 2, "max_model_len", 100);
        assertThat(tiny.maxNumBatchedTokens()).isEqualTo(200);
        assertThat(tiny.maxNumSeqs()).isEqualTo(2);
    }

    @Test
    void bindsEveryKey() {
        String file = coefficientsFile();
        VllmConfig bound = TestingVllmConfig.bound("model", "Llama-3.1-70B", "hardware", "h100",
                "tensor_parallel_size", 4, "pipeline_parallel_size", 2, "dtype", "bfloat16", "kv_cache_dtype", "FP8",
                "max_num_seqs", 128, "max_num_batched_tokens", 2048, "max_model_len", 4096, "block_size", 32,
                "num_gpu_blocks", 30000, "gpu_memory_utilization", 0.85, "cpu_offload_gb", 16.0,
                "long_prefill_token_threshold", 512, "scheduling_policy", "Priority", "async_scheduling", false,
                "step_time", "PHYSICS", "coefficients", file, "coefficient_bound", "Slow");
        VllmConfig config = bound.completedFor(ModelSpec.resolve(bound.model()), HardwareSpec.resolve(bound.hardware()));

        assertThat(bound).isEqualTo(new VllmConfig("Llama-3.1-70B", HardwareSpec.valueOf("h100"), 4, 2, Dtype.BF16,
                KvCacheDtype.FP8, 128, 2048, 4096, 32, 30000, 0.85, 16.0, null, 512, SchedulingPolicy.PRIORITY, false,
                StepTime.PHYSICS, file, CoefficientBound.SLOW, null, null, null));
        assertThat(config).isEqualTo(new VllmConfig("llama-3.1-70b", HardwareSpec.named("H100-SXM-80GB"), 4, 2,
                Dtype.BF16, KvCacheDtype.FP8, 128, 2048, 4096, 32, 30000, 0.85, 16.0, null, 512,
                SchedulingPolicy.PRIORITY, false, StepTime.PHYSICS, file, CoefficientBound.SLOW, null, null, null));
        // mfu, mbu and step_overhead go with the roofline step time only (coefficients with physics only)
        VllmConfig roofline = of("step_time", "Roofline", "mfu", 0.4, "mbu", 0.7, "step_overhead", 0.001);
        assertThat(roofline.stepTime()).isEqualTo(StepTime.ROOFLINE);
        assertThat(roofline.mfu()).isEqualTo(0.4);
        assertThat(roofline.mbu()).isEqualTo(0.7);
        assertThat(roofline.stepOverhead()).isEqualTo(0.001);
        assertThat(roofline.coefficients()).isNull();
        assertThat(roofline.coefficientBound()).isNull();
        assertThat(of("coefficient_bound", "FAST").coefficientBound()).isEqualTo(CoefficientBound.FAST);
        assertThat(config.kvCacheBytesPerElement()).isEqualTo(1);
        assertThat(of("dtype", "fp8").kvCacheBytesPerElement()).isEqualTo(1);
        assertThat(of("cpu_offload_blocks", 100).cpuOffloadBlocks()).isEqualTo(100);
        assertThat(of("model", "meta-llama/Llama-3.1-8B-Instruct").model()).isEqualTo("llama-3.1-8b");
    }

    @Test
    void rejectsBadValuesNamingTheKey() {
        assertConfigError(() -> of("tensor_parallel_size", 9), "tensor_parallel_size: must be between 1 and 8, got 9");
        assertConfigError(() -> of("tensor_parallel_size", 3),
                "tensor_parallel_size: 3 does not divide the 32 attention heads");
        assertConfigError(() -> of("model", "qwen2.5-7b", "tensor_parallel_size", 7),
                "tensor_parallel_size: 7 neither divides nor is a multiple of the 4 KV heads of qwen2.5-7b");
        assertConfigError(() -> of("pipeline_parallel_size", 0), "pipeline_parallel_size: must be positive, got 0");
        assertConfigError(() -> of("pipeline_parallel_size", 33),
                "pipeline_parallel_size: must be at most the 32 layers of llama-3.1-8b, got 33");
        assertConfigError(() -> of("dtype", "int4"), "dtype: must be one of");
        assertConfigError(() -> of("kv_cache_dtype", "int8"), "kv_cache_dtype: must be one of");
        assertConfigError(() -> of("max_num_seqs", 300, "max_num_batched_tokens", 200),
                "max_num_seqs: must be at most max_num_batched_tokens (200), got 300");
        assertConfigError(() -> of("max_num_seqs", 0), "max_num_seqs: must be positive");
        assertConfigError(() -> of("max_num_batched_tokens", -1), "max_num_batched_tokens: must be positive");
        assertConfigError(() -> of("max_model_len", 131073), "max_model_len: must be between 2 and the context"
                + " length 131072 of llama-3.1-8b, got 131073");
        assertConfigError(() -> of("block_size", 24), "block_size: must be one of [1, 8, 16, 32, 64, 128, 256], got 24");
        assertConfigError(() -> of("num_gpu_blocks", 1), "num_gpu_blocks: must be at least 2");
        assertConfigError(() -> of("gpu_memory_utilization", 1.2), "gpu_memory_utilization: must be in (0, 1], got 1.2");
        assertConfigError(() -> of("cpu_offload_gb", -1.0), "cpu_offload_gb: must be zero or a positive number");
        assertConfigError(() -> of("cpu_offload_blocks", -1), "cpu_offload_blocks: must be zero or positive");
        assertConfigError(() -> of("cpu_offload_gb", 8.0, "cpu_offload_blocks", 10),
                "cpu_offload_blocks: set either cpu_offload_gb or cpu_offload_blocks, not both");
        assertConfigError(() -> of("long_prefill_token_threshold", -5),
                "long_prefill_token_threshold: must be zero or positive, got -5");
        assertConfigError(() -> of("async_scheduling", true, "pipeline_parallel_size", 2),
                "async_scheduling: is not modelled with pipeline_parallel_size 2");
        assertConfigError(() -> of("scheduling_policy", "lifo"),
                "scheduling_policy: must be one of [fcfs, priority], got lifo");
        assertConfigError(() -> of("step_time", "measured"), "step_time: must be one of [roofline, physics], got measured");
        assertConfigError(() -> of("step_time", "roofline", "coefficients", "fit.properties"),
                "coefficients: is only used with step_time: physics");
        assertConfigError(() -> of("step_time", "physics", "coefficients", folder.resolve("absent").toString()),
                "coefficients: cannot read the file '" + folder.resolve("absent") + "' (relative paths are resolved"
                + " against the working directory)");
        assertConfigError(() -> of("step_time", "roofline", "coefficient_bound", "slow"),
                "coefficient_bound: is only used with step_time: physics");
        assertConfigError(() -> of("step_time", "roofline", "coefficient_bound", "fitted"),
                "coefficient_bound: is only used with step_time: physics");
        assertConfigError(() -> of("coefficient_bound", "upper"),
                "coefficient_bound: must be one of [fitted, slow, fast], got upper");
        assertConfigError(() -> of("mfu", 0.5), "mfu: is only used with step_time: roofline");
        assertConfigError(() -> of("step_time", "physics", "mbu", 0.8), "mbu: is only used with step_time: roofline");
        assertConfigError(() -> of("step_overhead", 0.001), "step_overhead: is only used with step_time: roofline");
        assertConfigError(() -> of("step_time", "roofline", "mfu", 0.0), "mfu: must be in (0, 1]");
        assertConfigError(() -> of("step_time", "roofline", "mbu", 1.5), "mbu: must be in (0, 1]");
        assertConfigError(() -> of("step_time", "roofline", "step_overhead", -0.1),
                "step_overhead: must be zero or a positive number");
    }

    @Test
    void unknownModelOrHardwareListsTheKnownNames() {
        assertConfigError(() -> of("model", "gpt-5"), "model: unknown model 'gpt-5': no catalog model has this name"
                + " and there is no file or folder ");
        assertThatThrownBy(() -> of("model", "gpt-5")).hasMessageEndingWith("known: llama-2-7b, llama-2-13b,"
                + " llama-2-70b, llama-3.1-8b, llama-3.1-70b, codellama-34b, mistral-7b, mistral-nemo-12b,"
                + " mixtral-8x7b, mixtral-8x22b, qwen2.5-7b, qwen2.5-14b, qwen2.5-72b, qwen3-8b, qwen3-14b, qwen3-32b,"
                + " qwen3-30b-a3b, yi-34b, llama-4-scout-17b-16e");
        assertConfigError(() -> of("hardware", "TPU-v5"), "hardware: unknown GPU 'TPU-v5': no catalog GPU has this"
                + " name and there is no such file (relative paths are resolved against the working directory);"
                + " known: H100-SXM-80GB, H200-SXM-141GB, H20, A100-SXM-80GB, A100-SXM-40GB, L40S, L4, A10G, B200,"
                + " MI300X");
    }

    private static void assertConfigError(Runnable action, String message) {
        assertThatThrownBy(action::run)
                .isInstanceOfSatisfying(ServesimException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONFIG))
                .hasMessageStartingWith(message);
    }
}
