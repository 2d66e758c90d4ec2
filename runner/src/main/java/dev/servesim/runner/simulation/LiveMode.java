package dev.servesim.runner.simulation;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/** Whether a run takes live requests ({@code servesim serve}), and through which door. */
record LiveMode(Optional<LiveInput> input) {

    LiveMode {
        requireNonNull(input, "input is null");
    }
}
