package dev.servesim.runner.simulation;

import java.lang.module.ModuleDescriptor;

/** The servesim version, from the runner module's descriptor (set by the build). */
final class Versions {

    private Versions() {}

    static String servesim() {
        ModuleDescriptor descriptor = Versions.class.getModule().getDescriptor();
        return descriptor == null ? "development" : descriptor.rawVersion().orElse("development");
    }
}
