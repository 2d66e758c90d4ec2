/**
 * Framework plugin {@code sglang} (in progress, issue 18): an SGLang engine replica. So far it holds the engine's
 * core data structures (radix cache, schedule policies, admission and retraction); the engine and plugin classes
 * come in a later step, so the module exports nothing yet.
 */
module dev.servesim.engine.sglang {
    requires dev.servesim.api;
}
