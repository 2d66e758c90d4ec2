package dev.servesim.calibration;

import static java.util.Objects.requireNonNull;

import dev.servesim.api.ServesimException;
import dev.servesim.runner.PluginRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Simulates every row of a runs file with several seeds, in parallel (runs are independent; each builds its own
 * object graph), and compares the predictions with the measured figures; optionally derives each row's KV capacity
 * and measures its {@link SustainableRate} in the same pool. Results do not depend on the number of jobs.
 */
public final class FidelityEvaluator {

    private final RunSimulator simulator;

    public FidelityEvaluator(PluginRegistry registry) {
        this.simulator = new RunSimulator(requireNonNull(registry, "registry is null"));
    }

    /**
     * Simulates every row; measures each row's sustainable rate when {@code settings.sustainableRate()}.
     *
     * @param withKvCapacity also derive each row's KV capacity from memory (one short extra simulation per row that
     *     gives {@code total_kv_blocks})
     */
    public FidelityResult evaluate(List<RunsFile.Row> rows, SimulationSettings settings, boolean withKvCapacity) {
        ExecutorService pool = Executors.newFixedThreadPool(settings.jobs(), runnable -> {
            Thread thread = new Thread(runnable, "servesim-fidelity");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<RowFutures> futures = new ArrayList<>();
            for (RunsFile.Row row : rows) {
                List<Future<SimulatedRun>> seeds = new ArrayList<>();
                Future<Long> capacity = null;
                Future<SustainableRate> sustainable = null;
                if (row.spec() != null) {
                    for (int seed = 1; seed <= settings.seeds(); seed++) {
                        long runSeed = seed;
                        seeds.add(pool.submit(() -> simulator.simulate(row.spec(), settings, runSeed)));
                    }
                    if (withKvCapacity && row.spec().totalKvBlocks().isPresent()) {
                        capacity = pool.submit(() -> simulator.derivedGpuBlocks(row.spec(), settings));
                    }
                    if (settings.sustainableRate()) {
                        sustainable = pool.submit(() -> SustainableRate.measure(simulator, row.spec(), settings));
                    }
                }
                futures.add(new RowFutures(seeds, capacity, sustainable));
            }
            List<RunOutcome> outcomes = new ArrayList<>();
            for (int i = 0; i < rows.size(); i++) {
                outcomes.add(outcome(rows.get(i), futures.get(i)));
            }
            return new FidelityResult(settings, outcomes, Aggregates.of(outcomes));
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * As {@link #evaluate(List, SimulationSettings, boolean)}, with the sustainable rate measured or not whatever
     * {@code settings} say (the result's settings record which).
     *
     * @param withSustainableRate also measure each row's {@link SustainableRate} (two short extra simulations per row)
     */
    public FidelityResult evaluate(List<RunsFile.Row> rows, SimulationSettings settings, boolean withKvCapacity,
            boolean withSustainableRate) {
        return evaluate(rows, settings.withSustainableRate(withSustainableRate), withKvCapacity);
    }

    /** The pending simulations of one row; {@code capacity} and {@code sustainable} are null when not asked for. */
    private record RowFutures(List<Future<SimulatedRun>> seeds, Future<Long> capacity,
            Future<SustainableRate> sustainable) {}

    private static RunOutcome outcome(RunsFile.Row row, RowFutures futures) {
        if (row.spec() == null) {
            return new RunOutcome.Skipped(row.runId(), row.problem());
        }
        List<SimulatedRun> runs = new ArrayList<>();
        for (Future<SimulatedRun> future : futures.seeds()) {
            try {
                runs.add(await(future));
            } catch (ServesimException e) {
                return new RunOutcome.Skipped(row.runId(), e.getMessage());
            }
        }
        OptionalLong derived = OptionalLong.empty();
        Optional<String> note = Optional.empty();
        if (futures.capacity() != null) {
            try {
                derived = OptionalLong.of(await(futures.capacity()));
            } catch (ServesimException e) {
                note = Optional.of(e.getMessage());
            }
        }
        Optional<SustainableRate> sustainable = Optional.empty();
        Optional<String> sustainableNote = Optional.of(RunOutcome.NOT_MEASURED);
        if (futures.sustainable() != null) {
            try {
                sustainable = Optional.of(await(futures.sustainable()));
                sustainableNote = Optional.empty();
            } catch (ServesimException e) {
                sustainableNote = Optional.of(e.getMessage());
            }
        }
        Metrics predicted = Metrics.mean(runs.stream().map(SimulatedRun::predicted).toList());
        return new RunOutcome.Evaluated(row.spec(), predicted, runs, derived, note, sustainable, sustainableNote);
    }

    private static <T> T await(Future<T> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a simulation", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ServesimException servesim) {
                throw servesim;
            }
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        }
    }
}
