package dev.servesim.engine.vllm.config;

import static java.util.Objects.requireNonNull;

import dev.servesim.api.ServesimException;
import java.util.List;
import java.util.Locale;

/**
 * One GPU model of the hardware catalog that the {@code hardware} key names. Peaks are dense datasheet figures
 * (vendor documents; 2:4-sparse headline figures halved); real kernels reach a fraction of them, which the
 * {@code mfu} and {@code mbu} keys express.
 *
 * @param name canonical catalog name, e.g. {@code H100-SXM-80GB}
 * @param aliases other accepted names, compared ignoring case
 * @param memoryGigabytes capacity as marketed, decimal GB (80 for an H100 80GB)
 * @param cudaMemoryGib total device memory as CUDA (torch) reports it, GiB; vLLM's memory budget is a fraction of
 *     this figure, and its default limits test it against 70 GiB
 * @param hbmBytesPerSecond peak device-memory bandwidth
 * @param bf16FlopsPerSecond dense BF16/FP16 tensor-core peak
 * @param fp8FlopsPerSecond dense FP8 tensor-core peak, 0 if the GPU has no FP8 tensor cores
 * @param interconnectBytesPerSecond GPU-to-GPU bandwidth per GPU, summed over links and both directions as vendors
 *     quote it (NVLink 900 GB/s on H100); one direction carries half
 * @param hostLinkBytesPerSecond GPU-to-host (PCIe) bandwidth in one direction, which CPU KV offloading uses:
 *     64 GB/s for PCIe Gen5 x16, 32 GB/s for Gen4 x16
 */
public record HardwareSpec(
        String name,
        List<String> aliases,
        double memoryGigabytes,
        double cudaMemoryGib,
        double hbmBytesPerSecond,
        double bf16FlopsPerSecond,
        double fp8FlopsPerSecond,
        double interconnectBytesPerSecond,
        double hostLinkBytesPerSecond) {

    private static final double TERA = 1e12;
    private static final double GIGA = 1e9;
    /** PCIe Gen5 x16, one direction (128 GB/s both directions). */
    private static final double PCIE_GEN5 = 64 * GIGA;
    /** PCIe Gen4 x16, one direction (64 GB/s both directions). */
    private static final double PCIE_GEN4 = 32 * GIGA;

    // Datasheet figures as compiled in the project's calibration notes (dense peaks). cudaMemoryGib is what CUDA
    // reports as total memory (vLLM's "total_gpu_memory"): H100 79.19 and A100-40GB 39.50 appear in public vLLM
    // logs; the others are nvidia-smi totals less the ~0.5 GiB the driver keeps, so approximate. Host links are the
    // PCIe generation of each part's datasheet (B200's host link varies by platform: Gen5 assumed).
    private static final List<HardwareSpec> CATALOG = List.of(
            new HardwareSpec("H100-SXM-80GB", List.of("H100", "H100-SXM", "H100-SXM5-80GB", "NVIDIA-H100-80GB-HBM3"),
                    80, 79.19, 3.35 * TERA, 989.4 * TERA, 1978.9 * TERA, 900 * GIGA, PCIE_GEN5),
            new HardwareSpec("H200-SXM-141GB", List.of("H200", "H200-SXM"),
                    141, 139.8, 4.8 * TERA, 989.4 * TERA, 1978.9 * TERA, 900 * GIGA, PCIE_GEN5),
            new HardwareSpec("A100-SXM-80GB", List.of("A100-80GB", "A100-80", "A100-SXM", "A100-SXM4-80GB"),
                    80, 79.15, 2.039 * TERA, 312 * TERA, 0, 600 * GIGA, PCIE_GEN4),
            new HardwareSpec("A100-SXM-40GB", List.of("A100-40GB", "A100-40", "A100-SXM4-40GB"),
                    40, 39.50, 1.555 * TERA, 312 * TERA, 0, 600 * GIGA, PCIE_GEN4),
            new HardwareSpec("L40S", List.of("L40S-48GB"),
                    48, 44.52, 0.864 * TERA, 362.05 * TERA, 733 * TERA, 64 * GIGA, PCIE_GEN4),
            new HardwareSpec("B200", List.of("B200-SXM", "HGX-B200"),
                    180, 178.4, 8.0 * TERA, 2250 * TERA, 4500 * TERA, 1800 * GIGA, PCIE_GEN5),
            new HardwareSpec("MI300X", List.of("AMD-Instinct-MI300X"),
                    192, 191.5, 5.3 * TERA, 1307.4 * TERA, 2614.9 * TERA, 896 * GIGA, PCIE_GEN5));

    public HardwareSpec {
        requireNonNull(name, "name is null");
        aliases = List.copyOf(aliases);
        if (!(cudaMemoryGib > 0 && hbmBytesPerSecond > 0 && bf16FlopsPerSecond > 0 && interconnectBytesPerSecond > 0
                && hostLinkBytesPerSecond > 0) || fp8FlopsPerSecond < 0) {
            throw new IllegalArgumentException("hardware " + name + " needs positive memory, bandwidth and peaks");
        }
    }

    /** Every GPU of the catalog, in a fixed order. */
    public static List<HardwareSpec> catalog() {
        return CATALOG;
    }

    /**
     * The GPU called {@code name} (canonical name or alias, ignoring case).
     *
     * @throws ServesimException (CONFIG, key {@code hardware}) listing the known names if there is none
     */
    public static HardwareSpec named(String name) {
        requireNonNull(name, "name is null");
        for (HardwareSpec spec : CATALOG) {
            if (spec.name.equalsIgnoreCase(name)) {
                return spec;
            }
            for (String alias : spec.aliases) {
                if (alias.equalsIgnoreCase(name)) {
                    return spec;
                }
            }
        }
        StringBuilder known = new StringBuilder();
        for (HardwareSpec spec : CATALOG) {
            known.append(known.length() == 0 ? "" : ", ").append(spec.name);
        }
        throw ServesimException.config("hardware", "unknown GPU '" + name + "'; known: " + known);
    }

    /**
     * True for the GPUs vLLM gives its large {@code vllm serve} defaults (1024 sequences, 8192 batched tokens): at
     * least 70 GiB of device memory and "a100" not in the device name (vllm/engine/arg_utils.py).
     */
    public boolean largeServingDefaults() {
        return cudaMemoryGib >= 70 && !name.toLowerCase(Locale.ROOT).contains("a100");
    }

    /** Dense tensor-core peak for weights of {@code dtype}; FP8 falls back to the 16-bit peak without FP8 cores. */
    public double peakFlopsPerSecond(String dtype) {
        if (dtype.equals("fp8") && fp8FlopsPerSecond > 0) {
            return fp8FlopsPerSecond;
        }
        return bf16FlopsPerSecond;
    }
}
