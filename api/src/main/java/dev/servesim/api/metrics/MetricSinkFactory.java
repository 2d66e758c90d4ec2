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

    /**
     * Checks what {@link #create} or the sink's start would refuse, without side effects: no port bound, no file or
     * folder written. {@code servesim validate} calls it instead of {@code create}, so that a configuration it calls
     * valid does not fail when the run starts. Throws a {@code ServesimException} of kind {@code CONFIG} naming the
     * key, e.g. a host that does not resolve or an output file in a folder that cannot be written. The context's
     * output folder may not exist yet. Default: nothing to check beyond the configuration record (since API 0.3).
     */
    default void check(C config, SinkContext context) {}
}
