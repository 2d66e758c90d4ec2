package dev.servesim.runner.simulation;

import dev.servesim.api.ErrorKind;
import dev.servesim.api.ServesimException;
import dev.servesim.api.engine.EngineInfo;
import dev.servesim.api.engine.ServingEngine;
import dev.servesim.api.metrics.RunSummary;
import dev.servesim.api.request.Request;
import dev.servesim.api.request.RequestRecord;
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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The lifecycle of one run: start the sinks, start the workload, run the kernel until the workload is drained, the
 * horizon is reached or a stop is requested, account for every request, then write the summary and the resolved
 * configuration.
 */
public final class RunExecution {

    private static final System.Logger LOG = System.getLogger(RunExecution.class.getName());
    static final String RESOLVED_CONFIG = "config.resolved.yaml";
    /** Heap held during the run and let go when memory runs out, to write the partial results with. */
    static final int MEMORY_RESERVE_BYTES = 16 << 20;

    private final RunConfiguration configuration;
    private final RunSettings settings;
    private final Simulation simulation;
    private final Deployment deployment;
    private final DeploymentFigures figures;
    private final WorkloadDriver workload;
    private final RequestTracker tracker;
    private final SinkSet sinks;
    private final SummaryCollector summary;
    private final RunOutput output;
    private final RunControl control;
    private final PeriodicTicks ticks;
    private final RunLimits limits;
    private final LiveDriver live;
    // released when memory runs out, so that the partial results can still be written
    private byte[] memoryReserve;

    @Inject
    RunExecution(RunConfiguration configuration, RunSettings settings, Simulation simulation, Deployment deployment, DeploymentFigures figures,
            WorkloadDriver workload, RequestTracker tracker, SinkSet sinks, SummaryCollector summary,
            RunOutput output, RunControl control, PeriodicTicks ticks, RunLimits limits, LiveMode liveMode) {
        this.configuration = configuration;
        this.settings = settings;
        this.simulation = simulation;
        this.deployment = deployment;
        this.figures = figures;
        // told of each request in this order: the summary, the sinks, the routers and replicas, the workload
        tracker.observe(summary);
        RequestObserver toSinks = new RequestObserver() {
            @Override
            public void ended(RequestRecord record, int prefillReplica) {
                sinks.requestFinished(record);
            }

            @Override
            public void tokens(Request request, int replica, double time, int count, double gapSeconds) {
                sinks.tokens(request, replica, time, count, gapSeconds);
            }

            @Override
            public void admitted(Request request, int replica, double time, int queriedTokens, int cachedTokens) {
                sinks.admitted(request, replica, time, queriedTokens, cachedTokens);
            }
        };
        if (sinks.wantsRequestDetails()) {
            tracker.observeDetails(toSinks);
        } else {
            tracker.observe(toSinks);
        }
        tracker.observe(deployment);
        tracker.observe(workload);
        // live requests (servesim serve) last, also told of every output token, to stream them
        this.live = liveMode.input().map(input -> new LiveDriver(input, simulation, deployment)).orElse(null);
        if (live != null) {
            tracker.observeDetails(live);
        }
        this.workload = workload;
        this.tracker = tracker;
        this.sinks = sinks;
        this.summary = summary;
        this.output = output;
        this.control = control;
        this.ticks = ticks;
        this.limits = limits;
    }

    /** What each replica's engine reports of itself, in replica order (the run need not have started). */
    public java.util.List<dev.servesim.api.engine.EngineInfo> engineInfos() {
        return figures.infos();
    }

    /** The run's kernel, so that a stop can be requested from another thread. */
    public Simulation simulation() {
        return simulation;
    }

    /**
     * Runs to the end and writes the outputs. A run that stops early - interrupted, over {@code max_in_flight}, out
     * of memory, or because a component failed mid-run (a bad trace line) - still writes what it gathered, marked
     * partial with the reason; then the failure is thrown. If even that cannot be written, the sinks remove what they
     * half-wrote and the original failure is thrown, with the second one suppressed.
     */
    public RunResult run() {
        memoryReserve = new byte[MEMORY_RESERVE_BYTES];
        long wallStart = System.nanoTime();
        sinks.runStarted();
        workload.start();
        deployment.start(ticks);
        ticks.every(settings.snapshotInterval(), this::snapshot, () -> tracker.inFlightCount() > 0);
        if (live != null) {
            // the live door holds simulated time to the wall clock itself
            live.start(wallStart);
        } else if (settings.pace() != null) {
            new Pacer(simulation, settings.pace(), wallStart).start();
        }
        String stopReason = "";
        RuntimeException failure = null;
        try {
            Simulation.Outcome outcome = simulation.run(settings.horizonOrInfinity());
            if (limits.exceeded() != null) {
                failure = limits.exceeded();
                stopReason = "over max_in_flight";
            } else if (outcome == Simulation.Outcome.STOPPED) {
                stopReason = control.stopRequested() ? control.stopReason() : RunControl.INTERRUPTED;
            }
        } catch (RuntimeException e) {
            failure = e;
            stopReason = "failed: " + oneLine(e.getMessage());
        } catch (OutOfMemoryError e) {
            memoryReserve = null;
            failure = outOfMemory();
            stopReason = "out of memory";
        }
        double wallSeconds = (System.nanoTime() - wallStart) / 1e9;
        if (!stopReason.isEmpty()) {
            LOG.log(Level.WARNING, "run stopped at " + simulation.now() + " simulated seconds (" + stopReason
                    + "); results are partial");
        }
        try {
            RunResult result = finish(stopReason, wallSeconds);
            if (failure != null) {
                throw failure = afterPartialResults(failure);
            }
            return result;
        } catch (RuntimeException | OutOfMemoryError e) {
            if (failure == null || e == failure) {
                throw e instanceof OutOfMemoryError ? outOfMemory() : (RuntimeException) e;
            }
            failure.addSuppressed(e);
            throw failure;
        } finally {
            memoryReserve = null;
        }
    }

    private RunResult finish(String stopReason, double wallSeconds) {
        tracker.closeUnfinished(simulation.now());
        if (summary.arrivedCount() != summary.accountedCount() || tracker.inFlightCount() != 0) {
            throw new ServesimException(ErrorKind.INVARIANT, "requests lost: " + summary.arrivedCount()
                    + " arrived but " + summary.accountedCount() + " completed, rejected or unfinished");
        }
        RunSummary result = summary.summarize(
                new SummaryCollector.RunMetadata(settings.name(), Versions.servesim(), configHash(), stopReason,
                        wallSeconds),
                simulation.now(), figures.infos(), prefixCacheName(figures.infos()), figures.cacheStats(),
                workload.counters(), figures.counters(), figures.cluster(simulation.now()));
        sinks.runFinished(result);
        writeResolvedConfig();
        return new RunResult(result, output.directory(), listFiles(), simulation.eventsProcessed(), summary.curves());
    }

    /**
     * The prefix cache the run's engines used: {@code cache.strategy}, unless every engine names its own in its
     * {@code prefix_cache} property (an engine with a built-in cache, such as sglang's radix tree, which takes no
     * cache strategy).
     */
    private String prefixCacheName(List<EngineInfo> engines) {
        Set<String> own = new TreeSet<>();
        for (EngineInfo engine : engines) {
            String name = engine.properties().get(EngineInfo.PREFIX_CACHE);
            if (name == null) {
                return configuration.cache().name();
            }
            own.add(name);
        }
        return own.isEmpty() ? configuration.cache().name() : String.join("+", own);
    }

    /** The failure, saying where the results until then are. */
    private ServesimException afterPartialResults(RuntimeException failure) {
        String note = "; the results until then are in " + output.directory() + ", marked partial";
        return failure instanceof ServesimException servesim
                ? new ServesimException(servesim.kind(), servesim.getMessage() + note, servesim)
                : new ServesimException(ErrorKind.PLUGIN, failure + note, failure);
    }

    private ServesimException outOfMemory() {
        return new ServesimException(ErrorKind.RESOURCE, String.format(Locale.ROOT, "out of memory at %.3f "
                + "simulated seconds with %,d requests in flight (the JVM may use %,d MB); give it more with "
                + "SERVESIM_JAVA_OPTS=-Xmx<size>, or lower max_in_flight or the load", simulation.now(),
                tracker.inFlightCount(), Runtime.getRuntime().maxMemory() >> 20));
    }

    private static String oneLine(String message) {
        String text = message == null ? "" : message.strip();
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }

    /**
     * Closes the sinks (stops their servers; a sink that did not finish removes its temporary files) and the
     * workload source; called once, after the run or the hold, also when the run failed.
     */
    public void close() {
        try {
            sinks.close();
        } finally {
            workload.close();
        }
    }

    private void snapshot() {
        double now = simulation.now();
        control.publish(new RunProgress(now, settings.horizon() == null ? Double.NaN : settings.horizon(),
                summary.arrivedCount(), summary.accountedCount(), simulation.eventsProcessed()));
        List<ServingEngine> replicas = deployment.engines();
        for (int replica = 0; replica < replicas.size(); replica++) {
            sinks.snapshot(now, replica, replicas.get(replica).load());
        }
    }

    private String configHash() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(configuration.resolvedYaml().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
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
