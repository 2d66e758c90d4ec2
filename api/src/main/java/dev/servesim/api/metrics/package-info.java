/**
 * The metric sink extension point and the run summary.
 *
 * <p>Times are {@code double} seconds except in record components whose name carries {@code Ms}. Sinks are called
 * on the simulation thread; a sink that throws fails the run.
 */
package dev.servesim.api.metrics;
