package dev.servesim.scenarios.conformance;

import dev.servesim.testing.conformance.MetricSinkConformance;
import org.junit.jupiter.api.Nested;

/** Every built-in sink passes the kit third-party sinks are checked with. */
class SinksConformanceTest {

    @Nested
    class Json extends MetricSinkConformance {
        @Override
        protected String sinkSection() {
            return "{name: json}";
        }
    }

    @Nested
    class Csv extends MetricSinkConformance {
        @Override
        protected String sinkSection() {
            return "{name: csv}";
        }
    }

    @Nested
    class Html extends MetricSinkConformance {
        @Override
        protected String sinkSection() {
            return "{name: html}";
        }
    }

    @Nested
    class Timeline extends MetricSinkConformance {
        @Override
        protected String sinkSection() {
            return "{name: timeline}";
        }
    }

    @Nested
    class TraceDump extends MetricSinkConformance {
        @Override
        protected String sinkSection() {
            return "{name: trace-dump}";
        }
    }
}
