package dev.servesim.runner.simulation;

import dev.servesim.api.ErrorKind;
import dev.servesim.api.ServesimException;
import dev.servesim.api.engine.EngineLoad;
import dev.servesim.api.metrics.MetricSink;
import dev.servesim.api.metrics.RunSummary;
import dev.servesim.api.metrics.SinkContext;
import dev.servesim.api.request.Request;
import dev.servesim.api.request.RequestRecord;
import dev.servesim.api.request.StepRecord;
import dev.servesim.api.sim.SimClock;
import dev.servesim.core.Simulation;
import dev.servesim.runner.BoundComponent;
import dev.servesim.runner.RunConfiguration;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The run's metric sinks, called in configuration order. A sink that throws fails the run. */
final class SinkSet {

    private final MetricSink[] sinks;
    // the sinks that take every token batch and admission (most do not: these calls are on the hot path)
    private final MetricSink[] tokenSinks;
    private final MetricSink[] admissionSinks;

    @Inject
    SinkSet(RunConfiguration configuration, RunOutput output, Simulation simulation) {
        SinkContext context = new RunSinkContext(configuration.settings().name(), output.directory(), simulation,
                configuration.resolvedYaml(), simulation);
        if (output.checkOnly()) {
            for (BoundComponent sink : configuration.sinks()) {
                Components.checkSink(sink, context);
            }
            sinks = new MetricSink[0];
            tokenSinks = sinks;
            admissionSinks = sinks;
            return;
        }
        try {
            Files.createDirectories(output.directory());
        } catch (IOException e) {
            throw new ServesimException(ErrorKind.IO, "cannot create output folder " + output.directory() + ": "
                    + e.getMessage(), e);
        }
        List<MetricSink> created = new ArrayList<>();
        for (BoundComponent sink : configuration.sinks()) {
            created.add(Components.sink(sink, context));
        }
        sinks = created.toArray(MetricSink[]::new);
        tokenSinks = created.stream().filter(sink -> overrides(sink, "onTokens", Request.class, int.class,
                double.class, int.class, double.class)).toArray(MetricSink[]::new);
        admissionSinks = created.stream().filter(sink -> overrides(sink, "onAdmitted", Request.class, int.class,
                double.class, int.class, int.class)).toArray(MetricSink[]::new);
    }

    private static boolean overrides(MetricSink sink, String method, Class<?>... parameters) {
        try {
            return sink.getClass().getMethod(method, parameters).getDeclaringClass() != MetricSink.class;
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException("MetricSink." + method + " is missing", e);
        }
    }

    /** Whether a sink takes token batches or admissions, so that the tracker must report them. */
    boolean wantsRequestDetails() {
        return tokenSinks.length > 0 || admissionSinks.length > 0;
    }

    void tokens(Request request, int replica, double time, int count, double gapSeconds) {
        for (MetricSink sink : tokenSinks) {
            sink.onTokens(request, replica, time, count, gapSeconds);
        }
    }

    void admitted(Request request, int replica, double time, int queriedTokens, int cachedTokens) {
        for (MetricSink sink : admissionSinks) {
            sink.onAdmitted(request, replica, time, queriedTokens, cachedTokens);
        }
    }

    void runStarted() {
        for (MetricSink sink : sinks) {
            sink.onRunStarted();
        }
    }

    void requestFinished(RequestRecord record) {
        for (MetricSink sink : sinks) {
            sink.onRequestFinished(record);
        }
    }

    void step(StepRecord step) {
        for (MetricSink sink : sinks) {
            sink.onStep(step);
        }
    }

    void snapshot(double time, int replica, EngineLoad load) {
        for (MetricSink sink : sinks) {
            sink.onSnapshot(time, replica, load);
        }
    }

    void runFinished(RunSummary summary) {
        for (MetricSink sink : sinks) {
            sink.onRunFinished(summary);
        }
    }

    /** Closes every sink, even if one fails; the first failure is thrown after all were closed. */
    void close() {
        RuntimeException failure = null;
        for (MetricSink sink : sinks) {
            try {
                sink.close();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private record RunSinkContext(String runName, Path outputDirectory, SimClock clock, String configurationYaml,
            Simulation simulation) implements SinkContext {

        @Override
        public long eventsProcessed() {
            return simulation.eventsProcessed();
        }
    }
}
