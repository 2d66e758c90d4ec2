/**
 * Configuration records of the KV cache strategies, bound by the runner from the {@code cache} section (keys in
 * snake_case). Defaults are filled in the compact constructors.
 */
package dev.servesim.cache.config;
