package {{package}};

import dev.servesim.testing.conformance.KvCacheStrategyConformance;

/**
 * servesim-testing's conformance kit runs the plugin through the real runner (configuration binding included), as the
 * KV cache strategy of the real vLLM engine. It checks every call against the API contract as it happens, that no
 * request is lost, that events come in order, and that a seed gives the same results twice.
 */
class {{prefix}}ConformanceTest extends KvCacheStrategyConformance {

    /** The section as {@code {{name}}.yaml} writes it; the runner binds it to the configuration record. */
    @Override
    protected String cacheSection() {
        return "{strategy: {{name}}}";
    }
}
