package dev.servesim.planner;

import com.fasterxml.jackson.databind.JsonNode;
import dev.servesim.api.engine.EngineInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The chosen deployment as its operators run it: the command line of one replica, from the resolved {@code framework}
 * section ({@code vllm serve} with vLLM v0.15's flags for the {@code vllm} framework, {@code python3 -m
 * sglang.launch_server} with SGLang's {@code server_args.py} flags for {@code sglang}), and a Kubernetes Deployment of
 * all replicas. Other frameworks get neither.
 */
final class DeploymentFiles {

    /** The container image of the Deployment: the vLLM release whose behaviour the engine copies. */
    static final String IMAGE = "vllm/vllm-openai:v0.15.0";
    /**
     * SGLang's image: the engine copies the scheduling of releases before the current main, not one tagged release,
     * so the Deployment names the project's image and asks, in a comment, for the tag validated.
     */
    static final String SGLANG_IMAGE = "lmsysorg/sglang:latest";

    /**
     * How one replica is started.
     *
     * @param name the container's name and the Deployment's prefix, {@code vllm} or {@code sglang}
     * @param server the server's name for messages, {@code vLLM} or {@code SGLang}
     * @param command the executable and its leading arguments ({@code vllm serve})
     * @param arguments the rest, from the configuration
     * @param image the container image
     */
    record Launch(String name, String server, List<String> command, List<String> arguments, String image) {

        /** The file name of its shell script, e.g. {@code vllm-serve.sh}. */
        String script() {
            return name + "-serve.sh";
        }

        /** The whole command as one shell line. */
        String line() {
            StringBuilder line = new StringBuilder(String.join(" ", command));
            for (String argument : arguments) {
                line.append(' ').append(shellQuoted(argument));
            }
            return line.toString();
        }
    }

    /** How a replica of the resolved configuration is started, or {@code null} for a framework without a command. */
    static Launch launch(JsonNode resolved, EngineInfo info) {
        return switch (resolved.path("framework").path("name").asText()) {
            case "vllm" -> new Launch("vllm", "vLLM", List.of("vllm", "serve"), vllmArguments(resolved, info), IMAGE);
            case "sglang" -> new Launch("sglang", "SGLang", List.of("python3", "-m", "sglang.launch_server"),
                    sglangArguments(resolved.path("framework"), info), SGLANG_IMAGE);
            default -> null;
        };
    }

    /** Node labels of NVIDIA's GPU feature discovery ({@code nvidia.com/gpu.product}) for catalog GPUs. */
    private static final Map<String, String> GPU_PRODUCTS = Map.of(
            "H100-SXM-80GB", "NVIDIA-H100-80GB-HBM3",
            "H200-SXM-141GB", "NVIDIA-H200",
            "A100-SXM-80GB", "NVIDIA-A100-SXM4-80GB",
            "A100-SXM-40GB", "NVIDIA-A100-SXM4-40GB",
            "L40S", "NVIDIA-L40S",
            "L4", "NVIDIA-L4",
            "A10G", "NVIDIA-A10G",
            "B200", "NVIDIA-B200",
            "H20", "NVIDIA-H20");

    private DeploymentFiles() {}

    /** The arguments after {@code vllm serve}. */
    private static List<String> vllmArguments(JsonNode resolved, EngineInfo info) {
        JsonNode framework = resolved.path("framework");
        List<String> arguments = new ArrayList<>();
        arguments.add(info.properties().getOrDefault("model_id", framework.path("model").asText()));
        add(arguments, "--tensor-parallel-size", framework.path("tensor_parallel_size"));
        add(arguments, "--pipeline-parallel-size", framework.path("pipeline_parallel_size"));
        switch (framework.path("dtype").asText()) {
            case "fp16" -> arguments.addAll(List.of("--dtype", "float16"));
            case "fp8" -> arguments.addAll(List.of("--quantization", "fp8"));
            default -> arguments.addAll(List.of("--dtype", "bfloat16"));
        }
        String kvDtype = framework.path("kv_cache_dtype").asText("auto");
        if (!kvDtype.equals("auto")) {
            arguments.addAll(List.of("--kv-cache-dtype", kvDtype));
        }
        add(arguments, "--max-num-seqs", framework.path("max_num_seqs"));
        add(arguments, "--max-num-batched-tokens", framework.path("max_num_batched_tokens"));
        add(arguments, "--max-model-len", framework.path("max_model_len"));
        add(arguments, "--block-size", framework.path("block_size"));
        add(arguments, "--gpu-memory-utilization", framework.path("gpu_memory_utilization"));
        if (framework.path("num_gpu_blocks").isNumber()) {
            add(arguments, "--num-gpu-blocks-override", framework.path("num_gpu_blocks"));
        }
        if (framework.path("long_prefill_token_threshold").asInt(0) > 0) {
            add(arguments, "--long-prefill-token-threshold", framework.path("long_prefill_token_threshold"));
        }
        if ("priority".equals(framework.path("scheduling_policy").asText())) {
            arguments.addAll(List.of("--scheduling-policy", "priority"));
        }
        if (framework.path("cpu_offload_gb").asDouble(0) > 0) {
            add(arguments, "--kv-offloading-size", framework.path("cpu_offload_gb"));
        }
        String cache = resolved.path("cache").path("strategy").asText("disabled");
        arguments.add(cache.equals("disabled") ? "--no-enable-prefix-caching" : "--enable-prefix-caching");
        return arguments;
    }

    /**
     * The arguments after {@code python3 -m sglang.launch_server} (python/sglang/srt/server_args.py): every setting
     * the engine models, so the server starts as the simulated one, on port 8000 like vLLM's.
     */
    private static List<String> sglangArguments(JsonNode framework, EngineInfo info) {
        List<String> arguments = new ArrayList<>();
        arguments.add("--model-path");
        arguments.add(info.properties().getOrDefault("model_id", framework.path("model").asText()));
        add(arguments, "--tp-size", framework.path("tensor_parallel_size"));
        switch (framework.path("dtype").asText()) {
            case "fp16" -> arguments.addAll(List.of("--dtype", "float16"));
            case "fp8" -> arguments.addAll(List.of("--quantization", "fp8"));
            default -> arguments.addAll(List.of("--dtype", "bfloat16"));
        }
        switch (framework.path("kv_cache_dtype").asText("auto")) {
            case "fp8", "fp8_e4m3" -> arguments.addAll(List.of("--kv-cache-dtype", "fp8_e4m3"));
            case "fp8_e5m2" -> arguments.addAll(List.of("--kv-cache-dtype", "fp8_e5m2"));
            default -> { }
        }
        add(arguments, "--context-length", framework.path("context_length"));
        add(arguments, "--mem-fraction-static", framework.path("mem_fraction_static"));
        add(arguments, "--max-running-requests", framework.path("max_running_requests"));
        add(arguments, "--max-prefill-tokens", framework.path("max_prefill_tokens"));
        add(arguments, "--chunked-prefill-size", framework.path("chunked_prefill_size"));
        add(arguments, "--page-size", framework.path("page_size"));
        add(arguments, "--schedule-policy", framework.path("schedule_policy"));
        add(arguments, "--schedule-conservativeness", framework.path("schedule_conservativeness"));
        add(arguments, "--radix-eviction-policy", framework.path("radix_eviction_policy"));
        if (framework.path("disable_radix_cache").asBoolean(false)) {
            arguments.add("--disable-radix-cache");
        }
        if (framework.path("disable_overlap_schedule").asBoolean(false)) {
            arguments.add("--disable-overlap-schedule");
        }
        arguments.addAll(List.of("--host", "0.0.0.0", "--port", "8000"));
        return arguments;
    }

    private static void add(List<String> arguments, String flag, JsonNode value) {
        if (!value.isMissingNode() && !value.isNull()) {
            arguments.add(flag);
            arguments.add(value.asText());
        }
    }

    /** A Kubernetes Deployment of {@code replicas} replicas started as {@code launch} says. */
    static String kubernetes(String name, Launch launch, EngineInfo info, int replicas, String summary) {
        String app = launch.name() + "-" + slug(name);
        int gpus = Math.max(1, info.memory().gpusPerReplica());
        String product = GPU_PRODUCTS.get(info.memory().gpu());
        StringBuilder yaml = new StringBuilder();
        yaml.append("# Written by servesim plan: ").append(summary).append('\n');
        yaml.append("# Put a Service (port 8000) and your router in front; check the node label against your cluster.\n");
        yaml.append("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ").append(app).append('\n');
        yaml.append("  labels:\n    app: ").append(app).append('\n');
        yaml.append("spec:\n  replicas: ").append(replicas).append('\n');
        yaml.append("  selector:\n    matchLabels:\n      app: ").append(app).append('\n');
        yaml.append("  template:\n    metadata:\n      labels:\n        app: ").append(app).append('\n');
        yaml.append("    spec:\n");
        if (product != null) {
            yaml.append("      nodeSelector:\n        nvidia.com/gpu.product: ").append(product).append('\n');
        } else {
            yaml.append("      # no known node label for GPU ").append(info.memory().gpu()).append(": add a nodeSelector\n");
        }
        if (launch.image().endsWith(":latest")) {
            yaml.append("      # pin the image to the ").append(launch.server()).append(" release you validated\n");
        }
        yaml.append("      containers:\n        - name: ").append(launch.name()).append("\n          image: ")
                .append(launch.image()).append('\n');
        yaml.append("          command: [");
        for (int i = 0; i < launch.command().size(); i++) {
            yaml.append(i > 0 ? ", " : "").append('"').append(launch.command().get(i)).append('"');
        }
        yaml.append("]\n          args:\n");
        for (String argument : launch.arguments()) {
            yaml.append("            - \"").append(argument.replace("\\", "\\\\").replace("\"", "\\\"")).append("\"\n");
        }
        yaml.append("          ports:\n            - containerPort: 8000\n");
        yaml.append("          resources:\n            limits:\n              nvidia.com/gpu: ").append(gpus)
                .append('\n');
        yaml.append("          readinessProbe:\n            httpGet:\n              path: /health\n              port: 8000\n");
        yaml.append("            periodSeconds: 10\n");
        yaml.append("          volumeMounts:\n            - name: dshm\n              mountPath: /dev/shm\n");
        yaml.append("      volumes:\n        - name: dshm\n          emptyDir:\n            medium: Memory\n");
        return yaml.toString();
    }

    private static String slug(String name) {
        String slug = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
        if (slug.length() > 50) {
            slug = slug.substring(0, 41) + "-" + Integer.toHexString(name.hashCode());
        }
        return slug.isEmpty() ? "plan" : slug;
    }

    private static String shellQuoted(String argument) {
        return argument.matches("[A-Za-z0-9_./:=+-]+") ? argument : "'" + argument.replace("'", "'\\''") + "'";
    }
}
