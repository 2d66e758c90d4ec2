package dev.servesim.engine.common.steptime;

import dev.servesim.api.ErrorKind;
import dev.servesim.api.ServesimException;
import dev.servesim.engine.common.hardware.HardwareSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;
import java.util.Properties;

/**
 * The coefficients of the vllm engine's step-time formula (docs/engine-vllm.md, section Step time), by their key in a
 * coefficients file ({@code coefficients:}): fixed costs in seconds, each standing for a hardware or vLLM mechanism,
 * and efficiencies, fractions in (0, 1] of the GPU's peaks; the efficiencies and the all-reduce latency depend on
 * the GPU. {@link #physicalDefault} gives the value the
 * {@code roofline} step time uses and the calibration regularises toward.
 */
public enum StepTimeTerm {
    /**
     * Per engine step, whatever the batch: sampling, the CUDA graph launch, input and output copies, and the part of
     * the scheduler's CPU work that asynchronous scheduling does not hide.
     */
    STEP_OVERHEAD_SECONDS("step_overhead_seconds", 3e-4),
    /**
     * Per decoder layer per step: the fixed latency of the layer's dozen kernels (launch gaps inside the CUDA graph,
     * small kernels' ramp and tail), paid however little data they move.
     */
    LAYER_OVERHEAD_SECONDS("layer_overhead_seconds", 2e-5),
    /** Per request in the batch per step: its attention metadata, block table and sampling row. */
    REQUEST_OVERHEAD_SECONDS("request_overhead_seconds", 5e-6),
    /** Per MoE layer per step: routing (softmax, top-k), vLLM's moe_align_block_size and the token permutation. */
    MOE_LAYER_OVERHEAD_SECONDS("moe_layer_overhead_seconds", 3e-5),
    /**
     * Per tensor-parallel all-reduce (two per layer): the collective's fixed latency (vLLM's custom all-reduce over
     * NVLink, NCCL over PCIe); the bytes are timed apart at the link's bandwidth. Its default is the GPU's
     * {@code interconnect.latency}.
     */
    ALL_REDUCE_LATENCY_SECONDS("all_reduce_latency_seconds", Double.NaN),
    /** Weight GEMMs against the dense tensor-core peak. */
    GEMM_EFFICIENCY("gemm_efficiency", Double.NaN),
    /** Attention kernels (FlashAttention) against the 16-bit tensor-core peak. */
    ATTENTION_EFFICIENCY("attention_efficiency", Double.NaN),
    /** Weight reads and activation traffic against the memory bandwidth. */
    WEIGHT_READ_EFFICIENCY("weight_read_efficiency", Double.NaN),
    /** KV cache reads (paged, 16-token blocks) against the memory bandwidth. */
    KV_READ_EFFICIENCY("kv_read_efficiency", Double.NaN),
    /**
     * From a request's arrival to its entry into the engine's waiting queue: the API server's parsing and
     * tokenization and the hand-over to the engine core process.
     */
    ARRIVAL_OVERHEAD_SECONDS("arrival_overhead_seconds", 3e-3),
    /** The same per prompt token (tokenization); 0 by default. */
    ARRIVAL_OVERHEAD_SECONDS_PER_PROMPT_TOKEN("arrival_overhead_seconds_per_prompt_token", 0),
    /** From the end of the step that produced a token to the client: detokenization and streaming. */
    OUTPUT_OVERHEAD_SECONDS("output_overhead_seconds", 1e-3);

    /** The file name of the built-in set of coefficients. */
    public static final String BUILT_IN_FILE = "physics-coefficients-v4.properties";

    private final String key;
    private final double seconds;

    StepTimeTerm(String key, double seconds) {
        this.key = key;
        this.seconds = seconds;
    }

    /** The key in a coefficients file. */
    public String key() {
        return key;
    }

    /** True for the four efficiencies, fractions of a peak in (0, 1]; false for the costs in seconds. */
    public boolean isEfficiency() {
        return Double.isNaN(seconds) && this != ALL_REDUCE_LATENCY_SECONDS;
    }

    /**
     * True for the terms whose value depends on the GPU: the efficiencies and the all-reduce latency. A fitted value
     * carries over to another GPU in proportion to the two GPUs' own figures.
     */
    public boolean isHardwareRelative() {
        return Double.isNaN(seconds);
    }

    /**
     * The value without fitting: for a cost, its physical estimate (the comments above); for an efficiency, the GPU's
     * own figure from its {@code efficiency} field (memory for weight and KV reads).
     */
    public double physicalDefault(HardwareSpec hardware) {
        return switch (this) {
            case GEMM_EFFICIENCY -> hardware.efficiency().gemm();
            case ATTENTION_EFFICIENCY -> hardware.efficiency().attention();
            case WEIGHT_READ_EFFICIENCY, KV_READ_EFFICIENCY -> hardware.efficiency().memory();
            case ALL_REDUCE_LATENCY_SECONDS -> hardware.collectiveLatencySeconds();
            default -> seconds;
        };
    }

    /**
     * The built-in value of every term: the fitted set the {@code physics} step time uses when no {@code coefficients}
     * file is configured, as its file gives it (efficiencies and all-reduce latency on its reference GPU,
     * H100-SXM-80GB). {@code servesim calibrate --traces} starts from it and pulls its fits toward it.
     */
    public static Map<StepTimeTerm, Double> builtIn() {
        Properties properties = builtInFile();
        Map<StepTimeTerm, Double> values = new EnumMap<>(StepTimeTerm.class);
        for (StepTimeTerm term : values()) {
            values.put(term, Double.parseDouble(properties.getProperty(term.key).trim()));
        }
        return values;
    }

    /**
     * The file of the built-in set ({@value #BUILT_IN_FILE}, a resource of this module), as read: the terms and its
     * {@code fitted_on} and {@code reference_hardware}.
     */
    public static Properties builtInFile() {
        String resource = "/dev/servesim/engine/common/steptime/" + BUILT_IN_FILE;
        Properties properties = new Properties();
        try (InputStream in = StepTimeTerm.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new ServesimException(ErrorKind.PLUGIN, "servesim-engine-common lacks its resource " + resource);
            }
            properties.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new ServesimException(ErrorKind.PLUGIN, "cannot read servesim-engine-common's " + resource + ": " + e, e);
        }
        return properties;
    }

    /** The term whose key is {@code key}, or {@code null}. */
    public static StepTimeTerm ofKey(String key) {
        for (StepTimeTerm term : values()) {
            if (term.key.equals(key)) {
                return term;
            }
        }
        return null;
    }
}
