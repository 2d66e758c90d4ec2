package dev.servesim.calibration;

import static java.util.Objects.requireNonNull;

import dev.servesim.api.ErrorKind;
import dev.servesim.api.ServesimException;
import dev.servesim.api.metrics.RunSummary;
import dev.servesim.runner.ConfigLoader;
import dev.servesim.runner.PluginRegistry;
import dev.servesim.runner.RunConfiguration;
import dev.servesim.runner.RunControl;
import dev.servesim.runner.RunResult;
import dev.servesim.runner.SimulationRunner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Simulates one row of a runs file through the runner, each call with its own configuration and object graph (safe
 * to call from several threads). The configuration is written as YAML into a scratch folder that is deleted after
 * the run; no sink writes files.
 *
 * <p>ITL is the README's (mean E2E - mean TTFT) / (mean output tokens - 1). The denominator is the row's
 * {@code implied_output_tokens_mean} when given - the measured mean output length the ground truth was computed
 * with, which makes the Llama-2 runs (whose client under-counts output tokens) like-for-like - else
 * {@code output_len}, which every completed simulated request generates.
 */
public final class RunSimulator {

    private final PluginRegistry registry;

    public RunSimulator(PluginRegistry registry) {
        this.registry = requireNonNull(registry, "registry is null");
    }

    public SimulatedRun simulate(RunSpec spec, SimulationSettings settings, long seed) {
        RunSummary summary = summary(spec, settings, seed);
        RunSummary.Latencies latency = summary.latencyMs();
        double outputTokens = spec.impliedOutputTokensMean().orElse(spec.outputLen());
        Metrics predicted = new Metrics(latency.e2e().mean(), latency.e2e().p90(), latency.e2e().p99(),
                latency.ttft().mean(), latency.ttft().p90(), latency.ttft().p99(),
                Metrics.itlMs(latency.e2e().mean(), latency.ttft().mean(), outputTokens));
        RunSummary.Requests requests = summary.requests();
        return new SimulatedRun(seed, predicted, requests.completed(), requests.rejected() + requests.unfinished());
    }

    /** The run summary of the row's fidelity simulation with {@code seed}. */
    RunSummary summary(RunSpec spec, SimulationSettings settings, long seed) {
        return run(ScenarioYaml.of(spec, settings, seed, false), spec.runId());
    }

    /**
     * The run summary of the row's engine working through a backlog of {@code requests} requests that all arrive at
     * time 0, stopped at {@code horizonSeconds} ({@link ScenarioYaml#backlog}).
     */
    RunSummary backlog(RunSpec spec, SimulationSettings settings, long seed, long requests, double horizonSeconds) {
        return run(ScenarioYaml.backlog(spec, settings, seed, requests, horizonSeconds), spec.runId());
    }

    /** The GPU KV capacity the engine derives from memory and {@code gpu_memory_utilization}, vLLM's way (null block included). */
    public long derivedGpuBlocks(RunSpec spec, SimulationSettings settings) {
        RunSummary summary = run(ScenarioYaml.of(spec, settings, 1, true), spec.runId());
        return summary.kvCache().blocks() + 1;
    }

    private RunSummary run(String yaml, String runId) {
        Path scratch;
        try {
            scratch = Files.createTempDirectory("servesim-fidelity-");
        } catch (IOException e) {
            throw new ServesimException(ErrorKind.IO, "cannot create a scratch folder: " + e.getMessage(), e);
        }
        try {
            Path file = scratch.resolve("run-" + runId.replaceAll("[^A-Za-z0-9._-]", "_") + ".yaml");
            Files.writeString(file, yaml);
            RunConfiguration configuration = new ConfigLoader(registry).load(file, List.of());
            RunResult result = SimulationRunner.run(configuration, scratch.resolve("out"), new RunControl());
            return result.summary();
        } catch (ServesimException e) {
            // name the row, not the scratch file, so reports do not depend on temporary folder names
            String message = e.getMessage().replace(scratch.resolve("run-").toString(), "run ")
                    .replace(".yaml:", " configuration, line ");
            throw new ServesimException(e.kind(), message, e);
        } catch (IOException e) {
            throw new ServesimException(ErrorKind.IO, "cannot write " + scratch + ": " + e.getMessage(), e);
        } finally {
            deleteRecursively(scratch);
        }
    }

    static void deleteRecursively(Path folder) {
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete scratch folder " + folder, e);
        }
    }
}
