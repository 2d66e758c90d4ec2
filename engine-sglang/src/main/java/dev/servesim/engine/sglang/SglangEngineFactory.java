package dev.servesim.engine.sglang;

import dev.servesim.api.engine.EngineContext;
import dev.servesim.api.engine.ServingEngine;
import dev.servesim.api.engine.ServingEngineFactory;
import dev.servesim.engine.sglang.config.SglangConfig;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/** Creates SGLang engine replicas. */
public final class SglangEngineFactory implements ServingEngineFactory<SglangConfig> {

    /** Most configurations remembered: both forms of each (as bound and as resolved) count. */
    static final int MAX_SETUPS = 128;

    // as VllmEngineFactory: a configuration is resolved (its files read) once, not once per replica; bounded, LRU
    private final Map<SglangConfig, SglangSetup> setups = new LinkedHashMap<>(16, 0.75f, true);

    @Override
    public String name() {
        return "sglang";
    }

    @Override
    public String description() {
        return "SGLang engine: token-level radix prefix cache, prefill-first batches, schedule policies,"
                + " new-token-ratio admission and retraction, overlap loop, roofline or physics step time";
    }

    @Override
    public Class<SglangConfig> configType() {
        return SglangConfig.class;
    }

    /** {@code config} completed for its model, GPU and KV pool, reading the files it names (once per configuration). */
    @Override
    public SglangConfig resolve(SglangConfig config) {
        return setup(config).config();
    }

    @Override
    public ServingEngine create(SglangConfig config, EngineContext context) {
        return new SglangEngine(setup(config), context);
    }

    SglangSetup setup(SglangConfig config) {
        synchronized (setups) {
            SglangSetup known = setups.get(config);
            if (known != null) {
                return known;
            }
        }
        SglangSetup setup = SglangSetup.of(config);
        synchronized (setups) {
            setups.put(config, setup);
            setups.put(setup.config(), setup);
            for (Iterator<SglangConfig> eldest = setups.keySet().iterator(); setups.size() > MAX_SETUPS; ) {
                eldest.next();
                eldest.remove();
            }
        }
        return setup;
    }
}
