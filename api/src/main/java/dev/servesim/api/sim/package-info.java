/**
 * The simulation kernel contract: clock, event scheduling and seeded random streams.
 *
 * <p>Times are {@code double} seconds of simulated time. Everything here is used on the simulation thread only.
 */
package dev.servesim.api.sim;
