package dev.servesim.runner.simulation;

import dev.servesim.api.ErrorKind;
import dev.servesim.api.ServesimException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Properties;
import java.util.TreeMap;

/** The built-in approximate prices per GPU-hour of the catalog GPUs ({@value #FILE}, which gives the source). */
final class GpuPrices {

    static final String FILE = "gpu-prices.properties";
    static final String CONFIGURED = "configuration";
    static final String BUILT_IN = "built-in table (approximate)";

    private static final Map<String, Double> TABLE = load();

    private GpuPrices() {}

    /** The built-in price of {@code gpu} (a catalog name, compared ignoring case), if it has one. */
    static OptionalDouble builtIn(String gpu) {
        Double price = TABLE.get(gpu.toLowerCase(Locale.ROOT));
        return price == null ? OptionalDouble.empty() : OptionalDouble.of(price);
    }

    private static Map<String, Double> load() {
        Properties properties = new Properties();
        try (InputStream in = GpuPrices.class.getResourceAsStream(FILE)) {
            if (in == null) {
                throw new ServesimException(ErrorKind.INVARIANT, FILE + " is missing");
            }
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, Double> table = new TreeMap<>();
        properties.stringPropertyNames().forEach(name -> table.put(name.toLowerCase(Locale.ROOT),
                Double.parseDouble(properties.getProperty(name).strip())));
        return table;
    }
}
