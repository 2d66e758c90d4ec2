/** The discrete-event kernel. Knows nothing of requests, GPUs or blocks. */
module dev.servesim.core {
    requires transitive dev.servesim.api;

    exports dev.servesim.core;
}
