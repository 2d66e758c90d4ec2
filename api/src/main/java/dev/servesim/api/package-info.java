/**
 * Plugin entry point, extension factories, API versioning and errors.
 *
 * <p>All simulated times in this API are {@code double} seconds on the simulation clock. Every method is called on
 * the single simulation thread of a run unless its Javadoc says otherwise.
 */
package dev.servesim.api;
