/**
 * Configuration of the {@code vllm} framework plugin: {@link dev.servesim.engine.vllm.config.VllmConfig}, bound by
 * the runner from the {@code framework} section, and the model and hardware catalogs its {@code model} and
 * {@code hardware} keys name. Memory is in GiB or bytes, bandwidth in bytes per second, compute in FLOP/s, times in
 * seconds, as each component's name says.
 */
package dev.servesim.engine.vllm.config;
