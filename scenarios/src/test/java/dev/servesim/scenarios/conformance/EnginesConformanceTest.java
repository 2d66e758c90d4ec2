package dev.servesim.scenarios.conformance;

import dev.servesim.testing.conformance.ServingEngineConformance;
import org.junit.jupiter.api.Nested;

/** The vLLM engine passes the kit third-party engines are checked with, with and without async scheduling. */
class EnginesConformanceTest {

    @Nested
    class Vllm extends ServingEngineConformance {
        @Override
        protected String frameworkSection() {
            return "{name: vllm, model: llama-3.1-8b, hardware: H100-SXM-80GB, max_model_len: 1024}";
        }
    }

    @Nested
    class VllmSynchronousWithASmallPool extends ServingEngineConformance {
        @Override
        protected String frameworkSection() {
            return "{name: vllm, model: llama-3.1-8b, hardware: H100-SXM-80GB, max_model_len: 1024, "
                    + "async_scheduling: false, num_gpu_blocks: 80, max_num_batched_tokens: 128}";
        }
    }
}
