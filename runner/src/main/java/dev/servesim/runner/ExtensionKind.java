package dev.servesim.runner;

import dev.servesim.api.ExtensionFactory;
import dev.servesim.api.ServesimPlugin;
import java.util.List;
import java.util.function.Function;

/** The extension points, with the configuration section and selector key each is chosen by. */
public enum ExtensionKind {
    FRAMEWORK("framework", "frameworks", "framework", "name", ServesimPlugin::engineFactories),
    CACHE("cache strategy", "cache strategies", "cache", "strategy", ServesimPlugin::kvCacheStrategyFactories),
    WORKLOAD("workload source", "workload sources", "workload", "source", ServesimPlugin::workloadSourceFactories),
    SINK("metric sink", "metric sinks", "sinks", "name", ServesimPlugin::metricSinkFactories),
    ROUTER("router", "routers", "cluster.router", "name", ServesimPlugin::routerFactories);

    private final String label;
    private final String plural;
    private final String section;
    private final String selector;
    private final Function<ServesimPlugin, List<? extends ExtensionFactory<?>>> factories;

    ExtensionKind(String label, String plural, String section, String selector,
            Function<ServesimPlugin, List<? extends ExtensionFactory<?>>> factories) {
        this.label = label;
        this.plural = plural;
        this.section = section;
        this.selector = selector;
        this.factories = factories;
    }

    /** Human name, e.g. {@code cache strategy}. */
    public String label() {
        return label;
    }

    /** Plural human name, e.g. {@code cache strategies}. */
    public String plural() {
        return plural;
    }

    /** Configuration path of the section, e.g. {@code cache}; nested sections are dotted: {@code cluster.router}. */
    public String section() {
        return section;
    }

    /** Key inside the section that names the factory, e.g. {@code strategy}. */
    public String selector() {
        return selector;
    }

    List<? extends ExtensionFactory<?>> factoriesOf(ServesimPlugin plugin) {
        List<? extends ExtensionFactory<?>> list = factories.apply(plugin);
        return list == null ? List.of() : list;
    }
}
