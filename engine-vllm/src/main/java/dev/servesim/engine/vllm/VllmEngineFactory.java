package dev.servesim.engine.vllm;

import dev.servesim.api.engine.EngineContext;
import dev.servesim.api.engine.ServingEngine;
import dev.servesim.api.engine.ServingEngineFactory;
import dev.servesim.engine.vllm.config.VllmConfig;

/** Creates vLLM V1 engine replicas. */
public final class VllmEngineFactory implements ServingEngineFactory<VllmConfig> {

    @Override
    public String name() {
        return "vllm";
    }

    @Override
    public String description() {
        return "vLLM V1 engine (v0.15): chunked-prefill scheduler, paged KV cache with CPU tier, roofline or physics"
                + " step time";
    }

    @Override
    public Class<VllmConfig> configType() {
        return VllmConfig.class;
    }

    @Override
    public ServingEngine create(VllmConfig config, EngineContext context) {
        return new VllmEngine(config, context);
    }
}
