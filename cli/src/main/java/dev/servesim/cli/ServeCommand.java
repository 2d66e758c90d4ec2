package dev.servesim.cli;

import dev.servesim.api.ErrorKind;
import dev.servesim.api.ServesimException;
import dev.servesim.runner.RunConfiguration;
import dev.servesim.runner.RunResult;
import dev.servesim.serve.ServeOptions;
import dev.servesim.serve.ServeSession;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code servesim serve}. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Serve an OpenAI-compatible API (a GPU-free vLLM stand-in) answered by the simulated engine "
                + "of CONFIG, in real time. Its workload section is optional (traffic running alongside).",
                "Ctrl-C (or SIGTERM) stops taking requests, lets those in flight finish (--drain), writes the "
                        + "results as run does, and exits 0. See docs/serve.md."})
final class ServeCommand implements Callable<Integer> {

    // after the drain, what the shutdown hook waits for the outputs and the summary before the JVM ends anyway
    private static final long WRITE_SECONDS = 120;

    @Parameters(index = "0", paramLabel = "CONFIG", description = "Run configuration (.yaml, .yml or .json).")
    Path config;

    @Option(names = "--host", paramLabel = "HOST", description = "Address to listen on. Default: 127.0.0.1 "
            + "(this machine only); 0.0.0.0 listens on every interface.")
    String host = ServeOptions.DEFAULT_HOST;

    @Option(names = "--port", paramLabel = "PORT", description = "TCP port. Default: 0, a free port (printed, and "
            + "written to --port-file). vLLM's own default is 8000. With a cluster of N replicas, each replica also "
            + "listens on a port of its own: the N ports after PORT, or free ones if PORT is 0.")
    int port;

    @Option(names = "--time-scale", paramLabel = "N", description = "Simulated seconds per wall-clock second: 1 "
            + "(default) is real time, 10 makes the engine answer ten times faster than the real one would.")
    double timeScale = 1;

    @Option(names = "--served-model-name", paramLabel = "NAME", description = "The model name clients send. "
            + "Default: the configuration's framework.model.")
    String servedModelName;

    @Option(names = "--port-file", paramLabel = "FILE", description = "Write the port listened on to FILE once "
            + "serving (for scripts and CI).")
    Path portFile;

    @Option(names = "--replica-ports-file", paramLabel = "FILE", description = "Write each replica's own port to "
            + "FILE once serving, one per line in replica order (with one replica: the port above).")
    Path replicaPortsFile;

    @Option(names = "--out", paramLabel = "DIR", description = "Output folder. Default: the config's 'output', "
            + "else runs/<name>.")
    Path out;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override a configuration key (repeatable).")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--max-concurrent-requests", paramLabel = "N", description = "Requests in flight at most; more "
            + "are answered 429. Default: " + ServeOptions.DEFAULT_MAX_CONCURRENT_REQUESTS + ".")
    int maxConcurrentRequests = ServeOptions.DEFAULT_MAX_CONCURRENT_REQUESTS;

    @Option(names = "--request-timeout", paramLabel = "SECONDS", description = "Wall-clock time a request may take; "
            + "then it is answered 504. Default: " + ServeOptions.DEFAULT_REQUEST_TIMEOUT_SECONDS + ".")
    long requestTimeoutSeconds = ServeOptions.DEFAULT_REQUEST_TIMEOUT_SECONDS;

    @Option(names = "--drain", paramLabel = "SECONDS", description = "After Ctrl-C, wall-clock time the requests in "
            + "flight get to finish; then they end unfinished. Default: 30.")
    double drainSeconds = ServeOptions.DEFAULT_DRAIN_SECONDS;

    @Option(names = "--quiet", description = "Print nothing but the serving line and errors (no summary).")
    boolean quiet;

    @Mixin
    CommonOptions common;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        ServeOptions options = new ServeOptions(host, port, timeScale, servedModelName, maxConcurrentRequests,
                ServeOptions.DEFAULT_MAX_BODY_BYTES, requestTimeoutSeconds, drainSeconds);
        RunConfiguration configuration = ServeSession.configuration(common.registry(), config, overrides,
                servedModelName);
        Path outputDirectory = out != null ? out : configuration.settings().outputDirectory();
        if (replicaPortsFile != null && configuration.cluster().disaggregated()) {
            throw ServesimException.config("--replica-ports-file", "a disaggregated cluster has no ports of its "
                    + "replicas: its requests enter through the router, as through vLLM's P/D proxy (docs/serve.md)");
        }
        PrintWriter stdout = spec.commandLine().getOut();
        ServeSession session = ServeSession.start(configuration, outputDirectory, options);
        CountDownLatch printed = new CountDownLatch(1);
        AtomicBoolean succeeded = new AtomicBoolean();
        Thread onSignal = new Thread(() -> {
            session.beginShutdown();
            try {
                // the JVM ends when this hook returns: wait until the outputs are written and the summary printed
                if (printed.await((long) Math.ceil(drainSeconds) + WRITE_SECONDS, TimeUnit.SECONDS)
                        && succeeded.get()) {
                    // a graceful shutdown is a success, whichever signal asked for it (not 130 or 143)
                    System.out.flush();
                    System.err.flush();
                    Runtime.getRuntime().halt(0);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "servesim-shutdown");
        Runtime.getRuntime().addShutdownHook(onSignal);
        try {
            if (portFile != null) {
                write(portFile, session.port() + "\n", "the port");
            }
            if (replicaPortsFile != null) {
                StringBuilder ports = new StringBuilder();
                session.replicaPortNumbers().forEach(replicaPort -> ports.append(replicaPort).append('\n'));
                write(replicaPortsFile, ports.toString(), "the replicas' ports");
            }
            stdout.printf(Locale.ROOT, "servesim: serving %s at %s (time scale %s, metrics at %s)%n",
                    session.modelName(), session.apiUrl(), timeScale, session.apiUrl().resolve("/metrics"));
            printReplicas(stdout, configuration, session);
            stdout.printf(Locale.ROOT, "servesim: Ctrl-C or SIGTERM stops: requests in flight get %s s to finish, "
                    + "then the results are written to %s%n", drainSeconds, outputDirectory);
            stdout.flush();
            RunResult result;
            try {
                result = session.awaitResult();
            } finally {
                session.close();
            }
            if (!quiet) {
                SummaryPrinter.print(stdout, configuration, result);
            }
            stdout.flush();
            succeeded.set(true);
            return 0;
        } finally {
            spec.commandLine().getErr().flush();
            printed.countDown();
        }
    }

    /** The cluster's router and each replica's own URL, if the cluster has several replicas. */
    private static void printReplicas(PrintWriter stdout, RunConfiguration configuration, ServeSession session) {
        int replicas = configuration.cluster().replicas();
        if (replicas < 2) {
            return;
        }
        String router = configuration.router() == null ? "" : " (" + configuration.router().name() + ")";
        if (configuration.cluster().disaggregated()) {
            stdout.printf(Locale.ROOT, "servesim: %d replicas (disaggregated: prefill and decode) behind the "
                    + "router%s; no replica has a port of its own%n", replicas, router);
            return;
        }
        stdout.printf(Locale.ROOT, "servesim: %d replicas behind the router%s; each also serves on its own port "
                + "(requests pinned to it, its own /metrics):%n", replicas, router);
        List<URI> urls = session.replicaUrls();
        for (int replica = 0; replica < urls.size(); replica++) {
            stdout.printf(Locale.ROOT, "servesim: replica %d at %s%n", replica, urls.get(replica));
        }
    }

    /** Writes {@code content} to {@code file} in one move, so that a reader never sees a partial file. */
    private static void write(Path file, String content, String what) {
        Path absolute = file.toAbsolutePath();
        Path partial = absolute.resolveSibling(absolute.getFileName() + ".partial");
        try {
            Files.writeString(partial, content, StandardCharsets.UTF_8);
            try {
                Files.move(partial, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(partial, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new ServesimException(ErrorKind.IO, "cannot write " + what + " to " + file + ": " + e.getMessage(),
                    e);
        }
    }
}
