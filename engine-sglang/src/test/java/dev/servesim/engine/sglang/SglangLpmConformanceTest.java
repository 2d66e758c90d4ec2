package dev.servesim.engine.sglang;

import dev.servesim.testing.conformance.ServingEngineConformance;

/**
 * The conformance kit with the longest-prefix-match policy, small prefill chunks, pages of 16 tokens and the physics
 * step time.
 */
class SglangLpmConformanceTest extends ServingEngineConformance {

    @Override
    protected String frameworkSection() {
        return "{name: sglang, model: llama-3.1-8b, hardware: H100-SXM-80GB, context_length: 1024,"
                + " schedule_policy: lpm, chunked_prefill_size: 64, max_prefill_tokens: 128, page_size: 16}";
    }
}
