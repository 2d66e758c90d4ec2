package dev.servesim.engine.sglang;

import dev.servesim.testing.conformance.ServingEngineConformance;

/**
 * The sglang engine passes the kit third-party engines are checked with: every request ends exactly once, lifecycle
 * events come in order, and the same seed gives the same results, on one replica and on two.
 */
class SglangConformanceTest extends ServingEngineConformance {

    @Override
    protected String frameworkSection() {
        return "{name: sglang, model: llama-3.1-8b, hardware: H100-SXM-80GB, context_length: 1024,"
                + " step_time: roofline}";
    }
}
