/**
 * Workload plugin: request sources ({@code poisson}, {@code synthetic}, {@code multiturn}, {@code shared-prefix},
 * {@code trace}) and the {@code trace-dump} metric sink that writes a run's measured trace.
 */
module dev.servesim.workload {
    requires dev.servesim.api;
    requires com.fasterxml.jackson.core;
    requires it.unimi.dsi.fastutil.core;

    exports dev.servesim.workload.config;

    provides dev.servesim.api.ServesimPlugin with dev.servesim.workload.WorkloadPlugin;
}
