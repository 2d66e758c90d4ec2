package dev.servesim.scenarios.conformance;

import dev.servesim.testing.conformance.RouterConformance;
import org.junit.jupiter.api.Nested;

/** Every built-in router passes the kit third-party routers are checked with. */
class RoutersConformanceTest {

    @Nested
    class RoundRobin extends RouterConformance {
        @Override
        protected String routerSection() {
            return "{name: round-robin}";
        }
    }

    @Nested
    class Random extends RouterConformance {
        @Override
        protected String routerSection() {
            return "{name: random}";
        }
    }

    @Nested
    class LeastLoaded extends RouterConformance {
        @Override
        protected String routerSection() {
            return "{name: least-loaded}";
        }
    }

    @Nested
    class LeastKv extends RouterConformance {
        @Override
        protected String routerSection() {
            return "{name: least-kv}";
        }
    }

    @Nested
    class SessionAffinity extends RouterConformance {
        @Override
        protected String routerSection() {
            return "{name: session-affinity}";
        }
    }

    @Nested
    class PrefixAware extends RouterConformance {
        @Override
        protected String routerSection() {
            return "{name: prefix-aware}";
        }
    }
}
