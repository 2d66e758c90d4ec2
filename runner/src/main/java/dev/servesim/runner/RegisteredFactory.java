package dev.servesim.runner;

import static java.util.Objects.requireNonNull;

import dev.servesim.api.ExtensionFactory;

/**
 * A factory known to the registry.
 *
 * @param kind its extension point
 * @param factory the factory
 * @param plugin the plugin that provides it
 */
public record RegisteredFactory(ExtensionKind kind, ExtensionFactory<?> factory, PluginInfo plugin) {

    public RegisteredFactory {
        requireNonNull(kind, "kind is null");
        requireNonNull(factory, "factory is null");
        requireNonNull(plugin, "plugin is null");
    }

    public String name() {
        return factory.name();
    }
}
