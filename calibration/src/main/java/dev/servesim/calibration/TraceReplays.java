package dev.servesim.calibration;

import static java.util.Objects.requireNonNull;

import dev.servesim.api.ErrorKind;
import dev.servesim.api.ServesimException;
import dev.servesim.engine.common.steptime.StepTimeTerm;
import dev.servesim.runner.PluginRegistry;
import dev.servesim.runner.RunConfiguration;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Replays the traces of a calibration with candidate coefficients, each in its own scratch folder (deleted after),
 * several at once on {@code jobs} threads; the results do not depend on the number of jobs. The configuration is the
 * user's, with its {@code --set} overrides, then {@code framework.step_time=physics} and
 * {@code framework.coefficients} naming a scratch file that holds the candidate, then the trace as the workload.
 */
final class TraceReplays implements AutoCloseable {

    /** A trace read for calibration: its measured requests in arrival order and their concurrency groups. */
    record Trace(Path file, String name, List<MeasuredTrace.Measured> measured, int[] groups) {

        Trace {
            requireNonNull(file, "file is null");
            requireNonNull(name, "name is null");
            measured = List.copyOf(measured);
            groups = groups.clone();
        }

        int requests() {
            return measured.size();
        }
    }

    private final PluginRegistry registry;
    private final Path config;
    private final List<String> overrides;
    private final List<Trace> traces;
    private final Fitter fitter;
    private final ExecutorService pool;

    TraceReplays(PluginRegistry registry, Path config, List<String> overrides, List<Trace> traces, Fitter fitter,
            int jobs) {
        this.registry = requireNonNull(registry, "registry is null");
        this.config = requireNonNull(config, "config is null");
        this.overrides = List.copyOf(overrides);
        this.traces = List.copyOf(traces);
        this.fitter = requireNonNull(fitter, "fitter is null");
        this.pool = Executors.newFixedThreadPool(jobs, runnable -> {
            Thread thread = new Thread(runnable, "servesim-calibrate");
            thread.setDaemon(true);
            return thread;
        });
    }

    List<Trace> traces() {
        return traces;
    }

    /** The configuration trace {@code trace} is replayed with, the coefficients read from {@code coefficients}. */
    RunConfiguration configuration(int trace, Path coefficients) {
        List<String> all = new ArrayList<>(overrides);
        all.add("framework.step_time=physics");
        all.add("framework.coefficients='" + coefficients.toAbsolutePath().toString().replace("'", "''") + "'");
        return TraceReplay.configuration(registry, traces.get(trace).file(), config, all, "[csv]");
    }

    /** Replays the traces {@code indexes} with the coefficients {@code values}; by trace index. */
    Map<Integer, TraceReplay.Simulated> replay(Map<StepTimeTerm, Double> values, List<Integer> indexes) {
        return fitter.withCoefficientsFile(values, file -> replay(file, indexes));
    }

    private Map<Integer, TraceReplay.Simulated> replay(Path coefficients, List<Integer> indexes) {
        Map<Integer, Future<TraceReplay.Simulated>> futures = new TreeMap<>();
        for (int index : indexes) {
            futures.put(index, pool.submit(() -> replayOne(index, coefficients)));
        }
        Map<Integer, TraceReplay.Simulated> results = new TreeMap<>();
        futures.forEach((index, future) -> results.put(index, await(future)));
        return results;
    }

    private TraceReplay.Simulated replayOne(int index, Path coefficients) {
        RunConfiguration configuration = configuration(index, coefficients);
        Path scratch;
        try {
            scratch = Files.createTempDirectory("servesim-calibrate-");
        } catch (IOException e) {
            throw new ServesimException(ErrorKind.IO, "cannot create a scratch folder: " + e.getMessage(), e);
        }
        try {
            return TraceReplay.run(configuration, scratch.resolve("replay"), traces.get(index).requests());
        } finally {
            RunSimulator.deleteRecursively(scratch);
        }
    }

    private static <T> T await(Future<T> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a replay", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
