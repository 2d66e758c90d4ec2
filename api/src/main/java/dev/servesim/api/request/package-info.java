/**
 * Requests, their prompt content and block hashes, lifecycle events and per-request / per-step records.
 *
 * <p>Times are {@code double} seconds of simulated time; token counts are {@code int}. Listeners are called on the
 * simulation thread.
 */
package dev.servesim.api.request;
