package dev.servesim.calibration;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The physics coefficients the calibration fits, as a point of R^n: coefficient i = start_i * exp(x_i) with x_i in
 * [-LIMIT, LIMIT], so every coefficient stays positive (no negative costs) and within a factor e^LIMIT of a
 * physically meaningful start. On request ({@code --peak-floor}) the coefficients that multiply an ideal time at the
 * hardware's peak (FLOP/s, bandwidth, link) are also kept at 1 or more ({@link #lowerBound}): no kernel beats its
 * peak. Weight reads and weight GEMMs are one physical cost whatever layer they belong to, so
 * the routed experts and the LM head follow the linear layers' two coefficients ({@link #TIED}): a model family
 * absent from the fit (the only MoE model, when it is held out) is then predicted from its shapes rather than from a
 * coefficient no run constrained. The other keys keep the built-in version 1 values.
 */
public final class CoefficientSpace {

    /** Bound of every x_i: coefficients move at most a factor e^3 (about 20) from their start. */
    public static final double LIMIT = 3.0;

    /** The built-in physics-coefficients-v1 values (engine-vllm), in the file's order. */
    static final Map<String, Double> V1 = v1();

    /** Fitted keys and their starting values (the zero-valued overheads of v1 start at small positive values). */
    static final Map<String, Double> FITTED = fitted();

    /** Keys that take the value of a fitted key, and that key. */
    static final Map<String, String> TIED = Map.of(
            "moe_compute", "linear_compute",
            "moe_memory", "linear_memory",
            "lm_head_compute", "linear_compute",
            "lm_head_memory", "linear_memory");

    private CoefficientSpace() {}

    /** Fitted keys that scale an ideal time at a hardware peak, so cannot go below 1. */
    static final List<String> AT_LEAST_PEAK = List.of("linear_compute", "linear_memory", "prefill_attention_compute",
            "decode_attention_memory", "all_reduce");

    /**
     * The lowest x_i: -LIMIT, or with {@code peakFloor} where coefficient i reaches 1 if it scales a time at peak.
     */
    public static double lowerBound(int i, boolean peakFloor) {
        String key = names().get(i);
        double start = FITTED.get(key);
        return peakFloor && AT_LEAST_PEAK.contains(key) ? Math.max(-LIMIT, Math.log(1.0 / start)) : -LIMIT;
    }

    public static List<String> names() {
        return List.copyOf(FITTED.keySet());
    }

    public static int dimension() {
        return FITTED.size();
    }

    /** All coefficients (fitted and fixed) at point {@code x}. */
    public static Map<String, Double> coefficients(double[] x) {
        Map<String, Double> values = new LinkedHashMap<>(V1);
        int i = 0;
        for (Map.Entry<String, Double> entry : FITTED.entrySet()) {
            values.put(entry.getKey(), entry.getValue() * Math.exp(x[i++]));
        }
        TIED.forEach((key, leader) -> values.put(key, values.get(leader)));
        return values;
    }

    /**
     * Writes the coefficients at {@code x} in the engine's {@code coefficients:} format, after {@code comments}, with
     * {@code fittedOn} as the {@code fitted_on} note.
     */
    public static void write(double[] x, Path file, List<String> comments, String fittedOn) throws IOException {
        StringBuilder text = new StringBuilder();
        comments.forEach(line -> text.append("# ").append(line).append('\n'));
        text.append("version=1\n");
        text.append("fitted_on=").append(fittedOn).append('\n');
        for (Map.Entry<String, Double> entry : coefficients(x).entrySet()) {
            text.append(entry.getKey()).append('=').append(String.format(Locale.ROOT, "%.6g", entry.getValue()))
                    .append('\n');
        }
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Files.writeString(file, text.toString());
    }

    private static Map<String, Double> v1() {
        Map<String, Double> values = new LinkedHashMap<>();
        values.put("step_overhead_seconds", 0.0005);
        values.put("request_overhead_seconds", 0.0);
        values.put("token_overhead_seconds", 0.0);
        for (String part : List.of("linear", "moe", "lm_head", "prefill_attention", "decode_attention")) {
            values.put(part + "_compute", 2.0);
            values.put(part + "_memory", 1.25);
        }
        values.put("all_reduce", 1.0);
        values.put("pipeline_transfer", 1.0);
        values.put("arrival_overhead_seconds", 0.0);
        values.put("arrival_overhead_seconds_per_prompt_token", 0.0);
        values.put("output_overhead_seconds", 0.0);
        return java.util.Collections.unmodifiableMap(values);
    }

    private static Map<String, Double> fitted() {
        Map<String, Double> start = new LinkedHashMap<>();
        start.put("step_overhead_seconds", 0.0005);
        start.put("request_overhead_seconds", 0.00002);
        start.put("linear_compute", 2.0);
        start.put("linear_memory", 1.25);
        start.put("prefill_attention_compute", 2.0);
        start.put("decode_attention_memory", 1.25);
        start.put("all_reduce", 1.0);
        start.put("arrival_overhead_seconds", 0.005);
        start.put("output_overhead_seconds", 0.002);
        return java.util.Collections.unmodifiableMap(start);
    }
}
