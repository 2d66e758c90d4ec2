package dev.servesim.runner.simulation;

import static java.util.Objects.requireNonNull;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import dev.servesim.runner.RunConfiguration;
import dev.servesim.runner.RunControl;
import dev.servesim.runner.RunSettings;
import java.nio.file.Path;
import java.util.Optional;

/** Binds what a run is given: its configuration, output folder and control handle. */
public final class RunModule extends AbstractModule {

    private final RunConfiguration configuration;
    private final Path outputDirectory;
    private final RunControl control;
    private final boolean checkOnly;
    private final Optional<LiveInput> live;

    public RunModule(RunConfiguration configuration, Path outputDirectory, RunControl control) {
        this(configuration, outputDirectory, control, false);
    }

    public RunModule(RunConfiguration configuration, Path outputDirectory, RunControl control, boolean checkOnly) {
        this(configuration, outputDirectory, control, checkOnly, Optional.empty());
    }

    /**
     * @param checkOnly assemble the run only to check it: sinks are checked instead of created, nothing is written
     * @param live the door of live requests ({@code servesim serve}), which then also paces the run
     */
    public RunModule(RunConfiguration configuration, Path outputDirectory, RunControl control, boolean checkOnly,
            Optional<LiveInput> live) {
        this.checkOnly = checkOnly;
        this.live = requireNonNull(live, "live is null");
        this.configuration = requireNonNull(configuration, "configuration is null");
        this.outputDirectory = requireNonNull(outputDirectory, "outputDirectory is null");
        this.control = requireNonNull(control, "control is null");
    }

    @Override
    protected void configure() {
        binder().requireExplicitBindings();
        binder().disableCircularProxies();
        bind(RunConfiguration.class).toInstance(configuration);
        bind(RunControl.class).toInstance(control);
        bind(RunOutput.class).toInstance(new RunOutput(outputDirectory, checkOnly));
        bind(LiveMode.class).toInstance(new LiveMode(live));
    }

    @Provides
    @Singleton
    RunSettings settings() {
        return configuration.settings();
    }
}
