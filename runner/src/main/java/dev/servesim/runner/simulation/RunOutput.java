package dev.servesim.runner.simulation;

import java.nio.file.Path;

/** The run's output folder. */
record RunOutput(Path directory) {}
