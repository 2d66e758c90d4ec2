/**
 * Framework plugin {@code sglang} (issue 18, first working engine): an SGLang engine replica - a token-granular radix
 * prefix cache (python/sglang/srt/mem_cache/radix_cache.py), the schedule policies and the prefill adder
 * (python/sglang/srt/managers/schedule_policy.py), new-token-ratio admission and decode retraction, and the
 * scheduler's event loop (python/sglang/srt/managers/scheduler.py), timed by engine-common's roofline or physics step
 * time. It exports only its configuration package, which the runner binds.
 */
module dev.servesim.engine.sglang {
    requires dev.servesim.api;
    // the model, GPU and step-time types its configuration names (SglangConfig's components)
    requires transitive dev.servesim.engine.common;
    requires com.fasterxml.jackson.databind;

    exports dev.servesim.engine.sglang.config;

    provides dev.servesim.api.ServesimPlugin with dev.servesim.engine.sglang.SglangPlugin;
}
