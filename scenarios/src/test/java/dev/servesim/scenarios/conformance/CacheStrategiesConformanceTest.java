package dev.servesim.scenarios.conformance;

import dev.servesim.testing.conformance.KvCacheStrategyConformance;
import org.junit.jupiter.api.Nested;

/** Every built-in cache strategy passes the kit third-party strategies are checked with. */
class CacheStrategiesConformanceTest {

    @Nested
    class BlockHash extends KvCacheStrategyConformance {
        @Override
        protected String cacheSection() {
            return "{strategy: block-hash}";
        }
    }

    @Nested
    class Radix extends KvCacheStrategyConformance {
        @Override
        protected String cacheSection() {
            return "{strategy: radix}";
        }
    }

    @Nested
    class Session extends KvCacheStrategyConformance {
        @Override
        protected String cacheSection() {
            return "{strategy: session}";
        }
    }

    @Nested
    class SessionOwnContextOnly extends KvCacheStrategyConformance {
        @Override
        protected String cacheSection() {
            return "{strategy: session, cross_session_hits: false}";
        }
    }

    @Nested
    class Disabled extends KvCacheStrategyConformance {
        @Override
        protected String cacheSection() {
            return "{strategy: disabled}";
        }
    }
}
