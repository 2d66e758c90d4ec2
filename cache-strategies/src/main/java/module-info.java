/** KV cache strategy plugin. */
module dev.servesim.cache {
    requires dev.servesim.api;

    exports dev.servesim.cache.config;

    provides dev.servesim.api.ServesimPlugin with dev.servesim.cache.CachePlugin;
}
