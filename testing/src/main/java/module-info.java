/** Fixtures for plugin tests (test scope only). */
module dev.servesim.testing {
    requires transitive dev.servesim.api;
    requires transitive dev.servesim.core;

    exports dev.servesim.testing;

    uses dev.servesim.api.ServesimPlugin;
}
