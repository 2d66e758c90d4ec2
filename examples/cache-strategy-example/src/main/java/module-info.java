/** Example external plugin: KV cache strategy {@code fifo-prefix}. */
module dev.servesim.examples.fifoprefix {
    requires dev.servesim.api;

    exports dev.servesim.examples.fifoprefix.config;

    provides dev.servesim.api.ServesimPlugin with dev.servesim.examples.fifoprefix.FifoPrefixPlugin;
}
