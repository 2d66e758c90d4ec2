package dev.servesim.loadgen;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.servesim.api.ErrorKind;
import dev.servesim.api.ServesimException;
import dev.servesim.loadgen.TargetProbe.ServedModel;
import dev.servesim.loadgen.config.RemoteConfig;
import dev.servesim.runner.BoundComponent;
import dev.servesim.runner.ConfigLoader;
import dev.servesim.runner.ExtensionKind;
import dev.servesim.runner.LiveArrivals;
import dev.servesim.runner.PluginRegistry;
import dev.servesim.runner.RunConfiguration;
import dev.servesim.runner.RunControl;
import dev.servesim.runner.RunResult;
import dev.servesim.runner.RunSettings;
import dev.servesim.runner.SimulationRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code servesim loadgen}: a run in real time whose engine is a remote OpenAI-compatible server. The configuration's
 * workload sends its requests at their times (simulated time is wall-clock time), the server answers, and the run
 * ends by itself once the workload is done and nothing is in flight. The outputs are a run's ({@code summary.json},
 * {@code requests.csv}, {@code report.html}), measured by the client; beside them, the completed requests as a
 * vllm-vcr trace and the deltas of the server's counters ({@code metrics-delta.json}).
 *
 * <p>{@link #prepare} checks the target and the configuration and writes nothing; {@link #run} runs.
 */
public final class Loadgen {

    /** The deltas of the server's counters, in the output folder. */
    public static final String METRICS_FILE = "metrics-delta.json";
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(5);
    private static final List<String> SINKS = List.of("json", "csv", "html");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final LoadgenSettings settings;
    private final String baseUrl;
    private final TargetProbe probe;
    private final RemoteSession session;
    private final RunConfiguration configuration;
    private final ServedModel model;

    private Loadgen(LoadgenSettings settings, String baseUrl, TargetProbe probe, RemoteSession session,
            RunConfiguration configuration, ServedModel model) {
        this.settings = settings;
        this.baseUrl = baseUrl;
        this.probe = probe;
        this.session = session;
        this.configuration = configuration;
        this.model = model;
    }

    /**
     * Checks the target ({@code GET /v1/models}, a few seconds at most) and loads the configuration with the
     * {@code remote} framework in place of its own, no cluster, no cache strategy of its own, the {@code json},
     * {@code csv} and {@code html} sinks, and {@code --max-seconds} as its horizon.
     *
     * @throws ServesimException ({@code CONFIG}) with one line if the target's URL is bad, the server cannot be
     *     reached or serves no such model, or the configuration is refused
     */
    public static Loadgen prepare(LoadgenSettings settings) {
        return prepare(settings, List.of());
    }

    /**
     * As {@link #prepare(LoadgenSettings)}, with the plugins of {@code pluginDirectories} too (e.g. a workload source
     * of the distribution's {@code plugins/}).
     */
    public static Loadgen prepare(LoadgenSettings settings, List<Path> pluginDirectories) {
        requireNonNull(settings, "settings is null");
        requireNonNull(pluginDirectories, "pluginDirectories is null");
        String baseUrl;
        try {
            baseUrl = RemoteConfig.baseUrl(settings.target());
        } catch (ServesimException e) {
            throw new ServesimException(ErrorKind.CONFIG, "--target: expected an http:// or https:// URL of a "
                    + "server, like http://127.0.0.1:8000, got '" + settings.target() + "'");
        }
        TargetProbe probe = new TargetProbe(baseUrl, settings.apiKey(), PROBE_TIMEOUT);
        List<ServedModel> served = probe.models();
        ServedModel model = served.get(0);
        if (!settings.model().isEmpty()) {
            model = served.stream().filter(candidate -> candidate.id().equals(settings.model())).findFirst()
                    .orElseThrow(() -> new ServesimException(ErrorKind.CONFIG, "--model: " + baseUrl
                            + " does not serve '" + settings.model() + "'; it serves "
                            + String.join(", ", served.stream().map(ServedModel::id).toList())));
        }
        RemoteSession session = new RemoteSession(settings.apiKey(), settings.maxRequests());
        ConfigLoader loader = new ConfigLoader(PluginRegistry.discover(pluginDirectories,
                List.of(new RemotePlugin(session))));
        RunConfiguration loaded = loader.load(settings.workload(), overrides(settings, baseUrl, model));
        for (String sink : SINKS) {
            if (loaded.sinks().stream().noneMatch(bound -> bound.name().equals(sink))) {
                loaded = loaded.withSink(loader.component(ExtensionKind.SINK, sink, Map.of(), "servesim loadgen"));
            }
        }
        return new Loadgen(settings, baseUrl, probe, session, limited(loaded, settings), model);
    }

    /** Loadgen's sections first, so that {@code --set framework.request_timeout=30} and the like apply to them. */
    private static List<String> overrides(LoadgenSettings settings, String baseUrl, ServedModel model) {
        ObjectNode framework = JSON.createObjectNode();
        framework.put("name", RemoteEngineFactory.NAME);
        framework.put("url", baseUrl);
        framework.put("model", model.id());
        framework.put("max_model_len", model.maxModelLen());
        List<String> overrides = new ArrayList<>();
        try {
            // JSON is YAML's flow style, which --set values are read as
            overrides.add("framework=" + JSON.writeValueAsString(framework));
        } catch (JsonProcessingException e) {
            throw new ServesimException(ErrorKind.INVARIANT, "cannot write the remote framework section: " + e, e);
        }
        overrides.add("cluster=null");
        overrides.add("cache={strategy: disabled}");
        overrides.addAll(settings.overrides());
        return overrides;
    }

    private static RunConfiguration limited(RunConfiguration configuration, LoadgenSettings settings) {
        if (settings.maxSeconds().isEmpty()) {
            return configuration;
        }
        RunSettings run = configuration.settings();
        double maxSeconds = settings.maxSeconds().getAsDouble();
        if (run.horizon() != null && run.horizon() <= maxSeconds) {
            return configuration;
        }
        if (run.warmup() >= maxSeconds) {
            throw new ServesimException(ErrorKind.CONFIG, "--max-seconds: must be longer than the configuration's "
                    + "warmup (" + run.warmup() + " s), got " + maxSeconds);
        }
        RunSettings bounded = new RunSettings(run.name(), run.seed(), maxSeconds, run.snapshotInterval(), run.output(),
                run.warmup(), run.slo(), run.pace(), run.maxInFlight(), run.cost());
        return new RunConfiguration(configuration.origin(), bounded, configuration.framework(), configuration.cache(),
                configuration.workload(), configuration.sinks(), configuration.deployment());
    }

    /** The configuration that runs: the workload's, with the remote framework. */
    public RunConfiguration configuration() {
        return configuration;
    }

    /** The model the requests name. */
    public String model() {
        return model.id();
    }

    /**
     * Runs in real time until the workload is done and every request has ended, {@code --max-seconds} are up,
     * {@code --max-requests} requests have ended, or {@code control} is asked to stop (Ctrl-C: what was measured is
     * kept, marked partial); writes the run's outputs, the trace and {@value #METRICS_FILE} into
     * {@code outputDirectory}. Requests still at the server when the run ends are given up (their connections
     * closed) and recorded unfinished.
     */
    public LoadgenResult run(Path outputDirectory, RunControl control) {
        requireNonNull(outputDirectory, "outputDirectory is null");
        requireNonNull(control, "control is null");
        List<String> notes = new ArrayList<>();
        if (settings.warmupRequests() > 0) {
            Warmup.Outcome warmup = warmUp(control);
            if (warmup.failed() > 0) {
                notes.add(warmup.note());
            }
        }
        TraceWriter trace = new TraceWriter(outputDirectory.resolve(settings.traceName()), traceMeta());
        LiveArrivals arrivals = LiveArrivals.endingWhenIdle(1.0);
        session.attach(RunThread.of(arrivals), control, trace);
        TargetProbe.Metrics before = probe.metrics();
        long startNanos = System.nanoTime();
        RunResult result;
        try {
            result = SimulationRunner.serve(configuration, outputDirectory, control, arrivals);
        } catch (RuntimeException | Error e) {
            session.close();
            keepTraceAfterFailure(trace, outputDirectory, e);
            throw e;
        }
        session.close();
        trace.finish();
        TargetProbe.Metrics after = probe.metrics();
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        if (before.text().isPresent() && after.text().isPresent()) {
            MetricsFile.write(outputDirectory.resolve(METRICS_FILE), baseUrl, seconds,
                    MetricsDelta.between(before.text().get(), after.text().get()));
        } else {
            notes.add("no " + METRICS_FILE + ": " + (before.text().isEmpty() ? before.problem() : after.problem()));
        }
        RunResult complete = new RunResult(result.summary(), result.outputDirectory(), files(outputDirectory),
                result.eventsProcessed(), result.curves());
        return new LoadgenResult(complete, trace.records(), notes, session.stoppedAtLimit());
    }

    private Warmup.Outcome warmUp(RunControl control) {
        try {
            RemoteConfig remote = (RemoteConfig) configuration.framework().config();
            return Warmup.run(remote, settings.apiKey(), session.client(remote), settings.warmupRequests(), control);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServesimException(ErrorKind.IO, "--warmup: interrupted", e);
        }
    }

    /** A run that failed mid-way wrote partial results: the completed requests' trace goes with them. */
    private static void keepTraceAfterFailure(TraceWriter trace, Path outputDirectory, Throwable failure) {
        if (trace.records() == 0 || !Files.isDirectory(outputDirectory)) {
            trace.abort();
            return;
        }
        try {
            trace.finish();
        } catch (RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    private ObjectNode traceMeta() {
        ObjectNode meta = JSON.createObjectNode();
        meta.put("model", model.id());
        meta.put("source", "loadgen-client");
        meta.put("block_size", PromptTokens.BLOCK_SIZE);
        meta.put("target", baseUrl);
        if (model.maxModelLen() > 0) {
            meta.put("max_model_len", model.maxModelLen());
        }
        meta.put("run", configuration.settings().name());
        if (settings.warmupRequests() > 0) {
            meta.put("warmup_requests", settings.warmupRequests());
        }
        meta.put("seed", configuration.settings().seed());
        BoundComponent workload = configuration.workload();
        meta.put("pattern", workload.name());
        meta.set("workload", configuration.resolvedTree().get(ExtensionKind.WORKLOAD.section()));
        return meta;
    }

    private static List<String> files(Path directory) {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(Files::isRegularFile).map(path -> path.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new ServesimException(ErrorKind.IO, "cannot list " + directory + ": " + e.getMessage(), e);
        }
    }
}
