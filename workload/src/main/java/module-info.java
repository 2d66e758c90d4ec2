/** Workload plugin: sources of requests. */
module dev.servesim.workload {
    requires dev.servesim.api;

    exports dev.servesim.workload.config;

    provides dev.servesim.api.ServesimPlugin with dev.servesim.workload.WorkloadPlugin;
}
