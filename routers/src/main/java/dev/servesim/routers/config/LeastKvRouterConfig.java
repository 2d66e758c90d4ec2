package dev.servesim.routers.config;

/**
 * The {@code least-kv} router has no settings: the replica with the lowest KV usage as last reported; ties go to the
 * fewest outstanding requests, then round-robin.
 */
public record LeastKvRouterConfig() {}
