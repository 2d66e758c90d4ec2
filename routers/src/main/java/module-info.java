/**
 * Router plugin: {@code round-robin}, {@code random}, {@code weighted-random}, {@code least-loaded},
 * {@code least-kv}, {@code session-affinity} and {@code prefix-aware}.
 */
module dev.servesim.routers {
    requires dev.servesim.api;
    requires it.unimi.dsi.fastutil.core;

    exports dev.servesim.routers.config;

    provides dev.servesim.api.ServesimPlugin with dev.servesim.routers.RoutersPlugin;
}
