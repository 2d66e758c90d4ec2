package dev.servesim.metrics.prometheus.config;

/** The test sink {@code scrape-at-end} has no settings; in the exported package, so the runner can bind it. */
public record ScraperConfig() {}
