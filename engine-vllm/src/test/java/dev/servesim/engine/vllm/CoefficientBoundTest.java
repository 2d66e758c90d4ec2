package dev.servesim.engine.vllm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.servesim.api.ErrorKind;
import dev.servesim.api.ServesimException;
import dev.servesim.api.engine.ServingEngine;
import dev.servesim.api.request.PromptContent;
import dev.servesim.api.request.Request;
import dev.servesim.engine.common.steptime.CoefficientBound;
import dev.servesim.engine.vllm.config.TestingVllmConfig;
import dev.servesim.engine.vllm.config.VllmConfig;
import dev.servesim.testing.RecordingRequestListener.Event;
import dev.servesim.testing.RecordingRequestListener.Type;
import dev.servesim.testing.TestingEngineContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code coefficient_bound} runs: each fitted term at the slow or the fast end of its bootstrap interval. The
 * coefficients themselves are engine-common's {@code CoefficientIntervalsTest}.
 */
class CoefficientBoundTest {

    @TempDir
    Path folder;

    @Test
    void aWholeRunsMedianTtftAndTpotAreOrderedSlowFittedFast() {
        double[] slow = medianTtftAndTpot(CoefficientBound.SLOW);
        double[] fitted = medianTtftAndTpot(CoefficientBound.FITTED);
        double[] fast = medianTtftAndTpot(CoefficientBound.FAST);

        assertThat(slow[0]).isGreaterThan(fitted[0]);
        assertThat(fitted[0]).isGreaterThan(fast[0]);
        assertThat(slow[1]).isGreaterThan(fitted[1]);
        assertThat(fitted[1]).isGreaterThan(fast[1]);
    }

    @Test
    void thePropertiesNameTheBoundInUseAndTheBoundsOnOffer() throws IOException {
        Map<String, String> fitted = properties(TestingVllmConfig.of());
        Map<String, String> slow = properties(TestingVllmConfig.of("coefficient_bound", "slow"));
        Path bare = Files.writeString(folder.resolve("bare.properties"), "version=2\nfitted_on=mine\n");
        Map<String, String> user = properties(TestingVllmConfig.of("coefficients", bare.toString()));
        Map<String, String> roofline = properties(TestingVllmConfig.of("step_time", "roofline"));

        assertThat(fitted).containsEntry("physics_coefficients", "physics-coefficients-v4.properties")
                .containsEntry("coefficient_bound", "fitted").containsEntry("coefficient_bounds", "slow,fast");
        assertThat(slow).containsEntry("physics_coefficients", "physics-coefficients-v4.properties")
                .containsEntry("coefficient_bound", "slow").containsEntry("coefficient_bounds", "slow,fast");
        assertThat(user).containsEntry("physics_coefficients", bare.toString())
                .containsEntry("coefficient_bound", "fitted").doesNotContainKey("coefficient_bounds");
        assertThat(roofline).doesNotContainKeys("coefficient_bound", "coefficient_bounds");
        List<String> keys = List.copyOf(fitted.keySet());
        assertThat(keys.subList(keys.indexOf("physics_coefficients"), keys.indexOf("physics_coefficients") + 4))
                .containsExactly("physics_coefficients", "physics_fitted_on", "coefficient_bound",
                        "coefficient_bounds");
    }

    @Test
    void aBoundWithoutIntervalsIsRefused() throws IOException {
        Path bare = Files.writeString(folder.resolve("bare.properties"), "version=2\nstep_overhead_seconds=0.001\n");

        assertThatThrownBy(() -> TestingVllmConfig.of("coefficients", bare.toString(), "coefficient_bound", "FAST"))
                .isInstanceOfSatisfying(ServesimException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONFIG))
                .hasMessageStartingWith("coefficient_bound: the coefficients " + bare + " have no bootstrap"
                        + " intervals")
                .hasMessageNotContaining("\n");
    }

    private static Map<String, String> properties(VllmConfig config) {
        return new VllmEngineFactory().create(config, new TestingEngineContext()).info().properties();
    }

    /** Median TTFT and TPOT of 80 requests, one every 50 ms, on llama-3.1-8b on one H100. */
    private static double[] medianTtftAndTpot(CoefficientBound bound) {
        TestingEngineContext context = new TestingEngineContext();
        ServingEngine engine = new VllmEngineFactory().create(TestingVllmConfig.of("coefficient_bound",
                bound.value()), context);
        List<Request> requests = new ArrayList<>();
        for (int id = 1; id <= 80; id++) {
            requests.add(Request.single(id, 0.05 * id, PromptContent.single(1000 + id, 400 + 37 * (id % 29)),
                    60 + 7 * (id % 11)));
        }
        for (Request request : requests) {
            context.simulation().scheduleAt(request.arrivalTime(), () -> engine.submit(request));
        }
        context.simulation().run(Double.MAX_VALUE);
        double[] ttft = new double[requests.size()];
        double[] tpot = new double[requests.size()];
        for (int i = 0; i < requests.size(); i++) {
            Request request = requests.get(i);
            List<Event> tokens = context.recorded().events(request.id()).stream()
                    .filter(event -> event.type() == Type.TOKENS).toList();
            assertThat(context.recorded().outputTokens(request.id())).isEqualTo(request.maxOutputTokens());
            double first = tokens.get(0).time();
            double last = tokens.get(tokens.size() - 1).time();
            ttft[i] = first - request.arrivalTime();
            tpot[i] = (last - first) / (request.maxOutputTokens() - 1);
        }
        return new double[] {median(ttft), median(tpot)};
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }
}
