package dev.servesim.calibration;

import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/** Hand-made runs-file rows for tests. */
final class TestingRuns {

    /** Measured figures of a run: 1,000 ms E2E, 100 ms TTFT and 10 ms ITL everywhere. */
    static final Metrics ACTUAL = new Metrics(1000, 1000, 1000, 100, 100, 100, 10);

    private TestingRuns() {}

    /**
     * A small row on catalog entries (Qwen2.5-7B on an H100, 16 sequences, 100-token prompts, 32-token outputs) with
     * {@code stages}; fast to simulate.
     */
    static RunSpec small(List<RunSpec.Stage> stages) {
        return spec("small", stages, ACTUAL, OptionalLong.empty());
    }

    /** The small row with the given stages, measured figures and failed-request count. */
    static RunSpec spec(String runId, List<RunSpec.Stage> stages, Metrics actual, OptionalLong failedRequests) {
        return new RunSpec(runId, "Qwen/Qwen2.5-7B-Instruct", "qwen2.5-7b", "H100-SXM-80GB", 1, "16-bit", 16, 512,
                1024, 0.9, 16, OptionalLong.empty(), 0, false, stages, 3, 2, 40, 60, 32, OptionalDouble.empty(),
                OptionalDouble.empty(), failedRequests, actual);
    }

    /** The settings of the tests: physics step time, one seed, two jobs, the 10 x 10 prompt pool. */
    static SimulationSettings settings() {
        return new SimulationSettings("physics", Optional.empty(), 1, 1.0, 2, SimulationSettings.POOL_BUILD_DEFAULT);
    }

    /** A simulated row predicted {@code predicted}, with a sustainable rate when {@code rate} is positive. */
    static RunOutcome.Evaluated evaluated(RunSpec spec, Metrics predicted, double rate) {
        Optional<SustainableRate> sustainable = rate > 0
                ? Optional.of(new SustainableRate(rate, 10, 60, 1024)) : Optional.empty();
        return new RunOutcome.Evaluated(spec, predicted, List.of(new SimulatedRun(1, predicted, 100, 0)),
                OptionalLong.empty(), Optional.empty(), sustainable,
                sustainable.isPresent() ? Optional.empty() : Optional.of(RunOutcome.NOT_MEASURED));
    }
}
