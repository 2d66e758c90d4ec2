/** Framework plugin {@code vllm}: a vLLM V1 engine replica. */
module dev.servesim.engine.vllm {
    requires dev.servesim.api;
    requires com.fasterxml.jackson.databind;
    requires com.fasterxml.jackson.dataformat.yaml;

    exports dev.servesim.engine.vllm.config;

    provides dev.servesim.api.ServesimPlugin with dev.servesim.engine.vllm.VllmPlugin;
}
