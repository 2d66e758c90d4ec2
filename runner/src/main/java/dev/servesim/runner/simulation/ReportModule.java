package dev.servesim.runner.simulation;

import com.google.inject.AbstractModule;
import com.google.inject.Singleton;

/** Metric sinks and the run summary. */
public final class ReportModule extends AbstractModule {

    @Override
    protected void configure() {
        bind(SinkSet.class).in(Singleton.class);
        bind(SummaryCollector.class).in(Singleton.class);
    }
}
