package dev.servesim.engine.common.hardware;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.servesim.api.ServesimException;
import dev.servesim.engine.common.model.Dtype;
import dev.servesim.engine.common.model.EnumValues;
import java.util.List;
import java.util.Locale;

/**
 * One GPU, as the {@code hardware} key gives it: the name of a catalog GPU ({@link #catalog()}), the path of a YAML
 * or JSON file, or a mapping with the fields below, in the same format the built-in catalog is written in (one
 * resource file per GPU, {@code hardware/<name>.yaml}). Peaks are dense datasheet figures (2:4-sparse headline figures
 * halved); {@code efficiency} gives the fractions of them that real kernels reach on this GPU, which the
 * {@code roofline} step time uses as they are and the fitted {@code physics} step time uses relative to the GPU it was
 * fitted on (docs/engine-vllm.md explains each field and where the figures come from).
 *
 * <p>Every component is {@code null} until resolved ({@link #resolve}); a resolved spec has every figure, so the
 * configuration the runner prints and saves shows them.
 *
 * @param name the GPU's name, e.g. {@code H100-SXM-80GB}; a catalog name, alias or file path before resolution
 * @param aliases other accepted names, compared ignoring case (catalog entries)
 * @param memoryGib total device memory as CUDA (torch) reports it, GiB (an "80 GB" H100 reports 79.19); vLLM's
 *     memory budget is a fraction of this figure, and its default limits test it against 70 GiB
 * @param memoryBandwidthTbPerSecond peak device-memory (HBM or GDDR) bandwidth, TB/s (10^12 bytes per second)
 * @param l2CacheMib last-level on-chip cache, MiB (50 on H100): activations of small batches stay in it
 * @param denseTflops dense tensor-core peaks per dtype, TFLOP/s
 * @param interconnect the GPU-to-GPU link that tensor-parallel all-reduces use
 * @param hostLinkGbPerSecond GPU-to-host (PCIe) bandwidth in one direction, GB/s, which CPU KV offloading uses: 64
 *     for PCIe Gen5 x16, 32 for Gen4 x16
 * @param efficiency fractions of the peaks that kernels reach on this GPU
 * @param source where the figures come from (datasheets), free text
 */
public record HardwareSpec(
        String name,
        List<String> aliases,
        Double memoryGib,
        Double memoryBandwidthTbPerSecond,
        Double l2CacheMib,
        DenseTflops denseTflops,
        Interconnect interconnect,
        Double hostLinkGbPerSecond,
        Efficiency efficiency,
        String source) {

    /**
     * Dense tensor-core peaks, TFLOP/s (10^12 floating-point operations per second, one FMA = 2).
     *
     * @param bf16 BF16 peak (required)
     * @param fp16 FP16 peak; default the BF16 peak
     * @param fp8 FP8 peak; 0 (the default) for a GPU without FP8 tensor cores, whose FP8 checkpoints run at the
     *     16-bit peak
     */
    public record DenseTflops(Double bf16, Double fp16, Double fp8) {}

    /**
     * The GPU-to-GPU link.
     *
     * @param name what it is, e.g. {@code NVLink 4 (NVSwitch)}
     * @param topology how the GPUs are linked ({@link Topology}); default {@code switch}
     * @param bandwidthGbPerSecond GB/s per GPU, summed over all links and both directions as vendors quote it
     *     (900 for an H100 SXM); one direction carries half
     * @param links links per GPU (the bandwidth is spread evenly over them)
     * @param latency seconds of one small all-reduce over this link (the fixed part of every collective)
     */
    public record Interconnect(String name, Topology topology, Double bandwidthGbPerSecond, Integer links,
            Double latency) {}

    /** How the GPUs of a node are linked ({@code interconnect.topology}). */
    public enum Topology {
        /** Every GPU reaches every other at the full bandwidth (NVSwitch). */
        SWITCH("switch"),
        /**
         * Point-to-point links, one per peer, so a tensor-parallel group of {@code tp} GPUs uses
         * {@code min(tp - 1, links)} of them (AMD Infinity Fabric).
         */
        MESH("mesh"),
        /** Through the PCIe fabric. */
        PCIE("pcie");

        private final String value;

        Topology(String value) {
            this.value = value;
        }

        /** As written in a GPU description. */
        @JsonValue
        public String value() {
            return value;
        }

        @Override
        public String toString() {
            return value;
        }

        /**
         * The topology {@code text} names, ignoring case.
         *
         * @throws IllegalArgumentException listing the values if it names none
         */
        @JsonCreator
        public static Topology of(String text) {
            return EnumValues.parse(values(), Topology::value, text);
        }
    }

    /**
     * Fractions of the peaks that real kernels reach on this GPU, each in (0, 1].
     *
     * @param gemm large weight GEMMs (cuBLAS/CUTLASS) against the dense tensor-core peak
     * @param attention attention kernels (FlashAttention) against the 16-bit tensor-core peak
     * @param memory streaming reads (weights, KV cache) against the memory bandwidth
     * @param interconnect all-reduce bus bandwidth against one direction of the link
     */
    public record Efficiency(Double gemm, Double attention, Double memory, Double interconnect) {}

    private static final String DEFAULT = "H100-SXM-80GB";
    private static final double TERA = 1e12;
    private static final double GIGA = 1e9;

    public HardwareSpec {
        if (aliases != null) {
            for (String alias : aliases) {
                if (alias == null || alias.isBlank()) {
                    throw ServesimException.config("aliases", "must be a list of names, got an empty one");
                }
            }
            aliases = List.copyOf(aliases);
        }
    }

    /**
     * An unresolved spec naming a catalog GPU or a file: what the {@code hardware} key's text value binds to (Jackson
     * uses this factory for a scalar).
     */
    public static HardwareSpec valueOf(String name) {
        requireNonNull(name, "name is null");
        return new HardwareSpec(name, null, null, null, null, null, null, null, null, null);
    }

    /** Every GPU of the catalog, resolved, in a fixed order. */
    public static List<HardwareSpec> catalog() {
        return HardwareCatalog.entries();
    }

    /**
     * The catalog GPU called {@code name} (canonical name or alias, ignoring case).
     *
     * @throws ServesimException (CONFIG, key {@code hardware}) listing the known names if there is none
     */
    public static HardwareSpec named(String name) {
        requireNonNull(name, "name is null");
        HardwareSpec spec = HardwareCatalog.find(name);
        if (spec == null) {
            throw ServesimException.config("hardware", "unknown GPU '" + name + "'; known: "
                    + HardwareCatalog.names());
        }
        return spec;
    }

    /**
     * The complete spec for what the {@code hardware} key gave: {@code null} for the default GPU, a name (a catalog
     * GPU, else a file, a relative path being resolved against the working directory), or a mapping, whose missing
     * optional fields get their defaults.
     *
     * @throws ServesimException (CONFIG, key {@code hardware} or the field's) if the name is neither, the file cannot
     *     be read, or a figure is missing or out of range
     */
    public static HardwareSpec resolve(HardwareSpec given) {
        if (given == null) {
            return named(DEFAULT);
        }
        if (given.isNameOnly()) {
            HardwareSpec spec = HardwareCatalog.find(given.name);
            return spec != null ? spec : HardwareFiles.read(given.name);
        }
        return HardwareChecks.complete(given, "hardware");
    }

    private boolean isNameOnly() {
        return name != null && aliases == null && memoryGib == null && memoryBandwidthTbPerSecond == null
                && l2CacheMib == null && denseTflops == null && interconnect == null && hostLinkGbPerSecond == null
                && efficiency == null && source == null;
    }

    /** True if {@code text} is this GPU's name or one of its aliases, ignoring case. */
    public boolean isCalled(String text) {
        if (name.equalsIgnoreCase(text)) {
            return true;
        }
        for (String alias : aliases) {
            if (alias.equalsIgnoreCase(text)) {
                return true;
            }
        }
        return false;
    }

    /** Total device memory as CUDA reports it, GiB. */
    public double cudaMemoryGib() {
        return memoryGib;
    }

    /** Peak device-memory bandwidth, bytes per second. */
    public double memoryBytesPerSecond() {
        return memoryBandwidthTbPerSecond * TERA;
    }

    /** Last-level on-chip cache, bytes. */
    public double l2CacheBytes() {
        return l2CacheMib * 1024 * 1024;
    }

    /** Dense BF16/FP16 tensor-core peak, FLOP/s. */
    public double bf16FlopsPerSecond() {
        return denseTflops.bf16() * TERA;
    }

    /** Dense tensor-core peak for weights of {@code dtype}; FP8 falls back to the 16-bit peak without FP8 cores. */
    public double peakFlopsPerSecond(Dtype dtype) {
        return switch (dtype) {
            case FP8 -> denseTflops.fp8() > 0 ? denseTflops.fp8() * TERA : bf16FlopsPerSecond();
            case FP16 -> denseTflops.fp16() * TERA;
            case BF16 -> bf16FlopsPerSecond();
        };
    }

    /** GPU-to-host bandwidth in one direction, bytes per second. */
    public double hostLinkBytesPerSecond() {
        return hostLinkGbPerSecond * GIGA;
    }

    /**
     * Bandwidth in one direction that one GPU of a tensor-parallel group of {@code tp} GPUs has for its collectives,
     * bytes per second, at the link's peak: half the quoted (two-way) figure through a switch or PCIe; on a mesh,
     * one direction of the {@code min(tp - 1, links)} point-to-point links the group uses.
     */
    public double linkBytesPerSecond(int tp) {
        double oneDirection = interconnect.bandwidthGbPerSecond() * GIGA / 2;
        return switch (interconnect.topology()) {
            case MESH -> oneDirection * Math.max(1, Math.min(tp - 1, interconnect.links())) / interconnect.links();
            case SWITCH, PCIE -> oneDirection;
        };
    }

    /** Seconds of the fixed part of one all-reduce over the interconnect. */
    public double collectiveLatencySeconds() {
        return interconnect.latency();
    }

    /**
     * True for the GPUs vLLM gives its large {@code vllm serve} defaults (1024 sequences, 8192 batched tokens): at
     * least 70 GiB of device memory and "a100" not in the device name (vllm/engine/arg_utils.py).
     */
    public boolean largeServingDefaults() {
        return memoryGib >= 70 && !name.toLowerCase(Locale.ROOT).contains("a100");
    }
}
