package dev.servesim.runner.sinks.config;

import dev.servesim.api.ServesimException;

/** Output file names stay inside the run's output folder. */
final class FileNames {

    private FileNames() {}

    static String check(String key, String name) {
        if (name.isBlank() || name.contains("/") || name.contains("\\") || name.equals(".") || name.equals("..")) {
            throw ServesimException.config(key, "must be a plain file name inside the output folder, got '" + name + "'");
        }
        return name;
    }
}
