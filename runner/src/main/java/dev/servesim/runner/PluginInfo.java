package dev.servesim.runner;

import static java.util.Objects.requireNonNull;

import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * A loaded plugin.
 *
 * @param name the plugin's name
 * @param version the module's version, or empty
 * @param module the module that provides it
 * @param location the jar or folder it was loaded from (file name), or the module path entry
 * @param external true if it came from a plugins folder rather than the distribution's module path
 * @param factories factory names per extension kind, in declaration order
 */
public record PluginInfo(String name, String version, String module, String location, boolean external,
        Map<ExtensionKind, List<String>> factories) {

    public PluginInfo {
        requireNonNull(name, "name is null");
        requireNonNull(version, "version is null");
        requireNonNull(module, "module is null");
        requireNonNull(location, "location is null");
        factories = Collections.unmodifiableMap(new EnumMap<>(factories));
    }
}
