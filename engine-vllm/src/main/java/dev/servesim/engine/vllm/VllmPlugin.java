package dev.servesim.engine.vllm;

import dev.servesim.api.ServesimPlugin;
import dev.servesim.api.engine.ServingEngineFactory;
import java.util.List;

/** The {@code vllm} plugin: one serving-engine factory, {@code vllm}. */
public final class VllmPlugin implements ServesimPlugin {

    @Override
    public String name() {
        return "vllm";
    }

    @Override
    public List<ServingEngineFactory<?>> engineFactories() {
        return List.of(new VllmEngineFactory());
    }
}
