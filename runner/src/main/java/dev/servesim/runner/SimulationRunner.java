package dev.servesim.runner;

import com.google.inject.CreationException;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.ProvisionException;
import com.google.inject.Stage;
import dev.servesim.api.ErrorKind;
import dev.servesim.api.ServesimException;
import java.util.Optional;
import dev.servesim.runner.simulation.ReportModule;
import dev.servesim.runner.simulation.RunExecution;
import dev.servesim.runner.simulation.RunModule;
import dev.servesim.runner.simulation.SimulationModule;
import java.nio.file.Path;

/**
 * Runs one configuration. Each run gets its own injector and object graph, so runs can share a JVM (and, later, run
 * in parallel).
 */
public final class SimulationRunner {

    private SimulationRunner() {}

    /**
     * Runs {@code configuration}, writing its outputs into {@code outputDirectory} (created if missing).
     *
     * @param control lets another thread stop the run early (or end the hold after it, see
     *     {@link RunControl#holdAfterRun})
     */
    public static RunResult run(RunConfiguration configuration, Path outputDirectory, RunControl control) {
        RunExecution execution;
        try {
            Injector injector = Guice.createInjector(Stage.PRODUCTION,
                    new RunModule(configuration, outputDirectory, control),
                    new SimulationModule(),
                    new ReportModule());
            execution = injector.getInstance(RunExecution.class);
        } catch (CreationException | ProvisionException e) {
            // a plugin refused its configuration while the run was assembled: report the plugin's own message
            java.util.Collection<com.google.inject.spi.Message> messages = e instanceof CreationException creation
                    ? creation.getErrorMessages() : ((ProvisionException) e).getErrorMessages();
            for (com.google.inject.spi.Message message : messages) {
                Optional<ServesimException> cause = servesimCause(message.getCause());
                if (cause.isPresent()) {
                    throw cause.get();
                }
            }
            throw servesimCause(e).orElseThrow(() -> new ServesimException(ErrorKind.PLUGIN,
                    "cannot assemble the run: " + e.getMessage(), e));
        }
        control.attach(execution.simulation());
        try {
            RunResult result = execution.run();
            control.awaitStopIfHolding(result);
            return result;
        } finally {
            execution.closeSinks();
        }
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
