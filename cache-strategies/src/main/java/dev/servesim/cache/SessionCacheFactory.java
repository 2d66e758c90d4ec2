package dev.servesim.cache;

import dev.servesim.api.cache.CacheContext;
import dev.servesim.api.cache.KvCacheStrategy;
import dev.servesim.api.cache.KvCacheStrategyFactory;
import dev.servesim.cache.config.SessionCacheConfig;

/** Factory of the {@code session} strategy. */
public final class SessionCacheFactory implements KvCacheStrategyFactory<SessionCacheConfig> {

    @Override
    public String name() {
        return "session";
    }

    @Override
    public String description() {
        return "Conversational reuse keyed by session; whole least recently used session evicted first";
    }

    @Override
    public Class<SessionCacheConfig> configType() {
        return SessionCacheConfig.class;
    }

    @Override
    public KvCacheStrategy create(SessionCacheConfig config, CacheContext context) {
        return new SessionCache(context.blocks(), context.blockSizeTokens(), config.crossSessionHits());
    }
}
