package dev.servesim.runner.simulation;

import java.nio.file.Path;

/**
 * The run's output folder.
 *
 * @param checkOnly the run is only assembled to check it ({@code servesim validate}): sinks are checked, not
 *     created, and nothing is written
 */
record RunOutput(Path directory, boolean checkOnly) {}
