/**
 * The servesim service-provider API. Plugins depend on this module only.
 *
 * <p>A plugin jar provides exactly one {@link dev.servesim.api.ServesimPlugin}; the runner finds it with
 * {@link java.util.ServiceLoader} and registers its factories by name.
 */
module dev.servesim.api {
    exports dev.servesim.api;
    exports dev.servesim.api.sim;
    exports dev.servesim.api.request;
    exports dev.servesim.api.engine;
    exports dev.servesim.api.cache;
    exports dev.servesim.api.workload;
    exports dev.servesim.api.metrics;
    exports dev.servesim.api.router;
}
