/**
 * The workload extension point: sources of requests over simulated time, open- or closed-loop.
 *
 * <p>Times are {@code double} seconds; everything is called on the simulation thread.
 */
package dev.servesim.api.workload;
