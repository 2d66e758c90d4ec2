package dev.servesim.routers.config;

/** The {@code round-robin} router has no settings: replica 0, 1, ..., n-1, 0, ... */
public record RoundRobinRouterConfig() {}
