package dev.servesim.testing.conformance;

/** The configuration of the kits' recording sink: it has none. Public so that the runner can bind it. */
public record RecorderConfig() {}
