/**
 * The serving-engine ("framework") extension point: one engine replica on the simulation clock.
 *
 * <p>Times are {@code double} seconds; everything is called on the simulation thread.
 */
package dev.servesim.api.engine;
