/** Example external plugin: framework {@code fixed-latency}. */
module dev.servesim.examples.fixedlatency {
    requires dev.servesim.api;

    exports dev.servesim.examples.fixedlatency.config;

    provides dev.servesim.api.ServesimPlugin with dev.servesim.examples.fixedlatency.FixedLatencyPlugin;
}
