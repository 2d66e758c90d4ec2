package dev.servesim.api;

/**
 * Checks for the compact constructors of configuration records. Components that have a default are boxed and
 * {@code null} when the key is absent from the configuration; {@link #orDefault} fills the default. Every check
 * throws a {@link ErrorKind#CONFIG} {@link ServesimException} naming the key as it is written in YAML (snake_case).
 */
public final class ConfigValues {

    private ConfigValues() {}

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
