package dev.servesim.runner.simulation;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.servesim.api.sim.RandomStreams;
import dev.servesim.core.SeededRandomStreams;
import dev.servesim.core.Simulation;
import dev.servesim.runner.RunSettings;

/** The kernel, random streams, engines, workload and request tracking of one run. */
public final class SimulationModule extends AbstractModule {

    @Override
    protected void configure() {
        bind(PeriodicTicks.class).in(Singleton.class);
        bind(RunLimits.class).in(Singleton.class);
        bind(RequestTracker.class).in(Singleton.class);
        bind(Deployment.class).in(Singleton.class);
        bind(DeploymentFigures.class).in(Singleton.class);
        bind(WorkloadDriver.class).in(Singleton.class);
        bind(RunExecution.class).in(Singleton.class);
    }

    @Provides
    @Singleton
    Simulation simulation() {
        return new Simulation();
    }

    @Provides
    @Singleton
    RandomStreams randomStreams(RunSettings settings) {
        return new SeededRandomStreams(settings.seed());
    }
}
