package dev.servesim.engine.vllm;

import dev.servesim.api.ErrorKind;
import dev.servesim.api.ServesimException;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Coefficients of the {@code physics} step-time model, read from a versioned properties file: the built-in
 * {@code physics-coefficients-v3.properties} resource (fitted on the 13 calibration runs; docs/fidelity.md), or a
 * user's file named by the {@code coefficients} key, whose keys override the built-in ones (a key it leaves out keeps
 * the built-in value). Every value is a non-negative number; unknown keys are refused.
 */
final class PhysicsCoefficients {

    static final String RESOURCE = "physics-coefficients-v3.properties";
    static final String VERSION = "1";

    /** The coefficients, by their key in the file. */
    enum Term {
        STEP_OVERHEAD_SECONDS("step_overhead_seconds"),
        REQUEST_OVERHEAD_SECONDS("request_overhead_seconds"),
        TOKEN_OVERHEAD_SECONDS("token_overhead_seconds"),
        LINEAR_COMPUTE("linear_compute"),
        LINEAR_MEMORY("linear_memory"),
        MOE_COMPUTE("moe_compute"),
        MOE_MEMORY("moe_memory"),
        LM_HEAD_COMPUTE("lm_head_compute"),
        LM_HEAD_MEMORY("lm_head_memory"),
        PREFILL_ATTENTION_COMPUTE("prefill_attention_compute"),
        PREFILL_ATTENTION_MEMORY("prefill_attention_memory"),
        DECODE_ATTENTION_COMPUTE("decode_attention_compute"),
        DECODE_ATTENTION_MEMORY("decode_attention_memory"),
        ALL_REDUCE("all_reduce"),
        PIPELINE_TRANSFER("pipeline_transfer"),
        ARRIVAL_OVERHEAD_SECONDS("arrival_overhead_seconds"),
        ARRIVAL_OVERHEAD_SECONDS_PER_PROMPT_TOKEN("arrival_overhead_seconds_per_prompt_token"),
        OUTPUT_OVERHEAD_SECONDS("output_overhead_seconds");

        final String key;

        Term(String key) {
            this.key = key;
        }
    }

    private final String source;
    private final String fittedOn;
    private final Map<Term, Double> values;

    private PhysicsCoefficients(String source, String fittedOn, Map<Term, Double> values) {
        this.source = source;
        this.fittedOn = fittedOn;
        this.values = Collections.unmodifiableMap(new EnumMap<>(values));
    }

    /**
     * The built-in coefficients, overridden by the file {@code file} when it is not {@code null} (a relative path is
     * resolved against the working directory).
     *
     * @throws ServesimException (CONFIG, key {@code coefficients}) if the file cannot be read or is invalid
     */
    static PhysicsCoefficients load(String file) {
        Properties builtIn = new Properties();
        try (InputStream in = PhysicsCoefficients.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new ServesimException(ErrorKind.PLUGIN, "the vllm plugin lacks its resource " + RESOURCE);
            }
            builtIn.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ServesimException(ErrorKind.PLUGIN, "cannot read the vllm plugin's " + RESOURCE + ": " + e, e);
        }
        Map<Term, Double> values = new EnumMap<>(Term.class);
        read(builtIn, RESOURCE, values, true);
        String fittedOn = builtIn.getProperty("fitted_on", "");
        String source = RESOURCE;
        if (file != null) {
            Path path = Path.of(file);
            Properties user = new Properties();
            try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
                user.load(reader);
            } catch (IOException e) {
                throw ServesimException.config("coefficients", "cannot read " + path.toAbsolutePath() + ": " + e);
            }
            read(user, path.toAbsolutePath().toString(), values, false);
            fittedOn = user.getProperty("fitted_on", "");
            source = file;
        }
        return new PhysicsCoefficients(source, fittedOn, values);
    }

    private static void read(Properties properties, String where, Map<Term, Double> values, boolean complete) {
        String version = properties.getProperty("version");
        if (!VERSION.equals(version == null ? null : version.trim())) {
            throw ServesimException.config("coefficients", where + " has version " + version + "; this vllm plugin"
                    + " reads version " + VERSION);
        }
        List<String> unknown = new ArrayList<>();
        for (String key : properties.stringPropertyNames()) {
            if (!key.equals("version") && !key.equals("fitted_on") && termOf(key) == null) {
                unknown.add(key);
            }
        }
        if (!unknown.isEmpty()) {
            Collections.sort(unknown);
            throw ServesimException.config("coefficients", where + " has unknown keys " + unknown + "; known: "
                    + keys());
        }
        for (Term term : Term.values()) {
            String text = properties.getProperty(term.key);
            if (text == null) {
                if (complete) {
                    throw new ServesimException(ErrorKind.PLUGIN, where + " lacks " + term.key);
                }
                continue;
            }
            double value;
            try {
                value = Double.parseDouble(text.trim());
            } catch (NumberFormatException e) {
                throw ServesimException.config("coefficients", where + ": " + term.key + " = '" + text
                        + "' is not a number");
            }
            if (!(value >= 0) || Double.isInfinite(value)) {
                throw ServesimException.config("coefficients", where + ": " + term.key + " must be zero or a positive"
                        + " number, got " + text);
            }
            values.put(term, value);
        }
    }

    private static Term termOf(String key) {
        for (Term term : Term.values()) {
            if (term.key.equals(key)) {
                return term;
            }
        }
        return null;
    }

    private static String keys() {
        StringBuilder known = new StringBuilder("version, fitted_on");
        for (Term term : Term.values()) {
            known.append(", ").append(term.key);
        }
        return known.toString();
    }

    double get(Term term) {
        return values.get(term);
    }

    /** Where the coefficients come from: the resource name, or the user's file as configured. */
    String source() {
        return source;
    }

    /** The file's {@code fitted_on} note, e.g. the calibration set and date, or {@code none}. */
    String fittedOn() {
        return fittedOn;
    }
}
