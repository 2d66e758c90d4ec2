package {{package}};

import dev.servesim.testing.conformance.WorkloadSourceConformance;

/**
 * servesim-testing's conformance kit runs the plugin through the real runner (configuration binding included), as the
 * workload of runs on the real vLLM engine. It checks every call against the API contract as it happens, that no
 * request is lost, that events come in order, and that a seed gives the same results twice.
 */
class {{prefix}}ConformanceTest extends WorkloadSourceConformance {

    /** The section as {@code {{name}}.yaml} writes it; the runner binds it to the configuration record. */
    @Override
    protected String workloadSection() {
        return "{source: {{name}}}";
    }
}
