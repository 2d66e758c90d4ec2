package dev.servesim.workload.config;

import static dev.servesim.api.ConfigValues.nonNegative;
import static dev.servesim.api.ConfigValues.orDefault;
import static dev.servesim.api.ConfigValues.positive;
import static dev.servesim.api.ConfigValues.required;

import dev.servesim.api.ConfigValues;
import dev.servesim.api.ServesimException;
import java.util.List;

/**
 * Configuration of the {@code shared-prefix} source, the benchmark load of inference-perf's shared_prefix data:
 * {@code num_unique_system_prompts} groups, each a system prompt shared by {@code users_per_system_prompt}
 * questions; request {@code n} uses prompt {@code n mod (groups x users)} of a list shuffled once.
 *
 * @param numUniqueSystemPrompts number of system prompts (groups) (default 10)
 * @param usersPerSystemPrompt questions per system prompt (default 10)
 * @param systemPromptLen tokens of each system prompt (required; 0 for none)
 * @param questionLen tokens of each question (required)
 * @param outputLen output tokens of every request, generated to that length (required)
 * @param loadType {@code constant} (default), {@code poisson}, {@code burst} or {@code staircase}
 * @param stages the load stages, run back to back (required unless load_type is staircase)
 * @param burstSize burst load: requests per burst (default: a whole stage in one burst)
 * @param staircase staircase load: the steps (required for it, not allowed otherwise)
 */
public record SharedPrefixConfig(
        Integer numUniqueSystemPrompts,
        Integer usersPerSystemPrompt,
        Integer systemPromptLen,
        Integer questionLen,
        Integer outputLen,
        String loadType,
        List<StageConfig> stages,
        Integer burstSize,
        StaircaseConfig staircase) {

    /** Values of {@code load_type}. */
    public static final List<String> LOAD_TYPES = List.of("constant", "poisson", "burst", "staircase");

    public SharedPrefixConfig {
        numUniqueSystemPrompts = positive("num_unique_system_prompts", orDefault(numUniqueSystemPrompts, 10));
        usersPerSystemPrompt = positive("users_per_system_prompt", orDefault(usersPerSystemPrompt, 10));
        if ((long) numUniqueSystemPrompts * usersPerSystemPrompt > 10_000_000L) {
            throw ServesimException.config("users_per_system_prompt", "num_unique_system_prompts x "
                    + "users_per_system_prompt must stay at most 10,000,000 prompts");
        }
        systemPromptLen = nonNegative("system_prompt_len", required("system_prompt_len", systemPromptLen));
        questionLen = positive("question_len", required("question_len", questionLen));
        outputLen = positive("output_len", required("output_len", outputLen));
        loadType = orDefault(loadType, "constant");
        if (!LOAD_TYPES.contains(loadType)) {
            throw ServesimException.config("load_type", "unknown '" + loadType + "'; one of "
                    + String.join(", ", LOAD_TYPES));
        }
        if (loadType.equals("staircase")) {
            required("staircase", staircase);
            if (stages != null) {
                throw ServesimException.config("stages", "the staircase load makes its own stages; remove stages");
            }
        } else {
            if (staircase != null) {
                throw ServesimException.config("staircase", "applies to load_type staircase only");
            }
            if (stages == null || stages.isEmpty()) {
                throw ServesimException.config("stages", "is required: a list of {rate, duration}");
            }
            for (int i = 0; i < stages.size(); i++) {
                if (stages.get(i) == null) {
                    throw ServesimException.config("stages[" + i + "]", "is empty");
                }
            }
            stages = List.copyOf(stages);
        }
        if (burstSize != null) {
            if (!loadType.equals("burst")) {
                throw ServesimException.config("burst_size", "applies to load_type burst only");
            }
            positive("burst_size", burstSize);
        }
        double requests = 0;
        double seconds = 0;
        for (StageConfig stage : staircase == null ? stages : List.<StageConfig>of()) {
            requests += stage.rate() * stage.duration();
            seconds += stage.duration();
        }
        if (staircase != null) {
            for (int i = 0; i < staircase.steps(); i++) {
                requests += staircase.rateOf(i) * staircase.stepDuration();
            }
            seconds = staircase.steps() * staircase.stepDuration();
        }
        ConfigValues.requestBudget(staircase == null ? "stages" : "staircase", requests, "the stages' rate x duration");
        ConfigValues.duration(staircase == null ? "stages" : "staircase", seconds);
    }

    /** The stages to run: {@code stages}, or the staircase's steps. */
    public List<StageConfig> effectiveStages() {
        if (staircase == null) {
            return stages;
        }
        StageConfig[] steps = new StageConfig[staircase.steps()];
        for (int i = 0; i < steps.length; i++) {
            steps[i] = new StageConfig(staircase.rateOf(i), staircase.stepDuration());
        }
        return List.of(steps);
    }
}
