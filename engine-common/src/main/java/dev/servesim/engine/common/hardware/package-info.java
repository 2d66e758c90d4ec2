/**
 * GPUs: {@link dev.servesim.engine.common.hardware.HardwareSpec}, from the built-in catalog (one YAML resource per GPU
 * in this package, listed by {@code index.txt}) or a user's YAML or JSON description, with defaults and checks.
 * Memory is in GiB or bytes, bandwidth in bytes per second, compute in FLOP/s, times in seconds, as each component's
 * name says. Values are immutable and may be shared between runs.
 */
package dev.servesim.engine.common.hardware;
