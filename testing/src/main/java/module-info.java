/** Fixtures for plugin tests (test scope only). */
module dev.servesim.testing {
    requires transitive dev.servesim.api;
    requires transitive dev.servesim.core;
    requires org.junit.jupiter.api;

    exports dev.servesim.testing;

    uses dev.servesim.api.ServesimPlugin;
}
