package dev.servesim.engine.common.steptime;

import static java.util.Objects.requireNonNull;

import dev.servesim.api.ServesimException;
import dev.servesim.engine.common.hardware.HardwareSpec;
import dev.servesim.engine.common.model.Dtype;
import dev.servesim.engine.common.model.ModelSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/**
 * The deployments a coefficients file was fitted on, from its optional {@code calibrated_*} metadata keys, and whether
 * a replica's configuration lies among them. Each key is optional; a key the file leaves out is a dimension of unknown
 * range, never a reason to flag a replica. The context length ({@code calibrated_max_model_len}) is reported, not
 * checked: the replica's {@code max_model_len} defaults to the model's whole context, which would flag almost every
 * deployment, so the planner compares it with the workload's sequence lengths instead.
 *
 * @param hardware GPU names ({@code calibrated_hardware}), compared with the replica's GPU name and aliases; empty if
 *     unknown
 * @param tensorParallelSizes {@code calibrated_tensor_parallel_sizes}; empty if unknown
 * @param pipelineParallelSizes {@code calibrated_pipeline_parallel_sizes}; empty if unknown
 * @param parameters total parameters of the models ({@code calibrated_parameters}, as {@link ModelSpec#parameters()})
 * @param maxModelLen the largest {@code max_model_len} of the runs ({@code calibrated_max_model_len}), 0 if unknown
 * @param maxNumBatchedTokens {@code calibrated_max_num_batched_tokens}
 * @param dtypes weight dtypes ({@code calibrated_dtypes}); empty if unknown
 */
public record CalibratedRange(List<String> hardware, List<Integer> tensorParallelSizes, List<Integer> pipelineParallelSizes,
        Span parameters, int maxModelLen, Span maxNumBatchedTokens, List<Dtype> dtypes) {

    static final String HARDWARE = "calibrated_hardware";
    static final String TENSOR_PARALLEL_SIZES = "calibrated_tensor_parallel_sizes";
    static final String PIPELINE_PARALLEL_SIZES = "calibrated_pipeline_parallel_sizes";
    static final String PARAMETERS = "calibrated_parameters";
    static final String MAX_MODEL_LEN = "calibrated_max_model_len";
    static final String MAX_NUM_BATCHED_TOKENS = "calibrated_max_num_batched_tokens";
    static final String DTYPES = "calibrated_dtypes";
    /** The metadata keys, in the order a coefficients file lists them. */
    static final List<String> KEYS = List.of(HARDWARE, TENSOR_PARALLEL_SIZES, PIPELINE_PARALLEL_SIZES, PARAMETERS,
            MAX_MODEL_LEN, MAX_NUM_BATCHED_TOKENS, DTYPES);

    /** A file without any of the keys. */
    public static final CalibratedRange UNKNOWN = new CalibratedRange(List.of(), List.of(), List.of(), Span.UNKNOWN, 0,
            Span.UNKNOWN, List.of());

    /** The smallest and largest value of a dimension, both included. */
    public record Span(long min, long max) {

        /** A dimension the coefficients file gives no range of. */
        public static final Span UNKNOWN = new Span(0, Long.MAX_VALUE);

        boolean known() {
            return !equals(UNKNOWN);
        }

        boolean contains(long value) {
            return value >= min && value <= max;
        }
    }

    public CalibratedRange {
        hardware = List.copyOf(hardware);
        tensorParallelSizes = List.copyOf(tensorParallelSizes);
        pipelineParallelSizes = List.copyOf(pipelineParallelSizes);
        requireNonNull(parameters, "parameters is null");
        requireNonNull(maxNumBatchedTokens, "maxNumBatchedTokens is null");
        dtypes = List.copyOf(dtypes);
    }

    /**
     * The range the {@code calibrated_*} keys of {@code properties} give, read from the coefficients file
     * {@code where}.
     *
     * @throws ServesimException (CONFIG, key {@code coefficients}) if a value is malformed
     */
    static CalibratedRange read(Properties properties, String where) {
        List<String> hardware = new ArrayList<>();
        for (String name : items(properties, HARDWARE)) {
            hardware.add(name);
        }
        List<Dtype> dtypes = new ArrayList<>();
        for (String name : items(properties, DTYPES)) {
            try {
                dtypes.add(Dtype.of(name));
            } catch (IllegalArgumentException e) {
                throw malformed(where, DTYPES, properties, "a list of dtypes: " + e.getMessage());
            }
        }
        List<Long> maxModelLen = numbers(properties, MAX_MODEL_LEN, where);
        if (maxModelLen.size() > 1 || maxModelLen.size() == 1 && maxModelLen.get(0) > Integer.MAX_VALUE) {
            throw malformed(where, MAX_MODEL_LEN, properties, "one number of tokens");
        }
        return new CalibratedRange(hardware, sizes(properties, TENSOR_PARALLEL_SIZES, where),
                sizes(properties, PIPELINE_PARALLEL_SIZES, where), span(properties, PARAMETERS, where),
                maxModelLen.isEmpty() ? 0 : maxModelLen.get(0).intValue(),
                span(properties, MAX_NUM_BATCHED_TOKENS, where), dtypes);
    }

    /**
     * Empty if the replica lies within the range (a dimension of unknown range never counts against it), else
     * "outside the calibrated range: " and what lies outside, joined by "; ". The deployment is given by the engine's
     * configuration, resolved: its GPU, weight dtype, parallel sizes and token budget per step (vLLM's
     * {@code max_num_batched_tokens}).
     */
    public String check(ModelSpec model, HardwareSpec gpu, Dtype dtype, int tensorParallelSize,
            int pipelineParallelSize, int maxNumBatchedTokens) {
        List<String> reasons = new ArrayList<>();
        if (!hardware.isEmpty() && hardware.stream().noneMatch(gpu::isCalled)) {
            reasons.add("hardware " + gpu.name() + " (calibrated on " + String.join(",", hardware) + ")");
        }
        if (!dtypes.isEmpty() && !dtypes.contains(dtype)) {
            reasons.add("dtype " + dtype.value() + " (calibrated " + join(dtypes) + ")");
        }
        if (!tensorParallelSizes.isEmpty() && !tensorParallelSizes.contains(tensorParallelSize)) {
            reasons.add("tensor_parallel_size " + tensorParallelSize + " (calibrated "
                    + join(tensorParallelSizes) + ")");
        }
        if (!pipelineParallelSizes.isEmpty() && !pipelineParallelSizes.contains(pipelineParallelSize)) {
            reasons.add("pipeline_parallel_size " + pipelineParallelSize + " (calibrated "
                    + join(pipelineParallelSizes) + ")");
        }
        if (parameters.known() && !parameters.contains(model.parameters())) {
            reasons.add(billions(model.parameters()) + " parameters (calibrated " + billions(parameters.min()) + "-"
                    + billions(parameters.max()) + ")");
        }
        if (this.maxNumBatchedTokens.known() && !this.maxNumBatchedTokens.contains(maxNumBatchedTokens)) {
            reasons.add("max_num_batched_tokens " + maxNumBatchedTokens + " (calibrated "
                    + this.maxNumBatchedTokens.min() + "-" + this.maxNumBatchedTokens.max() + ")");
        }
        return reasons.isEmpty() ? "" : "outside the calibrated range: " + String.join("; ", reasons);
    }

    private static String billions(long parameters) {
        return String.format(Locale.ROOT, "%.1fB", parameters / 1e9);
    }

    private static String join(List<?> values) {
        List<String> texts = new ArrayList<>();
        for (Object value : values) {
            texts.add(value.toString());
        }
        return String.join(",", texts);
    }

    private static List<String> items(Properties properties, String key) {
        String text = properties.getProperty(key);
        List<String> items = new ArrayList<>();
        if (text == null) {
            return items;
        }
        for (String item : text.split(",")) {
            if (!item.isBlank()) {
                items.add(item.trim());
            }
        }
        return items;
    }

    private static List<Long> numbers(Properties properties, String key, String where) {
        List<Long> numbers = new ArrayList<>();
        for (String item : items(properties, key)) {
            try {
                long number = Long.parseLong(item);
                if (number < 1) {
                    throw malformed(where, key, properties, "positive whole numbers");
                }
                numbers.add(number);
            } catch (NumberFormatException e) {
                throw malformed(where, key, properties, "whole numbers");
            }
        }
        return numbers;
    }

    private static List<Integer> sizes(Properties properties, String key, String where) {
        List<Integer> sizes = new ArrayList<>();
        for (long number : numbers(properties, key, where)) {
            if (number > Integer.MAX_VALUE) {
                throw malformed(where, key, properties, "a list of sizes");
            }
            sizes.add((int) number);
        }
        return sizes;
    }

    private static Span span(Properties properties, String key, String where) {
        List<Long> bounds = numbers(properties, key, where);
        if (bounds.isEmpty()) {
            return Span.UNKNOWN;
        }
        if (bounds.size() != 2 || bounds.get(0) > bounds.get(1)) {
            throw malformed(where, key, properties, "the smallest and the largest value, min,max");
        }
        return new Span(bounds.get(0), bounds.get(1));
    }

    private static ServesimException malformed(String where, String key, Properties properties, String expected) {
        return ServesimException.config("coefficients", where + ": " + key + " must be " + expected + ", got '"
                + properties.getProperty(key) + "'");
    }
}
