package dev.servesim.runner.simulation;

import dev.servesim.api.ErrorKind;
import dev.servesim.api.ServesimException;
import dev.servesim.api.engine.ServingEngine;
import dev.servesim.api.metrics.RunSummary;
import dev.servesim.core.Simulation;
import dev.servesim.runner.RunConfiguration;
import dev.servesim.runner.RunControl;
import dev.servesim.runner.RunProgress;
import dev.servesim.runner.RunResult;
import dev.servesim.runner.RunSettings;
import dev.servesim.runner.sinks.OutputFiles;
import jakarta.inject.Inject;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The lifecycle of one run: start the sinks, start the workload, run the kernel until the workload is drained, the
 * horizon is reached or a stop is requested, account for every request, then write the summary and the resolved
 * configuration.
 */
public final class RunExecution {

    private static final System.Logger LOG = System.getLogger(RunExecution.class.getName());
    static final String RESOLVED_CONFIG = "config.resolved.yaml";

    private final RunConfiguration configuration;
    private final RunSettings settings;
    private final Simulation simulation;
    private final EngineReplicas engines;
    private final WorkloadDriver workload;
    private final RequestTracker tracker;
    private final SinkSet sinks;
    private final SummaryCollector summary;
    private final RunOutput output;
    private final RunControl control;

    @Inject
    RunExecution(RunConfiguration configuration, RunSettings settings, Simulation simulation, EngineReplicas engines,
            WorkloadDriver workload, RequestTracker tracker, SinkSet sinks, SummaryCollector summary,
            RunOutput output, RunControl control) {
        this.configuration = configuration;
        this.settings = settings;
        this.simulation = simulation;
        this.engines = engines;
        this.workload = workload;
        this.tracker = tracker;
        this.sinks = sinks;
        this.summary = summary;
        this.output = output;
        this.control = control;
    }

    /** The run's kernel, so that a stop can be requested from another thread. */
    public Simulation simulation() {
        return simulation;
    }

    /** Runs to the end and writes the outputs. */
    public RunResult run() {
        writeResolvedConfig();
        long wallStart = System.nanoTime();
        sinks.runStarted();
        workload.start();
        engines.start();
        simulation.scheduleDaemon(0, this::snapshot);
        if (settings.pace() != null) {
            new Pacer(simulation, settings.pace(), wallStart).start();
        }
        Simulation.Outcome outcome = simulation.run(settings.horizonOrInfinity());
        double wallSeconds = (System.nanoTime() - wallStart) / 1e9;
        boolean partial = outcome == Simulation.Outcome.STOPPED;
        if (partial) {
            LOG.log(Level.WARNING, "run stopped at " + simulation.now() + " simulated seconds; results are partial");
        }
        tracker.closeUnfinished(simulation.now());
        if (summary.arrivedCount() != summary.accountedCount() || tracker.inFlightCount() != 0) {
            throw new ServesimException(ErrorKind.INVARIANT, "requests lost: " + summary.arrivedCount()
                    + " arrived but " + summary.accountedCount() + " completed, rejected or unfinished");
        }
        RunSummary result = summary.summarize(
                new SummaryCollector.RunMetadata(settings.name(), Versions.servesim(), configHash(), partial,
                        wallSeconds),
                simulation.now(), engines.infos(), configuration.cache().name(), engines.cacheStats(),
                workload.counters(), engines.counters(), engines.cluster(simulation.now()));
        sinks.runFinished(result);
        return new RunResult(result, output.directory(), listFiles(), simulation.eventsProcessed(), summary.curves());
    }

    /** Closes the sinks (stops their servers); called once, after the run or the hold. */
    public void closeSinks() {
        sinks.close();
    }

    private void snapshot() {
        double now = simulation.now();
        control.publish(new RunProgress(now, settings.horizon() == null ? Double.NaN : settings.horizon(),
                summary.arrivedCount(), summary.accountedCount(), simulation.eventsProcessed()));
        List<ServingEngine> replicas = engines.engines();
        for (int replica = 0; replica < replicas.size(); replica++) {
            sinks.snapshot(now, replica, replicas.get(replica).load());
        }
        simulation.scheduleDaemon(settings.snapshotInterval(), this::snapshot);
    }

    private String configHash() {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(configuration.resolvedYaml().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(digest);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new ServesimException(ErrorKind.INVARIANT, "SHA-256 is not available", e);
        }
    }

    private void writeResolvedConfig() {
        Path target = output.directory().resolve(RESOLVED_CONFIG);
        String text = "# Effective configuration of run '" + settings.name() + "' read from " + configuration.origin()
                + ", every default filled in.\n# servesim run " + RESOLVED_CONFIG + " reproduces the run.\n"
                + configuration.resolvedYaml();
        OutputFiles.writeAtomically(target, text);
    }

    private List<String> listFiles() {
        try (Stream<Path> files = Files.list(output.directory())) {
            return files.filter(Files::isRegularFile).map(path -> path.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new ServesimException(ErrorKind.IO, "cannot list " + output.directory() + ": " + e.getMessage(), e);
        }
    }
}
