package dev.servesim.engine.common.steptime;

import dev.servesim.api.ErrorKind;
import dev.servesim.api.ServesimException;
import dev.servesim.engine.common.hardware.HardwareSpec;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Coefficients of the {@code physics} step time, read from a versioned properties file: the built-in
 * {@code physics-coefficients-v4.properties} resource (fitted on the calibration runs; docs/fidelity.md), or a user's
 * file named by the {@code coefficients} key, whose keys override the built-in ones (a key it leaves out keeps the
 * built-in value). Keys are the {@link StepTimeTerm} keys; costs are seconds, at least 0; efficiencies are
 * fractions in (0, 1], so no coefficient set can make a step beat the hardware's peaks.
 *
 * <p>The efficiencies are those measured on {@code reference_hardware} (a catalog GPU, by default the H100 the
 * calibration runs used). On another GPU each is scaled by the ratio of that GPU's own achievable efficiency (its
 * description's {@code efficiency} field) to the reference GPU's, and capped at 1: what the fit learned about vLLM's
 * kernels carries over, and what differs between GPUs comes from their descriptions.
 *
 * <p>Besides {@code version}, {@code fitted_on} and {@code reference_hardware}, the optional {@code calibrated_*}
 * metadata keys say which deployments the fit covered ({@link CalibratedRange}), and the optional
 * {@code interval.<term>} keys give the fitted terms' 90% bootstrap intervals ({@link CoefficientIntervals}); a user's
 * file without them has an unknown range, not the built-in one, and no intervals.
 */
public final class PhysicsCoefficients {

    static final String RESOURCE = StepTimeTerm.BUILT_IN_FILE;
    static final String VERSION = "2";
    private static final String DEFAULT_REFERENCE = "H100-SXM-80GB";
    private static final List<String> META_KEYS = metaKeys();

    private final String source;
    private final String fittedOn;
    private final HardwareSpec reference;
    private final CalibratedRange range;
    private final CoefficientIntervals intervals;
    private final Map<StepTimeTerm, Double> values;

    private PhysicsCoefficients(String source, String fittedOn, HardwareSpec reference, CalibratedRange range,
            CoefficientIntervals intervals, Map<StepTimeTerm, Double> values) {
        this.source = source;
        this.fittedOn = fittedOn;
        this.reference = reference;
        this.range = range;
        this.intervals = intervals;
        this.values = Collections.unmodifiableMap(new EnumMap<>(values));
    }

    /**
     * The built-in coefficients, overridden by the file {@code file} when it is not {@code null} (a relative path is
     * resolved against the working directory).
     *
     * @throws ServesimException (CONFIG, key {@code coefficients}) if the file cannot be read or is invalid
     */
    public static PhysicsCoefficients load(String file) {
        Properties builtIn = StepTimeTerm.builtInFile();
        Map<StepTimeTerm, Double> values = new EnumMap<>(StepTimeTerm.class);
        read(builtIn, RESOURCE, values, true);
        String fittedOn = builtIn.getProperty("fitted_on", "");
        String referenceName = builtIn.getProperty("reference_hardware", DEFAULT_REFERENCE).trim();
        CalibratedRange range = CalibratedRange.read(builtIn, RESOURCE);
        CoefficientIntervals intervals = CoefficientIntervals.read(builtIn, RESOURCE);
        String source = RESOURCE;
        if (file != null) {
            Path path = Path.of(file);
            Properties user = new Properties();
            try (Reader reader = new java.io.StringReader(dev.servesim.api.InputFiles.readText(path,
                    "coefficients file", 1L << 20))) {
                user.load(reader);
            } catch (ServesimException e) {
                throw ServesimException.config("coefficients", e.getMessage());
            } catch (IOException | IllegalArgumentException e) {
                throw ServesimException.config("coefficients", path.toAbsolutePath() + " is not a properties file: "
                        + e.getMessage());
            }
            read(user, path.toAbsolutePath().toString(), values, false);
            fittedOn = user.getProperty("fitted_on", "");
            referenceName = user.getProperty("reference_hardware", referenceName).trim();
            // the built-in range describes the built-in fit, not the user's
            range = CalibratedRange.read(user, path.toAbsolutePath().toString());
            // so do the built-in intervals
            intervals = CoefficientIntervals.read(user, path.toAbsolutePath().toString());
            source = file;
        }
        HardwareSpec reference;
        try {
            reference = HardwareSpec.named(referenceName);
        } catch (ServesimException e) {
            throw ServesimException.config("coefficients", "reference_hardware: " + e.getMessage()
                    .replaceFirst("^hardware: ", ""));
        }
        return new PhysicsCoefficients(source, fittedOn, reference, range, intervals, values);
    }

    /**
     * These coefficients at {@code bound}: as they are for {@code fitted}; for {@code slow} or {@code fast}, every
     * term with an interval at its slow or fast end ({@link CoefficientIntervals#at}), the others as fitted.
     *
     * @throws ServesimException (CONFIG, key {@code coefficient_bound}) if the bound is not {@code fitted} and the
     *     coefficients have no intervals
     */
    public PhysicsCoefficients at(CoefficientBound bound) {
        if (bound == CoefficientBound.FITTED) {
            return this;
        }
        if (intervals.isEmpty()) {
            throw ServesimException.config("coefficient_bound", "the coefficients " + source + " have no bootstrap"
                    + " intervals (interval.<term> keys, which servesim calibrate --runs writes)");
        }
        return new PhysicsCoefficients(source, fittedOn, reference, range, intervals, intervals.at(bound, values));
    }

    private static List<String> metaKeys() {
        List<String> keys = new ArrayList<>(List.of("version", "fitted_on", "reference_hardware"));
        keys.addAll(CalibratedRange.KEYS);
        return List.copyOf(keys);
    }

    private static void read(Properties properties, String where, Map<StepTimeTerm, Double> values,
            boolean complete) {
        String version = properties.getProperty("version");
        String trimmed = version == null ? null : version.trim();
        if ("1".equals(trimmed)) {
            throw ServesimException.config("coefficients", where + " has version 1, the coefficients of servesim's"
                    + " earlier physics model (linear_compute, linear_memory, ...); this vllm plugin reads version "
                    + VERSION + " (fixed costs and efficiencies): fit a new file with servesim calibrate");
        }
        if (!VERSION.equals(trimmed)) {
            throw ServesimException.config("coefficients", where + " has version " + version + "; this vllm plugin"
                    + " reads version " + VERSION);
        }
        List<String> unknown = new ArrayList<>();
        for (String key : properties.stringPropertyNames()) {
            if (!META_KEYS.contains(key) && StepTimeTerm.ofKey(key) == null && !CoefficientIntervals.isKey(key)) {
                unknown.add(key);
            }
        }
        if (!unknown.isEmpty()) {
            Collections.sort(unknown);
            throw ServesimException.config("coefficients", where + " has unknown keys " + unknown + "; known: "
                    + keys());
        }
        for (StepTimeTerm term : StepTimeTerm.values()) {
            String text = properties.getProperty(term.key());
            if (text == null) {
                if (complete) {
                    throw new ServesimException(ErrorKind.PLUGIN, where + " lacks " + term.key());
                }
                continue;
            }
            double value;
            try {
                value = Double.parseDouble(text.trim());
            } catch (NumberFormatException e) {
                throw ServesimException.config("coefficients", where + ": " + term.key() + " = '" + text
                        + "' is not a number");
            }
            if (term.isEfficiency() && !(value > 0 && value <= 1)) {
                throw ServesimException.config("coefficients", where + ": " + term.key() + " is a fraction of the"
                        + " hardware's peak and must be in (0, 1], got " + text);
            }
            if (!(value >= 0) || Double.isInfinite(value)) {
                throw ServesimException.config("coefficients", where + ": " + term.key() + " must be zero or a positive"
                        + " number of seconds, got " + text);
            }
            values.put(term, value);
        }
    }

    private static String keys() {
        StringBuilder known = new StringBuilder(String.join(", ", META_KEYS));
        for (StepTimeTerm term : StepTimeTerm.values()) {
            known.append(", ").append(term.key());
        }
        return known.append(", ").append(CoefficientIntervals.PREFIX).append("<term key>").toString();
    }

    double get(StepTimeTerm term) {
        return values.get(term);
    }

    /** The GPU the efficiencies were measured on. */
    HardwareSpec reference() {
        return reference;
    }

    /**
     * The coefficients on {@code hardware}: costs as they are, each efficiency scaled by the GPU's own achievable
     * efficiency over the reference GPU's and capped at 1, the all-reduce latency by the two interconnects'
     * latencies.
     */
    public StepCoefficients on(HardwareSpec hardware) {
        Map<StepTimeTerm, Double> adapted = new EnumMap<>(values);
        for (StepTimeTerm term : StepTimeTerm.values()) {
            if (term.isHardwareRelative()) {
                double ratio = term.physicalDefault(hardware) / term.physicalDefault(reference);
                double value = values.get(term) * ratio;
                adapted.put(term, term.isEfficiency() ? Math.min(1.0, value) : value);
            }
        }
        return new StepCoefficients(adapted, hardware.efficiency().interconnect(), source, fittedOn, range,
                !intervals.isEmpty());
    }

    /** Where the coefficients come from: the resource name, or the user's file as configured. */
    String source() {
        return source;
    }

    /** The file's {@code fitted_on} note. */
    String fittedOn() {
        return fittedOn;
    }

    /** The deployments the coefficients were fitted on, from the file's {@code calibrated_*} keys. */
    CalibratedRange range() {
        return range;
    }

    /** The fitted terms' bootstrap intervals, from the file's {@code interval.*} keys. */
    CoefficientIntervals intervals() {
        return intervals;
    }
}
