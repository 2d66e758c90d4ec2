/**
 * Configuration of the {@code vllm} framework plugin: {@link dev.servesim.engine.vllm.config.VllmConfig}, bound by
 * the runner from the {@code framework} section; the models, GPUs and step-time choices its {@code model},
 * {@code hardware}, {@code step_time} and {@code coefficient_bound} keys name are engine-common's
 * ({@code dev.servesim.engine.common}). Memory is in GiB or bytes, bandwidth in bytes per second, compute in FLOP/s,
 * times in seconds, as each component's name says.
 */
package dev.servesim.engine.vllm.config;
