package dev.servesim.runner;

import static java.util.Objects.requireNonNull;

import com.google.inject.CreationException;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.ProvisionException;
import com.google.inject.Stage;
import com.google.inject.spi.Message;
import dev.servesim.api.ErrorKind;
import dev.servesim.api.ServesimException;
import dev.servesim.api.engine.EngineInfo;
import dev.servesim.runner.simulation.LiveInput;
import dev.servesim.runner.simulation.ReportModule;
import dev.servesim.runner.simulation.RunExecution;
import dev.servesim.runner.simulation.RunModule;
import dev.servesim.runner.simulation.SimulationModule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Runs one configuration. Each run gets its own injector and object graph, so runs can share a JVM (and, later, run
 * in parallel).
 */
public final class SimulationRunner {

    private SimulationRunner() {}

    /**
     * Runs {@code configuration}, writing its outputs into {@code outputDirectory} (created if missing). A run that
     * fails before its first event leaves no output (a folder it created is removed again).
     *
     * @param control lets another thread stop the run early (or end the hold after it, see
     *     {@link RunControl#holdAfterRun})
     */
    public static RunResult run(RunConfiguration configuration, Path outputDirectory, RunControl control) {
        return run(configuration, outputDirectory, control, Optional.empty());
    }

    /**
     * Runs {@code configuration} in real time with the requests handed in through {@code arrivals}
     * ({@code servesim serve}), alongside its workload's if it has one, and writes the same outputs as {@link #run}.
     * Simulated time follows the wall clock ({@link LiveArrivals} gives the scale; {@code pace} is ignored). Returns
     * once the arrivals are closed and the requests in flight have ended or their drain time is up; a stop requested
     * through {@code control} ends it at once, with what is in flight unfinished.
     */
    public static RunResult serve(RunConfiguration configuration, Path outputDirectory, RunControl control,
            LiveArrivals arrivals) {
        requireNonNull(arrivals, "arrivals is null");
        return run(configuration, outputDirectory, control, Optional.of(new LiveInput() {
            @Override
            public double timeScale() {
                return arrivals.timeScale();
            }

            @Override
            public boolean isOpen() {
                return arrivals.isOpen();
            }

            @Override
            public double drainSeconds() {
                return arrivals.drainSeconds();
            }

            @Override
            public boolean endsWhenIdle() {
                return arrivals.endsWhenIdle();
            }

            @Override
            public int outstanding() {
                return arrivals.outstanding();
            }

            @Override
            public Item poll(long nanos) throws InterruptedException {
                return arrivals.poll(nanos);
            }

            @Override
            public void ended() {
                arrivals.ended();
            }
        }));
    }

    private static RunResult run(RunConfiguration configuration, Path outputDirectory, RunControl control,
            Optional<LiveInput> live) {
        boolean existed = Files.exists(outputDirectory);
        RunExecution execution;
        try {
            execution = assemble(configuration, outputDirectory, control, false, live);
        } catch (RuntimeException e) {
            removeIfCreatedAndEmpty(outputDirectory, existed);
            throw e;
        }
        control.attach(execution.simulation());
        try {
            RunResult result = execution.run();
            control.awaitStopIfHolding(result);
            return result;
        } finally {
            execution.close();
            if (execution.simulation().eventsProcessed() == 0) {
                removeIfCreatedAndEmpty(outputDirectory, existed);
            }
        }
    }

    /**
     * Assembles {@code configuration} as {@link #run} would, without running it or writing anything: every
     * component is created (the engine checks that the model fits, a trace is opened and its first lines read), and
     * every sink is checked instead of created. What {@code run} would refuse before its first event, this refuses.
     */
    public static void check(RunConfiguration configuration, Path outputDirectory) {
        assemble(configuration, outputDirectory, new RunControl(), true, Optional.empty()).close();
    }

    /**
     * Assembles {@code configuration} as {@link #check} does and returns what each replica's engine reports of itself
     * (memory, KV capacity, limits), in replica order: what a planner knows of a deployment before simulating it.
     *
     * @throws ServesimException as {@link #check}, e.g. when the model's weights do not fit the GPUs
     */
    public static List<EngineInfo> engines(RunConfiguration configuration, Path outputDirectory) {
        RunExecution execution = assemble(configuration, outputDirectory, new RunControl(), true, Optional.empty());
        try {
            return List.copyOf(execution.engineInfos());
        } finally {
            execution.close();
        }
    }

    private static RunExecution assemble(RunConfiguration configuration, Path outputDirectory, RunControl control,
            boolean checkOnly, Optional<LiveInput> live) {
        try {
            Injector injector = Guice.createInjector(Stage.PRODUCTION,
                    new RunModule(configuration, outputDirectory, control, checkOnly, live),
                    new SimulationModule(),
                    new ReportModule());
            return injector.getInstance(RunExecution.class);
        } catch (CreationException | ProvisionException e) {
            // a plugin refused its configuration while the run was assembled: report the plugin's own message
            Collection<Message> messages = e instanceof CreationException creation
                    ? creation.getErrorMessages() : ((ProvisionException) e).getErrorMessages();
            for (Message message : messages) {
                Optional<ServesimException> cause = servesimCause(message.getCause());
                if (cause.isPresent()) {
                    throw cause.get();
                }
            }
            OutOfMemoryError memory = outOfMemoryCause(e);
            if (memory != null) {
                throw memory;
            }
            throw servesimCause(e).orElseThrow(() -> new ServesimException(ErrorKind.PLUGIN,
                    "cannot assemble the run: " + e.getMessage(), e));
        }
    }

    private static void removeIfCreatedAndEmpty(Path directory, boolean existed) {
        if (existed) {
            return;
        }
        try (Stream<Path> files = Files.list(directory)) {
            if (files.findAny().isEmpty()) {
                Files.delete(directory);
            }
        } catch (IOException e) {
            // not created, or not empty: nothing to remove
        }
    }

    private static OutOfMemoryError outOfMemoryCause(Throwable error) {
        for (Throwable cause = error; cause != null && cause.getCause() != cause; cause = cause.getCause()) {
            if (cause instanceof OutOfMemoryError memory) {
                return memory;
            }
        }
        return null;
    }

    private static Optional<ServesimException> servesimCause(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof ServesimException servesim) {
                return Optional.of(servesim);
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return Optional.empty();
    }
}
