package dev.servesim.engine.vllm;

import dev.servesim.api.engine.EngineContext;
import dev.servesim.api.engine.ServingEngine;
import dev.servesim.api.engine.ServingEngineFactory;
import dev.servesim.engine.vllm.config.VllmConfig;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/** Creates vLLM V1 engine replicas. */
public final class VllmEngineFactory implements ServingEngineFactory<VllmConfig> {

    /** Most configurations remembered: both forms of each (as bound and as resolved) count. */
    static final int MAX_SETUPS = 128;

    /*
     * Resolving a configuration reads the files it names (a model's config.json, a GPU description, a coefficients
     * file), so it happens once per distinct configuration, not once per replica: the runner resolves each section
     * once, and every replica of a run, every group with the same settings and every run of a compare then find the
     * setup here. Keys are the configurations themselves (records compare by value), as bound and as resolved: equal
     * configurations name the same files, which do not change while a command runs. This factory lives as long as
     * the plugin registry and may serve several runs at once (compare, fidelity), so the map is guarded by its own
     * lock and bounded, least recently used out; a configuration pushed out is resolved again (time, not results).
     * Files are read outside the lock; two runs resolving the same configuration at once both get equal setups.
     */
    private final Map<VllmConfig, VllmSetup> setups = new LinkedHashMap<>(16, 0.75f, true);

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

    /** {@code config} completed for its model and GPU, reading the files it names (once per configuration). */
    @Override
    public VllmConfig resolve(VllmConfig config) {
        return setup(config).config();
    }

    @Override
    public ServingEngine create(VllmConfig config, EngineContext context) {
        return new VllmEngine(setup(config), context);
    }

    /** The setup of {@code config}, bound or resolved. */
    VllmSetup setup(VllmConfig config) {
        synchronized (setups) {
            VllmSetup known = setups.get(config);
            if (known != null) {
                return known;
            }
        }
        VllmSetup setup = VllmSetup.of(config);
        synchronized (setups) {
            setups.put(config, setup);
            setups.put(setup.config(), setup);
            for (Iterator<VllmConfig> eldest = setups.keySet().iterator(); setups.size() > MAX_SETUPS; ) {
                eldest.next();
                eldest.remove();
            }
        }
        return setup;
    }
}
