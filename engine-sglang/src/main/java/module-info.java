/**
 * Framework plugin {@code sglang} (in progress, issue 18): an SGLang engine replica. It holds the engine's core data
 * structures (radix cache, schedule policies, admission and retraction, after python/sglang/srt/mem_cache and
 * python/sglang/srt/managers) and exports only its configuration package.
 */
module dev.servesim.engine.sglang {
    requires dev.servesim.api;
    // the model, GPU and step-time types its configuration names (SglangConfig's components)
    requires transitive dev.servesim.engine.common;
    requires com.fasterxml.jackson.databind;

    exports dev.servesim.engine.sglang.config;

    provides dev.servesim.api.ServesimPlugin with dev.servesim.engine.sglang.SglangPlugin;
}
