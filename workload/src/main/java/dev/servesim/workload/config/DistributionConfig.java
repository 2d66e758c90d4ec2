package dev.servesim.workload.config;

import dev.servesim.api.ServesimException;
import java.util.ArrayList;
import java.util.List;

/**
 * A probability distribution, written as one mapping: {@code type} picks the family and the other keys are that
 * family's parameters. A key that belongs to another family is an error naming it.
 *
 * <table>
 *   <caption>families and their keys</caption>
 *   <tr><th>type</th><th>keys</th><th>mean</th></tr>
 *   <tr><td>constant</td><td>value</td><td>value</td></tr>
 *   <tr><td>exponential</td><td>mean</td><td>mean</td></tr>
 *   <tr><td>gamma</td><td>shape (k), scale (theta)</td><td>k theta</td></tr>
 *   <tr><td>weibull</td><td>shape (k), scale (lambda)</td><td>lambda Gamma(1 + 1/k)</td></tr>
 *   <tr><td>lognormal</td><td>mean, stddev of the distribution itself (not of the underlying normal)</td>
 *       <td>mean</td></tr>
 *   <tr><td>pareto</td><td>shape (alpha), scale (x_m, the minimum)</td><td>alpha x_m / (alpha - 1)</td></tr>
 *   <tr><td>uniform</td><td>min, max</td><td>(min + max) / 2</td></tr>
 *   <tr><td>normal</td><td>mean, stddev</td><td>mean</td></tr>
 *   <tr><td>mixture</td><td>components: distributions that each carry a weight</td><td>weighted mean</td></tr>
 *   <tr><td>empirical</td><td>values (and optional weights), or csv and column</td><td>weighted mean</td></tr>
 * </table>
 *
 * @param type the family, one of {@link #TYPES}
 * @param value constant: the value
 * @param mean exponential, lognormal, normal: the mean
 * @param stddev lognormal, normal: the standard deviation
 * @param shape gamma, weibull, pareto: the shape
 * @param scale gamma, weibull, pareto: the scale
 * @param min uniform: lower bound
 * @param max uniform: upper bound
 * @param values empirical: the values drawn
 * @param weights empirical: relative weight of each value (default: all equal)
 * @param csv empirical: CSV file with a header line, relative to the working directory
 * @param column empirical: the CSV column whose values are drawn
 * @param components mixture: the components, each with a {@code weight}
 * @param weight only inside {@code components}: the component's relative weight
 */
public record DistributionConfig(
        String type,
        Double value,
        Double mean,
        Double stddev,
        Double shape,
        Double scale,
        Double min,
        Double max,
        List<Double> values,
        List<Double> weights,
        String csv,
        String column,
        List<DistributionConfig> components,
        Double weight) {

    /** The known families, in documentation order. */
    public static final List<String> TYPES = List.of("constant", "exponential", "gamma", "weibull", "lognormal",
            "pareto", "uniform", "normal", "mixture", "empirical");

    public DistributionConfig {
        if (type == null) {
            throw ServesimException.config("type", "is required; one of " + String.join(", ", TYPES));
        }
        if (!TYPES.contains(type)) {
            throw ServesimException.config("type", "unknown '" + type + "'; known types: " + String.join(", ", TYPES));
        }
        List<String> allowed = parameters(type);
        checkAllowed(type, allowed, "value", value);
        checkAllowed(type, allowed, "mean", mean);
        checkAllowed(type, allowed, "stddev", stddev);
        checkAllowed(type, allowed, "shape", shape);
        checkAllowed(type, allowed, "scale", scale);
        checkAllowed(type, allowed, "min", min);
        checkAllowed(type, allowed, "max", max);
        checkAllowed(type, allowed, "values", values);
        checkAllowed(type, allowed, "weights", weights);
        checkAllowed(type, allowed, "csv", csv);
        checkAllowed(type, allowed, "column", column);
        checkAllowed(type, allowed, "components", components);
        if (weight != null && !(weight > 0 && Double.isFinite(weight))) {
            throw ServesimException.config("weight", "must be a positive number, got " + weight);
        }
        switch (type) {
            case "constant" -> nonNegative("value", required(type, "value", value));
            case "exponential" -> positive("mean", required(type, "mean", mean));
            case "gamma", "weibull", "pareto" -> {
                positive("shape", required(type, "shape", shape));
                positive("scale", required(type, "scale", scale));
            }
            case "lognormal" -> {
                positive("mean", required(type, "mean", mean));
                nonNegative("stddev", required(type, "stddev", stddev));
            }
            case "normal" -> {
                finite("mean", required(type, "mean", mean));
                nonNegative("stddev", required(type, "stddev", stddev));
            }
            case "uniform" -> {
                nonNegative("min", required(type, "min", min));
                nonNegative("max", required(type, "max", max));
                if (max < min) {
                    throw ServesimException.config("max", "must be at least min (" + min + "), got " + max);
                }
            }
            case "mixture" -> components = mixtureComponents(components);
            case "empirical" -> {
                checkEmpirical(values, weights, csv, column);
                values = values == null ? null : List.copyOf(values);
                weights = weights == null ? null : List.copyOf(weights);
            }
            default -> throw new IllegalStateException("unhandled type " + type);
        }
    }

    /** A fixed value. */
    public static DistributionConfig constant(double value) {
        return new DistributionConfig("constant", value, null, null, null, null, null, null, null, null, null, null,
                null, null);
    }

    /**
     * A plain number written where a distribution is expected: the constant {@code value}. The configuration binder
     * calls it for a scalar, so {@code prompt_tokens: 512} means {@code {type: constant, value: 512}}.
     */
    public static DistributionConfig valueOf(double value) {
        return constant(value);
    }

    /** Exponential with the given mean. */
    public static DistributionConfig exponential(double mean) {
        return new DistributionConfig("exponential", null, mean, null, null, null, null, null, null, null, null, null,
                null, null);
    }

    /**
     * Checks a distribution used directly under {@code key} (not as a mixture component): it must carry no weight.
     *
     * @return the distribution, or {@code null} if it was absent
     */
    public static DistributionConfig unweighted(String key, DistributionConfig distribution) {
        if (distribution != null && distribution.weight() != null) {
            throw ServesimException.config(key + ".weight", "only mixture components take a weight");
        }
        return distribution;
    }

    /** The parameter keys of a family, {@code weight} excluded. */
    public static List<String> parameters(String type) {
        return switch (type) {
            case "constant" -> List.of("value");
            case "exponential" -> List.of("mean");
            case "gamma", "weibull", "pareto" -> List.of("shape", "scale");
            case "lognormal", "normal" -> List.of("mean", "stddev");
            case "uniform" -> List.of("min", "max");
            case "mixture" -> List.of("components");
            case "empirical" -> List.of("values", "weights", "csv", "column");
            default -> List.of();
        };
    }

    private static void checkAllowed(String type, List<String> allowed, String key, Object value) {
        if (value != null && !allowed.contains(key)) {
            throw ServesimException.config(key, "does not apply to type " + type + " (it takes "
                    + String.join(", ", allowed) + ")");
        }
    }

    private static <T> T required(String type, String key, T value) {
        if (value == null) {
            throw ServesimException.config(key, "is required for type " + type);
        }
        return value;
    }

    private static void positive(String key, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw ServesimException.config(key, "must be a positive number, got " + value);
        }
    }

    private static void nonNegative(String key, double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw ServesimException.config(key, "must be zero or a positive number, got " + value);
        }
    }

    private static void finite(String key, double value) {
        if (!Double.isFinite(value)) {
            throw ServesimException.config(key, "must be a finite number, got " + value);
        }
    }

    private static List<DistributionConfig> mixtureComponents(List<DistributionConfig> components) {
        if (components == null || components.isEmpty()) {
            throw ServesimException.config("components", "mixture needs at least one component");
        }
        List<DistributionConfig> copy = new ArrayList<>(components.size());
        for (int i = 0; i < components.size(); i++) {
            DistributionConfig component = components.get(i);
            if (component == null) {
                throw ServesimException.config("components[" + i + "]", "is empty");
            }
            if (component.weight() == null) {
                throw ServesimException.config("components[" + i + "].weight",
                        "every mixture component needs a weight");
            }
            copy.add(component);
        }
        return List.copyOf(copy);
    }

    private static void checkEmpirical(List<Double> values, List<Double> weights, String csv, String column) {
        if ((values == null) == (csv == null)) {
            throw ServesimException.config(values == null ? "values" : "csv",
                    "empirical takes either values (with optional weights) or csv and column");
        }
        if (csv != null) {
            if (csv.isBlank()) {
                throw ServesimException.config("csv", "must name a file");
            }
            if (column == null || column.isBlank()) {
                throw ServesimException.config("column", "is required with csv (the header name of the column)");
            }
            if (weights != null) {
                throw ServesimException.config("weights", "applies to values, not to csv (every row weighs the same)");
            }
            return;
        }
        if (column != null) {
            throw ServesimException.config("column", "applies to csv, not to values");
        }
        if (values.isEmpty()) {
            throw ServesimException.config("values", "needs at least one value");
        }
        for (int i = 0; i < values.size(); i++) {
            Double v = values.get(i);
            if (v == null || !Double.isFinite(v)) {
                throw ServesimException.config("values[" + i + "]", "must be a finite number, got " + v);
            }
        }
        if (weights != null) {
            if (weights.size() != values.size()) {
                throw ServesimException.config("weights", "needs one weight per value: " + weights.size()
                        + " weights for " + values.size() + " values");
            }
            double sum = 0;
            for (int i = 0; i < weights.size(); i++) {
                Double w = weights.get(i);
                if (w == null || !(w >= 0) || Double.isInfinite(w)) {
                    throw ServesimException.config("weights[" + i + "]", "must be zero or a positive number, got " + w);
                }
                sum += w;
            }
            if (!(sum > 0)) {
                throw ServesimException.config("weights", "must not all be zero");
            }
        }
    }
}
