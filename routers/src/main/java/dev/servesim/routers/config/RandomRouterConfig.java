package dev.servesim.routers.config;

/** The {@code random} router has no settings: every replica equally likely, from the stream {@code router/random/choice}. */
public record RandomRouterConfig() {}
