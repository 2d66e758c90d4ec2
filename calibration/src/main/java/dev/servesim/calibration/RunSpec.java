package dev.servesim.calibration;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * One row of a runs file (the columns of {@code ../shared/calibration/runs.csv}): the engine, the workload recipe and
 * the measured figures.
 *
 * @param modelConfig the engine's {@code model}: the row's {@code config.json} resolved against the runs file's folder
 *     when that file exists, else the text as given (a catalog name)
 * @param precision the row's precision text; FP8 when it starts with "FP8"
 * @param totalKvBlocks GPU KV blocks vLLM reported (its count includes the null block), if given
 * @param cpuKvBlocks CPU KV tier blocks, used only when {@code cpuOffload}
 * @param measuredPromptTokensMean measured mean prompt length, if public
 * @param impliedOutputTokensMean the measured mean output length behind the ground-truth ITL, if given
 * @param failedRequests requests the real run failed ({@code failed_requests}), if public
 */
public record RunSpec(String runId, String model, String modelConfig, String hardware, int tp, String precision,
        int maxNumSeqs, int maxNumBatchedTokens, int maxModelLen, double gpuMemoryUtilization, int blockSize,
        OptionalLong totalKvBlocks, long cpuKvBlocks, boolean cpuOffload, List<Stage> stages,
        int numUniqueSystemPrompts, int usersPerSystemPrompt, int systemPromptLen, int questionLen, int outputLen,
        OptionalDouble measuredPromptTokensMean, OptionalDouble impliedOutputTokensMean, OptionalLong failedRequests,
        Metrics actual) {

    /** One load stage: {@code rate} requests per second for {@code durationSeconds}. */
    public record Stage(double rate, double durationSeconds) {}

    public RunSpec {
        requireNonNull(runId, "runId is null");
        requireNonNull(model, "model is null");
        requireNonNull(modelConfig, "modelConfig is null");
        requireNonNull(hardware, "hardware is null");
        requireNonNull(precision, "precision is null");
        requireNonNull(totalKvBlocks, "totalKvBlocks is null");
        stages = List.copyOf(stages);
        requireNonNull(measuredPromptTokensMean, "measuredPromptTokensMean is null");
        requireNonNull(impliedOutputTokensMean, "impliedOutputTokensMean is null");
        requireNonNull(failedRequests, "failedRequests is null");
        requireNonNull(actual, "actual is null");
    }

    /** A row that does not say whether the real run failed requests. */
    public RunSpec(String runId, String model, String modelConfig, String hardware, int tp, String precision,
            int maxNumSeqs, int maxNumBatchedTokens, int maxModelLen, double gpuMemoryUtilization, int blockSize,
            OptionalLong totalKvBlocks, long cpuKvBlocks, boolean cpuOffload, List<Stage> stages,
            int numUniqueSystemPrompts, int usersPerSystemPrompt, int systemPromptLen, int questionLen, int outputLen,
            OptionalDouble measuredPromptTokensMean, OptionalDouble impliedOutputTokensMean, Metrics actual) {
        this(runId, model, modelConfig, hardware, tp, precision, maxNumSeqs, maxNumBatchedTokens, maxModelLen,
                gpuMemoryUtilization, blockSize, totalKvBlocks, cpuKvBlocks, cpuOffload, stages, numUniqueSystemPrompts,
                usersPerSystemPrompt, systemPromptLen, questionLen, outputLen, measuredPromptTokensMean,
                impliedOutputTokensMean, OptionalLong.empty(), actual);
    }

    /** The engine's {@code dtype}: the row's FP8 checkpoints run as {@code fp8}, others at 16 bits. */
    public String dtype() {
        return precision.regionMatches(true, 0, "FP8", 0, 3) ? "fp8" : "bf16";
    }

    /**
     * True unless the row records failed requests: {@code failed_requests} 0 or blank (blank means not public, so not
     * known to have failed).
     */
    public boolean realRunCompletedEverything() {
        return failedRequests.isEmpty() || failedRequests.getAsLong() == 0;
    }

    /** The arrival rate of each load stage, requests per second, in stage order. */
    public List<Double> stageRates() {
        return stages.stream().map(Stage::rate).toList();
    }

    /** Stages parsed from {@code stages_rate_rps_x_duration_s}, e.g. {@code 2.5x600;6x600}. */
    static List<Stage> parseStages(String text) {
        return java.util.Arrays.stream(text.split(";")).map(String::strip).filter(s -> !s.isEmpty()).map(part -> {
            int x = part.indexOf('x');
            if (x <= 0) {
                throw new IllegalArgumentException("stage '" + part + "' is not RATExSECONDS");
            }
            return new Stage(Double.parseDouble(part.substring(0, x)), Double.parseDouble(part.substring(x + 1)));
        }).toList();
    }
}
