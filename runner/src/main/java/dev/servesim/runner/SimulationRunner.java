package dev.servesim.runner;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Stage;
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
        Injector injector = Guice.createInjector(Stage.PRODUCTION,
                new RunModule(configuration, outputDirectory, control),
                new SimulationModule(),
                new ReportModule());
        RunExecution execution = injector.getInstance(RunExecution.class);
        control.attach(execution.simulation());
        try {
            RunResult result = execution.run();
            control.awaitStopIfHolding(result);
            return result;
        } finally {
            execution.closeSinks();
        }
    }
}
