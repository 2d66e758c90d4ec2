package org.example.compat.config;

/** For extensions without settings. */
public record NoSettings() {}
