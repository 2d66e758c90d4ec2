/** KV cache strategy plugin: {@code disabled}, {@code session}, {@code block-hash} and {@code radix}. */
module dev.servesim.cache {
    requires dev.servesim.api;
    requires it.unimi.dsi.fastutil.core;

    exports dev.servesim.cache.config;

    provides dev.servesim.api.ServesimPlugin with dev.servesim.cache.CachePlugin;
}
