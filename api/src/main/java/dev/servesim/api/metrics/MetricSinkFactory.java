package dev.servesim.api.metrics;

import dev.servesim.api.ExtensionFactory;

/**
 * Creates metric sinks, e.g. {@code json}, {@code csv}, {@code prometheus}. Listed under {@code sinks}.
 *
 * @param <C> configuration record
 */
public interface MetricSinkFactory<C extends Record> extends ExtensionFactory<C> {

    /** Creates a sink for one run. */
    MetricSink create(C config, SinkContext context);
}
