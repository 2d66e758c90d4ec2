package dev.servesim.calibration;

import dev.servesim.engine.common.steptime.StepTimeTerm;
import dev.servesim.runner.PluginRegistry;
import dev.servesim.runner.RunConfiguration;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Traces of a deployment whose coefficients are known: the measured side of each vllm-vcr trace is what the simulator
 * gives when it replays the trace's requests with those coefficients, so a calibration on them should find them
 * again.
 */
final class TestingTraces {

    static final PluginRegistry REGISTRY = PluginRegistry.discover(List.of());

    /** Llama-3.1-8B on one H100, prefix caching on; the workload is replaced by each trace. */
    static final String CONFIG = """
            seed: 1
            framework: {name: vllm, model: llama-3.1-8b, hardware: H100-SXM-80GB, num_gpu_blocks: 4096}
            cache: {strategy: block-hash}
            workload: {source: poisson, rate: 1, duration: 1}
            """;

    /** One request of a trace's workload side. */
    record Request(double arrivalMs, int promptTokens, int outputTokens) {}

    private TestingTraces() {}

    /**
     * The shipped coefficients with {@code step_overhead_seconds} doubled and {@code output_overhead_seconds} at 6 ms
     * instead of 1 ms (as a client that measures its TTFT across a few milliseconds of HTTP path sees it).
     */
    static Map<StepTimeTerm, Double> truth() {
        Map<StepTimeTerm, Double> values = new EnumMap<>(StepTimeTerm.builtIn());
        values.put(StepTimeTerm.STEP_OVERHEAD_SECONDS, 2 * values.get(StepTimeTerm.STEP_OVERHEAD_SECONDS));
        values.put(StepTimeTerm.OUTPUT_OVERHEAD_SECONDS, 6e-3);
        return values;
    }

    /**
     * A quiet start then bursts: {@code quiet} requests 1 s apart (nothing else in flight), then bursts of 12, 6 and 3
     * requests arriving together, prompts of 200 to 1,700 tokens and outputs of 24 to 48 tokens.
     */
    static List<Request> quietThenBursts(int quiet) {
        List<Request> requests = new ArrayList<>();
        for (int k = 0; k < quiet; k++) {
            requests.add(new Request(1000.0 * k, 200 + 150 * (k % 11), 24 + 8 * (k % 4)));
        }
        double start = 1000.0 * quiet + 1000;
        for (int burst : new int[] {12, 6, 3}) {
            for (int k = 0; k < burst; k++) {
                requests.add(new Request(start + k * 0.5, 300 + 97 * (k % 7), 32 + 4 * (k % 5)));
            }
            start += 1500;
        }
        return requests;
    }

    /** A steady load: {@code count} requests every 60 ms, a few in flight at a time. */
    static List<Request> steady(int count) {
        List<Request> requests = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            requests.add(new Request(60.0 * k, 400 + 113 * (k % 9), 40 + 6 * (k % 3)));
        }
        return requests;
    }

    /** Writes the configuration into {@code folder}. */
    static Path config(Path folder) throws IOException {
        return Files.writeString(folder.resolve("deployment.yaml"), CONFIG);
    }

    /**
     * Writes {@code requests} as a vllm-vcr trace into {@code file}, measured as the simulator replays them with
     * {@code coefficients} in {@code config}; request k's prompt shares its first block with every other request and
     * is otherwise its own.
     */
    static Path measured(Path file, List<Request> requests, Path config, Map<StepTimeTerm, Double> coefficients)
            throws IOException {
        return measured(file, requests, config, coefficients, List.of());
    }

    /** As above, the configuration with {@code overrides}. */
    static Path measured(Path file, List<Request> requests, Path config, Map<StepTimeTerm, Double> coefficients,
            List<String> overrides) throws IOException {
        Path placeholder = write(file.resolveSibling(file.getFileName() + ".placeholder"), requests, null);
        Path values = file.resolveSibling(file.getFileName() + ".properties");
        CoefficientSpace.write(coefficients, values, List.of(), "test");
        List<String> all = new ArrayList<>(overrides);
        all.add("framework.coefficients='" + values.toAbsolutePath() + "'");
        RunConfiguration configuration = TraceReplay.configuration(REGISTRY, placeholder, config, all, "[csv]");
        TraceReplay.Simulated simulated = TraceReplay.run(configuration, file.resolveSibling(file.getFileName()
                + ".replay"), requests.size());
        return write(file, requests, simulated);
    }

    /** The trace; measured figures from {@code simulated}, or placeholders when it is null. */
    static Path write(Path file, List<Request> requests, TraceReplay.Simulated simulated) throws IOException {
        StringBuilder lines = new StringBuilder("{\"meta\": {\"model\": \"llama-3.1-8b\", \"block_size\": 16}}\n");
        for (int k = 0; k < requests.size(); k++) {
            Request request = requests.get(k);
            // placeholders where nothing was simulated, or the replay rejected the request
            boolean measured = simulated != null && !Double.isNaN(simulated.value(0, k));
            double ttft = measured ? simulated.value(0, k) : 50;
            double gap = measured ? simulated.value(1, k) : 10;
            StringBuilder gaps = new StringBuilder();
            for (int g = 0; g < request.outputTokens() - 1; g++) {
                gaps.append(g == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.6f", gap));
            }
            StringBuilder hashes = new StringBuilder("7");
            for (int b = 1; b < request.promptTokens() / 16; b++) {
                hashes.append(", ").append(1_000_000L * (k + 1) + b);
            }
            lines.append(String.format(Locale.ROOT, "{\"prompt_tokens\": %d, \"output_tokens\": %d, \"ttft_ms\": %.6f,"
                    + " \"itl_ms\": [%s], \"arrival_ms\": %.3f, \"block_hashes\": [%s], \"finish_reason\": \"length\"}%n",
                    request.promptTokens(), request.outputTokens(), ttft, gaps, request.arrivalMs(), hashes));
        }
        return Files.writeString(file, lines);
    }
}
