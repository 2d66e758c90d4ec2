package dev.servesim.engine.common.hardware;

import dev.servesim.api.ServesimException;
import dev.servesim.engine.common.hardware.HardwareSpec.DenseTflops;
import dev.servesim.engine.common.hardware.HardwareSpec.Efficiency;
import dev.servesim.engine.common.hardware.HardwareSpec.Interconnect;
import dev.servesim.engine.common.hardware.HardwareSpec.Topology;
import java.util.List;

/**
 * Completes GPU descriptions with the defaults of their optional fields and checks every figure, naming the key of
 * the first bad one. The built-in catalog, users' files and mappings go through the same checks.
 */
final class HardwareChecks {

    /** Defaults of a description without {@code efficiency}: the Hopper figures (docs/engine-vllm.md). */
    static final Efficiency DEFAULT_EFFICIENCY = new Efficiency(0.72, 0.6, 0.88, 0.8);
    /** The L2 cache of a Hopper GPU. */
    static final double DEFAULT_L2_CACHE_MIB = 50;
    /** PCIe Gen4 x16, one direction. */
    static final double DEFAULT_HOST_LINK_GB_PER_SECOND = 32;
    /** An all-reduce through PCIe and host memory (NCCL without NVLink): tens of microseconds. */
    static final double PCIE_LATENCY_SECONDS = 25e-6;
    /**
     * Bounds of every figure in its unit (GiB, TB/s, TFLOP/s, GB/s, MiB): beyond them a figure is a typo, and a figure
     * like 1e-320 TB/s would make a step last forever instead of failing here with its key.
     */
    static final double MIN_FIGURE = 1e-3;
    static final double MAX_FIGURE = 1e6;
    /** At most 16 TiB of device memory: far above any GPU, and a KV pool the simulator can still hold. */
    static final double MAX_MEMORY_GIB = 16_384;

    private HardwareChecks() {}

    /**
     * {@code spec} with its optional fields defaulted, every figure checked.
     *
     * @param prefix the key path of the spec, e.g. {@code hardware}, or empty inside a file
     * @throws ServesimException (CONFIG, key {@code prefix.field}) naming the first missing or bad figure
     */
    static HardwareSpec complete(HardwareSpec spec, String prefix) {
        String at = prefix.isEmpty() ? "" : prefix + ".";
        if (spec.name() == null || spec.name().isBlank()) {
            throw ServesimException.config(at + "name", "is required (the GPU's name)");
        }
        double memory = positive(at + "memory_gib", spec.memoryGib(),
                "total device memory in GiB as CUDA reports it, e.g. 79.19 for an H100 80GB");
        if (memory > MAX_MEMORY_GIB) {
            throw ServesimException.config(at + "memory_gib", "must be at most " + (int) MAX_MEMORY_GIB
                    + " GiB, got " + memory);
        }
        double bandwidth = positive(at + "memory_bandwidth_tb_per_second", spec.memoryBandwidthTbPerSecond(),
                "peak memory bandwidth in TB/s, e.g. 3.35");
        double l2 = spec.l2CacheMib() == null ? DEFAULT_L2_CACHE_MIB
                : positive(at + "l2_cache_mib", spec.l2CacheMib(), "MiB");
        DenseTflops peaks = spec.denseTflops();
        if (peaks == null) {
            throw ServesimException.config(at + "dense_tflops", "is required: a mapping with bf16 (and fp16, fp8),"
                    + " dense tensor-core TFLOP/s, e.g. {bf16: 989.4, fp8: 1978.9}");
        }
        double bf16 = positive(at + "dense_tflops.bf16", peaks.bf16(), "dense BF16 TFLOP/s");
        double fp16 = peaks.fp16() == null ? bf16 : positive(at + "dense_tflops.fp16", peaks.fp16(), "TFLOP/s");
        double fp8 = peaks.fp8() == null ? 0 : nonNegative(at + "dense_tflops.fp8", peaks.fp8());
        if (fp8 > 0) {
            inRange(at + "dense_tflops.fp8", fp8);
        }
        double hostLink = spec.hostLinkGbPerSecond() == null ? DEFAULT_HOST_LINK_GB_PER_SECOND
                : positive(at + "host_link_gb_per_second", spec.hostLinkGbPerSecond(), "GB/s");
        Interconnect link = interconnect(spec.interconnect(), hostLink, at + "interconnect.");
        Efficiency efficiency = efficiency(spec.efficiency(), at + "efficiency.");
        return new HardwareSpec(spec.name(), spec.aliases() == null ? List.of() : spec.aliases(), memory, bandwidth,
                l2, new DenseTflops(bf16, fp16, fp8), link, hostLink, efficiency,
                spec.source() == null ? "" : spec.source());
    }

    private static Interconnect interconnect(Interconnect given, double hostLinkGbPerSecond, String at) {
        if (given == null) {
            // no GPU-to-GPU link given: collectives go through PCIe
            return new Interconnect("PCIe (no GPU-to-GPU link given)", Topology.PCIE, 2 * hostLinkGbPerSecond, 1,
                    PCIE_LATENCY_SECONDS);
        }
        Topology topology = given.topology() == null ? Topology.SWITCH : given.topology();
        double bandwidth = positive(at + "bandwidth_gb_per_second", given.bandwidthGbPerSecond(),
                "GB/s per GPU over all links and both directions, e.g. 900 for NVLink 4");
        int links = given.links() == null ? 1 : given.links();
        if (links < 1) {
            throw ServesimException.config(at + "links", "must be at least 1, got " + links);
        }
        double latency = given.latency() == null ? (topology == Topology.PCIE ? PCIE_LATENCY_SECONDS : 8e-6)
                : nonNegative(at + "latency", given.latency());
        if (latency > 1) {
            throw ServesimException.config(at + "latency", "is in seconds and must be at most 1, got " + latency);
        }
        return new Interconnect(given.name() == null ? topology.value() : given.name(), topology, bandwidth, links,
                latency);
    }

    private static Efficiency efficiency(Efficiency given, String at) {
        if (given == null) {
            return DEFAULT_EFFICIENCY;
        }
        return new Efficiency(
                fraction(at + "gemm", given.gemm(), DEFAULT_EFFICIENCY.gemm()),
                fraction(at + "attention", given.attention(), DEFAULT_EFFICIENCY.attention()),
                fraction(at + "memory", given.memory(), DEFAULT_EFFICIENCY.memory()),
                fraction(at + "interconnect", given.interconnect(), DEFAULT_EFFICIENCY.interconnect()));
    }

    private static double fraction(String key, Double value, double defaultValue) {
        if (value == null) {
            return defaultValue;
        }
        if (!(value > 0 && value <= 1)) {
            throw ServesimException.config(key, "must be in (0, 1] (a fraction of the peak), got " + value);
        }
        return value;
    }

    private static double positive(String key, Double value, String what) {
        if (value == null) {
            throw ServesimException.config(key, "is required (" + what + ")");
        }
        if (!(value > 0) || Double.isInfinite(value)) {
            throw ServesimException.config(key, "must be a positive number, got " + value);
        }
        return inRange(key, value);
    }

    private static double nonNegative(String key, Double value) {
        if (!(value >= 0) || Double.isInfinite(value)) {
            throw ServesimException.config(key, "must be zero or a positive number, got " + value);
        }
        return value;
    }

    private static double inRange(String key, double value) {
        if (value < MIN_FIGURE || value > MAX_FIGURE) {
            throw ServesimException.config(key, "must be between 0.001 and 1000000 in its unit, got " + value);
        }
        return value;
    }
}
