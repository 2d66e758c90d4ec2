/**
 * The KV cache strategy extension point: prefix lookup, content registration and the order in which free blocks are
 * reused (and cached content evicted).
 *
 * <p>Block ids are {@code 0 .. blocks-1}. Called on the simulation thread only.
 */
package dev.servesim.api.cache;
