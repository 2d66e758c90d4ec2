/**
 * Conformance kits: abstract JUnit 5 tests that a plugin's test extends to have its contract checked. Each kit runs
 * the plugin through the real runner (configuration binding included) with the real vLLM engine, the
 * {@code block-hash} cache and a synthetic workload found through {@link java.util.ServiceLoader}, so
 * {@code servesim-engine-vllm}, {@code servesim-cache-strategies} and {@code servesim-workload} must be on the test
 * path. Every factory of every plugin is wrapped, so each call a plugin gets or makes is checked against the
 * contract in {@code dev.servesim.api} as it happens; all times are simulated seconds.
 */
package dev.servesim.testing.conformance;
