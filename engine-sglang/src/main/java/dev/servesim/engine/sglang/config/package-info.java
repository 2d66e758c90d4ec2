/**
 * Configuration of the {@code sglang} framework plugin: {@link dev.servesim.engine.sglang.config.SglangConfig}, bound
 * by the runner from the {@code framework} section; the models, GPUs and step-time choices its {@code model},
 * {@code hardware} and {@code step_time} keys name are engine-common's ({@code dev.servesim.engine.common}). Memory
 * is in GiB or bytes, sizes in tokens, as each component's name says.
 */
package dev.servesim.engine.sglang.config;
