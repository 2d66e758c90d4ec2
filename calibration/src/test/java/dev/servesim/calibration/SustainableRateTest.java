package dev.servesim.calibration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.withinPercentage;

import dev.servesim.api.ServesimException;
import dev.servesim.api.metrics.RunSummary;
import dev.servesim.runner.PluginRegistry;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * The sustainable rate behaves as its definition says: below it a constant-rate run drains, above it the queue grows
 * with the length of the run. Only relations are checked, never figures that depend on the step-time coefficients.
 */
class SustainableRateTest {

    private static final double SHORT_SECONDS = 20;
    private static final double LONG_SECONDS = 2 * SHORT_SECONDS;

    private final RunSimulator simulator = new RunSimulator(PluginRegistry.discover(List.of()));

    @Test
    void belowTheSustainableRateTheQueueDrainsAndAboveItItGrowsWithTheRunLength() {
        double rate = SustainableRate.measure(simulator, TestingRuns.small(List.of(new RunSpec.Stage(1, 1))),
                TestingRuns.settings()).requestsPerSecond();

        RunSummary belowShort = constantRate(0.8 * rate, SHORT_SECONDS);
        RunSummary belowLong = constantRate(0.8 * rate, LONG_SECONDS);
        RunSummary aboveShort = constantRate(1.3 * rate, SHORT_SECONDS);
        RunSummary aboveLong = constantRate(1.3 * rate, LONG_SECONDS);

        // at 0.8x: every request completes within a few service times of the last arrival, and queueing stays a
        // small part of the latency however long the run
        for (RunSummary below : List.of(belowShort, belowLong)) {
            assertThat(below.requests().unfinished()).isZero();
            double e2eSeconds = below.latencyMs().e2e().mean() / 1000;
            assertThat(lag(below, below == belowShort ? SHORT_SECONDS : LONG_SECONDS)).isLessThan(3 * e2eSeconds);
            assertThat(below.latencyMs().queue().mean()).isLessThan(0.5 * below.latencyMs().e2e().mean());
        }
        assertThat(belowLong.latencyMs().queue().mean()).isLessThan(1.5 * belowShort.latencyMs().queue().mean());
        // at 1.3x: the queue time doubles when the run does, and the backlog drains at the sustainable rate, so the
        // last completion comes 0.3 run lengths after the last arrival
        assertThat(aboveLong.latencyMs().queue().mean()).isGreaterThan(1.8 * aboveShort.latencyMs().queue().mean());
        assertThat(lag(aboveShort, SHORT_SECONDS)).isCloseTo(0.3 * SHORT_SECONDS, withinPercentage(15));
        assertThat(lag(aboveLong, LONG_SECONDS)).isCloseTo(0.3 * LONG_SECONDS, withinPercentage(15));
    }

    @Test
    void theMeasurementIsDeterministicAndItsWindowFollowsTheWarmUp() {
        RunSpec spec = TestingRuns.small(List.of(new RunSpec.Stage(1, 1)));

        SustainableRate first = SustainableRate.measure(simulator, spec, TestingRuns.settings());
        SustainableRate second = SustainableRate.measure(simulator, spec,
                TestingRuns.settings().withSustainableRate(true));

        assertThat(second).isEqualTo(first);
        RunSummary warmUp = simulator.backlog(spec, TestingRuns.settings(), SustainableRate.SEED,
                first.backlogRequests(), first.windowStartSeconds());
        RunSummary end = simulator.backlog(spec, TestingRuns.settings(), SustainableRate.SEED,
                first.backlogRequests(), first.windowEndSeconds());
        // two batches of 16 completed by the window start, about ten more in it, and requests still waiting at its end
        assertThat(warmUp.requests().completed()).isGreaterThanOrEqualTo(2 * 16);
        assertThat(end.requests().completed() - warmUp.requests().completed()).isGreaterThanOrEqualTo(8 * 16);
        assertThat(end.requests().unfinished()).isGreaterThan(16);
        assertThat(end.requests().arrived()).isEqualTo(first.backlogRequests());
    }

    @Test
    void aServerThatRejectsTheRequestsHasNoSustainableRate() {
        RunSpec base = TestingRuns.small(List.of(new RunSpec.Stage(1, 1)));
        // 130-token prompts (40 + 60 + 30 extra) and 32 output tokens do not fit in 6 blocks of 16 tokens
        RunSpec tooLong = new RunSpec(base.runId(), base.model(), base.modelConfig(), base.hardware(), base.tp(),
                base.precision(), base.maxNumSeqs(), base.maxNumBatchedTokens(), base.maxModelLen(),
                base.gpuMemoryUtilization(), base.blockSize(), OptionalLong.of(6), base.cpuKvBlocks(),
                base.cpuOffload(), base.stages(),
                base.numUniqueSystemPrompts(), base.usersPerSystemPrompt(), base.systemPromptLen(), base.questionLen(),
                base.outputLen(), base.measuredPromptTokensMean(), base.impliedOutputTokensMean(), OptionalLong.empty(),
                base.actual());

        assertThatThrownBy(() -> SustainableRate.measure(simulator, tooLong, TestingRuns.settings()))
                .isInstanceOf(ServesimException.class)
                .hasMessageStartingWith("run small: no sustainable rate: the simulated server rejected 1024 of 1024")
                .hasMessageContaining("(request larger than the KV cache)");
    }

    private RunSummary constantRate(double rate, double seconds) {
        return simulator.summary(TestingRuns.small(List.of(new RunSpec.Stage(rate, seconds))), TestingRuns.settings(),
                1);
    }

    /** Seconds from the last arrival (the end of the single stage) to the end of the run. */
    private static double lag(RunSummary summary, double stageSeconds) {
        return summary.simulatedSeconds() - stageSeconds;
    }
}
