package dev.servesim.engine.sglang;

import dev.servesim.api.ServesimPlugin;
import dev.servesim.api.engine.ServingEngineFactory;
import java.util.List;

/** The {@code sglang} plugin: one serving-engine factory, {@code sglang}. */
public final class SglangPlugin implements ServesimPlugin {

    @Override
    public String name() {
        return "sglang";
    }

    @Override
    public List<ServingEngineFactory<?>> engineFactories() {
        return List.of(new SglangEngineFactory());
    }
}
