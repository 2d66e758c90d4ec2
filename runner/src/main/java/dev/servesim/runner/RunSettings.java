package dev.servesim.runner;

import static dev.servesim.api.ConfigValues.orDefault;
import static dev.servesim.api.ConfigValues.positive;

import dev.servesim.api.ConfigValues;
import dev.servesim.api.ServesimException;
import java.nio.file.Path;

/**
 * Run-level settings (top-level keys of the configuration).
 *
 * @param name run name (default: the configuration file's name without extension)
 * @param seed run seed for every random stream (default 1)
 * @param horizon stop after this many simulated seconds; absent: run until the workload is drained
 * @param snapshotInterval seconds of simulated time between load snapshots sent to sinks (default 1)
 * @param output output folder (default {@code runs/<name>}; {@code --out} overrides)
 * @param warmup requests arriving in the first {@code warmup} seconds are counted but left out of the statistics
 *     (default 0)
 * @param slo objectives for goodput (default none)
 * @param pace run simulated time at this many simulated seconds per wall-clock second (1 = real time); absent: as
 *     fast as possible
 * @param maxInFlight requests in the system at once (arrived, not yet ended) beyond which the run stops, its results
 *     written and marked partial: the offered load is far beyond what the deployment serves, and every request
 *     waiting holds memory (default {@value #DEFAULT_MAX_IN_FLIGHT})
 * @param cost the price of a GPU-hour for the summary's cost figures (default: the built-in approximate prices)
 */
public record RunSettings(String name, Long seed, Double horizon, Double snapshotInterval, String output,
        Double warmup, Slo slo, Double pace, Long maxInFlight, CostSettings cost) {

    /** Shortest {@code snapshot_interval}, seconds: shorter than an engine step, it would only add events. */
    public static final double MIN_SNAPSHOT_INTERVAL = 1e-3;
    /** Default {@code max_in_flight}: about a gigabyte of heap for the waiting requests. */
    public static final long DEFAULT_MAX_IN_FLIGHT = 1_000_000;

    public RunSettings {
        name = orDefault(name, "run");
        if (name.isBlank()) {
            throw ServesimException.config("name", "must not be empty");
        }
        checkPlainName(name);
        seed = orDefault(seed, 1L);
        if (horizon != null) {
            ConfigValues.duration("horizon", horizon);
        }
        snapshotInterval = ConfigValues.duration("snapshot_interval", orDefault(snapshotInterval,
                1.0));
        if (snapshotInterval < MIN_SNAPSHOT_INTERVAL) {
            throw ServesimException.config("snapshot_interval", "must be at least "
                    + MIN_SNAPSHOT_INTERVAL + " s (shorter than an engine step, it only adds events), got "
                    + snapshotInterval);
        }
        maxInFlight = orDefault(maxInFlight, DEFAULT_MAX_IN_FLIGHT);
        if (maxInFlight < 1) {
            throw ServesimException.config("max_in_flight", "must be positive, got " + maxInFlight);
        }
        warmup = ConfigValues.nonNegative("warmup", orDefault(warmup, 0.0));
        if (horizon != null && warmup >= horizon) {
            throw ServesimException.config("warmup", "must be shorter than the horizon ("
                    + horizon + " s), got " + warmup);
        }
        slo = orDefault(slo, Slo.NONE);
        cost = orDefault(cost, CostSettings.BUILT_IN);
        if (pace != null) {
            positive("pace", pace);
        }
    }

    /** The settings with the built-in prices. */
    public RunSettings(String name, Long seed, Double horizon, Double snapshotInterval, String output,
            Double warmup, Slo slo, Double pace, Long maxInFlight) {
        this(name, seed, horizon, snapshotInterval, output, warmup, slo, pace, maxInFlight, null);
    }

    /** Longest run name: it becomes a folder name ({@code runs/<name>}), which file systems limit to 255 bytes. */
    static final int MAX_NAME_LENGTH = 120;

    /**
     * The name becomes the default output folder {@code runs/<name>} and the compare folder {@code runs/<name>-compare},
     * so it must be one plain path segment: no separator, not {@code .} or {@code ..}, no control character, not too
     * long. A name like {@code ../../escape} would otherwise write outside {@code runs/}.
     */
    private static void checkPlainName(String name) {
        boolean control = name.chars().anyMatch(c -> c < 0x20 || c == 0x7f);
        if (name.contains("/") || name.contains("\\") || name.equals(".") || name.equals("..") || control
                || name.length() > MAX_NAME_LENGTH) {
            throw ServesimException.config("name", "must be a plain name of at most "
                    + MAX_NAME_LENGTH + " characters without '/', '\\' or control characters, and not '.' or '..'"
                    + " (it names the output folder runs/<name>), got '" + printable(name) + "'");
        }
    }

    private static String printable(String name) {
        String shown = name.length() > 40 ? name.substring(0, 40) + "..." : name;
        StringBuilder text = new StringBuilder();
        shown.chars().forEach(c -> text.append(c < 0x20 || c == 0x7f ? String.format("\\u%04x", c) : (char) c));
        return text.toString();
    }

    /** The same settings with another seed. */
    public RunSettings withSeed(long newSeed) {
        return new RunSettings(name, newSeed, horizon, snapshotInterval, output, warmup, slo, pace, maxInFlight, cost);
    }

    /** The same settings for a run named {@code newName} (checked as {@code name} is). */
    public RunSettings withName(String newName) {
        return new RunSettings(newName, seed, horizon, snapshotInterval, output, warmup, slo, pace, maxInFlight, cost);
    }

    /** The output folder unless the command line says otherwise: {@code output}, else {@code runs/<name>}. */
    public Path outputDirectory() {
        return output != null ? Path.of(output) : Path.of("runs", name);
    }

    /** The horizon, or positive infinity. */
    public double horizonOrInfinity() {
        return horizon == null ? Double.POSITIVE_INFINITY : horizon;
    }
}
