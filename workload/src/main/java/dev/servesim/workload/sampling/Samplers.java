package dev.servesim.workload.sampling;

import dev.servesim.api.ErrorKind;
import dev.servesim.api.ServesimException;
import dev.servesim.workload.config.DistributionConfig;
import dev.servesim.workload.trace.CsvFields;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/** Compiles validated {@link DistributionConfig}s into samplers. */
public final class Samplers {

    private Samplers() {}

    /**
     * The sampler of {@code config}; {@code key} names it in errors (an empirical CSV that cannot be read).
     * Relative CSV paths are resolved against the working directory.
     */
    public static Sampler compile(DistributionConfig config, String key) {
        return switch (config.type()) {
            case "constant" -> new Families.Constant(config.value());
            case "exponential" -> new Families.Exponential(config.mean());
            case "gamma" -> new Families.Gamma(config.shape(), config.scale());
            case "weibull" -> new Families.Weibull(config.shape(), config.scale());
            case "lognormal" -> Families.LogNormal.of(config.mean(), config.stddev());
            case "pareto" -> new Families.Pareto(config.shape(), config.scale());
            case "uniform" -> new Families.Uniform(config.min(), config.max());
            case "normal" -> new Families.Normal(config.mean(), config.stddev());
            case "mixture" -> mixture(config.components(), key);
            case "empirical" -> config.csv() != null
                    ? empirical(readColumn(Path.of(config.csv()), config.column(), key), null)
                    : empirical(toArray(config.values()), config.weights() == null ? null : toArray(config.weights()));
            default -> throw new IllegalStateException("unvalidated distribution type " + config.type());
        };
    }

    /** A constant sampler. */
    public static Sampler constant(double value) {
        return new Families.Constant(value);
    }

    /** A gamma sampler (Marsaglia and Tsang): mean {@code shape * scale}. */
    public static Sampler gamma(double shape, double scale) {
        return new Families.Gamma(shape, scale);
    }

    /** {@code sampler} rescaled so that its mean is {@code mean}; its mean must be positive and finite. */
    public static Sampler withMean(Sampler sampler, double mean) {
        return new Families.Scaled(sampler, mean / sampler.mean());
    }

    private static Sampler mixture(List<DistributionConfig> components, String key) {
        Sampler[] samplers = new Sampler[components.size()];
        double[] weights = new double[components.size()];
        for (int i = 0; i < samplers.length; i++) {
            samplers[i] = compile(components.get(i), key + ".components[" + i + "]");
            weights[i] = components.get(i).weight();
        }
        return new Families.Mixture(Families.cumulative(weights), samplers);
    }

    private static Sampler empirical(double[] values, double[] weights) {
        double[] w = weights;
        if (w == null) {
            w = new double[values.length];
            java.util.Arrays.fill(w, 1.0);
        }
        return new Families.Empirical(values, Families.cumulative(w));
    }

    private static double[] toArray(List<Double> list) {
        double[] array = new double[list.size()];
        for (int i = 0; i < array.length; i++) {
            array[i] = list.get(i);
        }
        return array;
    }

    private static double[] readColumn(Path file, String column, String key) {
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String headerLine = reader.readLine();
            if (headerLine == null) {
                throw ServesimException.config(key + ".csv", file + " is empty; expected a header line");
            }
            String[] header = CsvFields.split(stripBom(headerLine));
            int index = CsvFields.column(header, column);
            if (index < 0) {
                throw ServesimException.config(key + ".column", "no column '" + column + "' in " + file
                        + "; columns: " + String.join(", ", header));
            }
            double[] values = new double[64];
            int count = 0;
            long lineNumber = 1;
            String line;
            while ((line = reader.readLine()) != null) {
                lineNumber++;
                if (line.isBlank()) {
                    continue;
                }
                String[] fields = CsvFields.split(line);
                String text = index < fields.length ? fields[index] : "";
                double value;
                try {
                    value = Double.parseDouble(text);
                } catch (NumberFormatException e) {
                    value = Double.NaN;
                }
                if (!Double.isFinite(value)) {
                    throw ServesimException.config(key + ".csv", file + ":" + lineNumber + ": column '" + column
                            + "': expected a number, got '" + text + "'");
                }
                if (count == values.length) {
                    values = java.util.Arrays.copyOf(values, count * 2);
                }
                values[count++] = value;
            }
            if (count == 0) {
                throw ServesimException.config(key + ".csv", file + " has no values in column '" + column + "'");
            }
            return java.util.Arrays.copyOf(values, count);
        } catch (NoSuchFileException e) {
            throw ServesimException.config(key + ".csv", "file not found: " + file.toAbsolutePath()
                    + " (relative paths are resolved against the working directory)");
        } catch (IOException e) {
            ServesimException unreadable = ServesimException.unreadable("CSV", file, e);
            throw new ServesimException(unreadable.kind(), key + ".csv: " + unreadable.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw ServesimException.config(key + ".csv", file + ": " + e.getMessage());
        }
    }

    static String stripBom(String line) {
        return !line.isEmpty() && line.charAt(0) == '\uFEFF' ? line.substring(1) : line;
    }
}
