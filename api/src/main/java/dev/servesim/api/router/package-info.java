/**
 * The router extension point: which engine replica of a cluster serves each arriving request.
 *
 * <p>A router sees only what a real router in front of a replica fleet could: each replica's load as it was last
 * reported (running and waiting requests, KV usage; reports are periodic, so they can be stale), the requests it sent
 * itself, and for prefix-aware routing the cache events the replicas publish (blocks stored and evicted). It never
 * sees a replica's scheduler or block pool.
 *
 * <p>Times are {@code double} seconds of simulated time. Everything is called on the simulation thread.
 */
package dev.servesim.api.router;
