/** Framework plugin {@code vllm}: a vLLM V1 engine replica. */
module dev.servesim.engine.vllm {
    requires dev.servesim.api;
    // the model, GPU and step-time types its configuration names (VllmConfig's components)
    requires transitive dev.servesim.engine.common;
    requires com.fasterxml.jackson.databind;

    exports dev.servesim.engine.vllm.config;

    provides dev.servesim.api.ServesimPlugin with dev.servesim.engine.vllm.VllmPlugin;
}
