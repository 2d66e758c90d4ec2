package dev.servesim.api;

/**
 * Checks for the compact constructors of configuration records. Components that have a default are boxed and
 * {@code null} when the key is absent from the configuration; {@link #orDefault} fills the default. Every check
 * throws a {@link ErrorKind#CONFIG} {@link ServesimException} naming the key as it is written in YAML (snake_case).
 */
public final class ConfigValues {

    /**
     * Longest simulated time, seconds (about 31.7 years): times are doubles in seconds, and beyond this their
     * resolution gets coarser than a tenth of a microsecond, so engine steps would be lost in rounding.
     */
    public static final double MAX_SECONDS = 1e9;

    /**
     * Most requests a workload may be expected to generate: more would take days of wall time at any speed, and a
     * value beyond it is a typo (a rate of {@code 1e18}) more often than a plan.
     */
    public static final double MAX_REQUESTS = 1e9;

    private ConfigValues() {}

    /** Fails unless {@code 0 < value <= }{@link #MAX_SECONDS}. */
    public static double duration(String key, double value) {
        positive(key, value);
        if (value > MAX_SECONDS) {
            throw ServesimException.config(key, "must be at most " + MAX_SECONDS + " s (about 31.7 years of simulated "
                    + "time), got " + value);
        }
        return value;
    }

    /**
     * Fails when a workload is expected to generate more than {@link #MAX_REQUESTS} requests.
     *
     * @param key the key whose value makes the count too large, e.g. {@code rate}
     * @param expected the expected number of requests
     * @param how how {@code expected} was computed, e.g. {@code "rate x duration"}
     */
    public static void requestBudget(String key, double expected, String how) {
        if (!(expected <= MAX_REQUESTS)) {
            throw ServesimException.config(key, how + " = " + String.format(java.util.Locale.ROOT, "%.3g", expected)
                    + " requests, more than the limit of " + String.format(java.util.Locale.ROOT, "%.0e",
                    MAX_REQUESTS) + " a run can simulate");
        }
    }

    /** {@code value}, or {@code defaultValue} when the key was absent. */
    public static <T> T orDefault(T value, T defaultValue) {
        return value == null ? defaultValue : value;
    }

    /** Fails when a required key is absent. */
    public static <T> T required(String key, T value) {
        if (value == null) {
            throw ServesimException.config(key, "is required");
        }
        return value;
    }

    /** Fails unless {@code value > 0}. */
    public static int positive(String key, int value) {
        if (value <= 0) {
            throw ServesimException.config(key, "must be positive, got " + value);
        }
        return value;
    }

    /** Fails unless {@code value > 0} and finite. */
    public static double positive(String key, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw ServesimException.config(key, "must be a positive number, got " + value);
        }
        return value;
    }

    /** Fails unless {@code value >= 0} and finite. */
    public static double nonNegative(String key, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw ServesimException.config(key, "must be zero or a positive number, got " + value);
        }
        return value;
    }

    /** Fails unless {@code value >= 0}. */
    public static int nonNegative(String key, int value) {
        if (value < 0) {
            throw ServesimException.config(key, "must be zero or positive, got " + value);
        }
        return value;
    }

    /** Fails unless {@code min <= value <= max}. */
    public static double inRange(String key, double value, double min, double max) {
        if (!(value >= min && value <= max)) {
            throw ServesimException.config(key, "must be between " + min + " and " + max + ", got " + value);
        }
        return value;
    }
}
