/**
 * Fixtures for plugin tests (test scope only): contexts backed by the real kernel, recording listeners, plugin lookup;
 * and the conformance kits, abstract JUnit tests that run a plugin through the real runner and engine.
 */
module dev.servesim.testing {
    requires transitive dev.servesim.api;
    requires transitive dev.servesim.core;
    requires dev.servesim.runner;
    requires transitive org.junit.jupiter.api;
    requires org.assertj.core;

    exports dev.servesim.testing;
    exports dev.servesim.testing.conformance;

    uses dev.servesim.api.ServesimPlugin;
}
