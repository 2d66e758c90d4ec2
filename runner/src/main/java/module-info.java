/**
 * The runner: binds configuration, discovers plugins (built-in on the module path, extra jars each in their own
 * module layer), wires a run with Guice and drives it. Ships the built-in {@code json} and {@code csv} sinks as a
 * plugin of its own.
 */
module dev.servesim.runner {
    requires transitive dev.servesim.api;
    requires dev.servesim.core;
    requires com.google.guice;
    requires jakarta.inject;
    // configuration trees (ObjectNode) are part of the runner's API
    requires transitive com.fasterxml.jackson.databind;
    requires com.fasterxml.jackson.dataformat.yaml;
    requires it.unimi.dsi.fastutil.core;
    requires HdrHistogram;
    requires dev.servesim.report;

    exports dev.servesim.runner;
    exports dev.servesim.runner.sinks.config;

    opens dev.servesim.runner.simulation to com.google.guice;

    uses dev.servesim.api.ServesimPlugin;

    provides dev.servesim.api.ServesimPlugin with dev.servesim.runner.sinks.BuiltinSinksPlugin;
}
