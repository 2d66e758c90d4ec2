package dev.servesim.engine.sglang;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servesim.testing.conformance.ServingEngineConformance;
import org.junit.jupiter.api.Test;

/**
 * The conformance kit on a pool of a few thousand tokens with a low schedule_conservativeness, so that the radix tree
 * evicts under the kit's monitors. The kit's workload is too light to make decoding retract; retraction is checked
 * by {@link SglangRetractionTest} and {@link SglangDeterminismTest}.
 */
class SglangSmallPoolConformanceTest extends ServingEngineConformance {

    @Override
    protected String frameworkSection() {
        return "{name: sglang, model: llama-3.1-8b, hardware: H100-SXM-80GB, context_length: 1024,"
                + " mem_fraction_static: 0.1935, schedule_conservativeness: 0.1, step_time: roofline}";
    }

    @Test
    void thePoolIsSmall() {
        SglangSetup setup = new SglangEngineFactory()
                .setup(SglangEngineGoldenTest.config(6, 0.1935, 11, 0.1, 16, 1024));
        assertThat(setup.poolTokens()).isBetween(1500, 6000);
    }
}
