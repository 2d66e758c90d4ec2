package dev.servesim.calibration;

import java.util.Locale;

/**
 * The servesim configuration (YAML text) that reproduces one row of a runs file, and its variants: the capacity probe
 * and the backlog of the sustainable rate, which differ from it only in the horizon, KV blocks and load.
 */
final class ScenarioYaml {

    private ScenarioYaml() {}

    /** Prompt tokens beyond system prompt + question: the measured surplus where given, else the default. */
    static int promptExtraTokens(RunSpec spec) {
        if (spec.measuredPromptTokensMean().isPresent()) {
            long extra = Math.round(spec.measuredPromptTokensMean().getAsDouble() - spec.systemPromptLen()
                    - spec.questionLen());
            return (int) Math.max(0, extra);
        }
        return SimulationSettings.DEFAULT_PROMPT_EXTRA_TOKENS;
    }

    /**
     * The configuration of the row's fidelity simulation, or of its capacity probe.
     *
     * @param seed the run seed
     * @param capacityProbe true: no {@code num_gpu_blocks} (capacity derived from memory) and a tiny horizon, to
     *     read the derived KV capacity only
     */
    static String of(RunSpec spec, SimulationSettings settings, long seed, boolean capacityProbe) {
        StringBuilder load = new StringBuilder("  load_type: constant\n  stages:\n");
        for (RunSpec.Stage stage : spec.stages()) {
            load.append("    - {rate: ").append(number(stage.rate())).append(", duration: ")
                    .append(number(stage.durationSeconds() * settings.durationScale())).append("}\n");
        }
        return capacityProbe ? build(spec, settings, seed, "0.000001", false, load)
                : build(spec, settings, seed, null, true, load);
    }

    /**
     * The row's engine and workload shape with a backlog instead of its stages: {@code requests} requests all
     * arriving at time 0 (one burst), simulated until {@code horizonSeconds}. Used by {@link SustainableRate}.
     */
    static String backlog(RunSpec spec, SimulationSettings settings, long seed, long requests, double horizonSeconds) {
        // a burst stage sends int(rate x duration) requests at its start
        StringBuilder load = new StringBuilder("  load_type: burst\n  stages:\n");
        load.append("    - {rate: ").append(requests).append(", duration: 1}\n");
        return build(spec, settings, seed, number(horizonSeconds), true, load);
    }

    private static String build(RunSpec spec, SimulationSettings settings, long seed, String horizon,
            boolean measuredKvBlocks, CharSequence load) {
        StringBuilder yaml = new StringBuilder();
        // a run name is one plain path segment (RunSettings); run ids are free text
        String name = "fidelity-" + spec.runId().replaceAll("[/\\\\\\p{Cntrl}]", "_");
        yaml.append("name: ").append(quote(name.length() > 120 ? name.substring(0, 120) : name)).append('\n');
        yaml.append("seed: ").append(seed).append('\n');
        if (horizon != null) {
            yaml.append("horizon: ").append(horizon).append('\n');
        }
        yaml.append("framework:\n");
        yaml.append("  name: vllm\n");
        yaml.append("  model: ").append(quote(spec.modelConfig())).append('\n');
        yaml.append("  hardware: ").append(quote(spec.hardware())).append('\n');
        yaml.append("  tensor_parallel_size: ").append(spec.tp()).append('\n');
        yaml.append("  dtype: ").append(spec.dtype()).append('\n');
        if (spec.dtype().equals("fp8")) {
            // FP8 weights, 16-bit KV cache (the calibration README: no kv_cache_dtype recorded)
            yaml.append("  kv_cache_dtype: bf16\n");
        }
        yaml.append("  max_model_len: ").append(spec.maxModelLen()).append('\n');
        yaml.append("  max_num_seqs: ").append(spec.maxNumSeqs()).append('\n');
        yaml.append("  max_num_batched_tokens: ").append(spec.maxNumBatchedTokens()).append('\n');
        yaml.append("  block_size: ").append(spec.blockSize()).append('\n');
        yaml.append("  gpu_memory_utilization: ").append(number(spec.gpuMemoryUtilization())).append('\n');
        if (measuredKvBlocks && spec.totalKvBlocks().isPresent()) {
            // vLLM's start-up count includes its null block, as the engine's num_gpu_blocks does
            yaml.append("  num_gpu_blocks: ").append(spec.totalKvBlocks().getAsLong()).append('\n');
        }
        if (spec.cpuOffload() && spec.cpuKvBlocks() > 0) {
            yaml.append("  cpu_offload_blocks: ").append(spec.cpuKvBlocks()).append('\n');
        }
        yaml.append("  step_time: ").append(settings.stepTime()).append('\n');
        settings.coefficients().ifPresent(file ->
                yaml.append("  coefficients: ").append(quote(file.toAbsolutePath().toString())).append('\n'));
        yaml.append("cache:\n  strategy: block-hash\n");
        yaml.append("workload:\n");
        yaml.append("  source: shared-prefix\n");
        boolean profile = settings.promptPool().equals(SimulationSettings.POOL_PROFILE);
        yaml.append("  num_unique_system_prompts: ")
                .append(profile ? spec.numUniqueSystemPrompts() : SimulationSettings.BUILD_DEFAULT_GROUPS)
                .append('\n');
        yaml.append("  users_per_system_prompt: ")
                .append(profile ? spec.usersPerSystemPrompt() : SimulationSettings.BUILD_DEFAULT_PROMPTS_PER_GROUP)
                .append('\n');
        yaml.append("  system_prompt_len: ").append(spec.systemPromptLen()).append('\n');
        yaml.append("  question_len: ").append(spec.questionLen() + promptExtraTokens(spec)).append('\n');
        yaml.append("  output_len: ").append(spec.outputLen()).append('\n');
        yaml.append(load);
        yaml.append("sinks: []\n");
        return yaml.toString();
    }

    private static String number(double value) {
        return String.format(Locale.ROOT, "%s", value);
    }

    private static String quote(String text) {
        return '"' + text.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
