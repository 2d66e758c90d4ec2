package dev.servesim.engine.common.hardware;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.servesim.api.ErrorKind;
import dev.servesim.api.ServesimException;
import dev.servesim.engine.common.hardware.HardwareSpec.DenseTflops;
import dev.servesim.engine.common.hardware.HardwareSpec.Efficiency;
import dev.servesim.engine.common.hardware.HardwareSpec.Interconnect;
import dev.servesim.engine.common.hardware.HardwareSpec.Topology;
import dev.servesim.engine.common.model.Dtype;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HardwareSpecTest {

    private static final List<String> CATALOG = List.of("H100-SXM-80GB", "H200-SXM-141GB", "H20", "A100-SXM-80GB",
            "A100-SXM-40GB", "L40S", "L4", "A10G", "B200", "MI300X");

    @TempDir
    Path folder;

    @Test
    void everyCatalogEntryLoadsCompleteWithItsInterconnect() {
        assertThat(HardwareSpec.catalog()).extracting(HardwareSpec::name).containsExactlyElementsOf(CATALOG);

        for (HardwareSpec gpu : HardwareSpec.catalog()) {
            String name = gpu.name();
            assertThat(gpu.aliases()).as(name).isNotNull().doesNotContainNull();
            assertThat(List.of(gpu.memoryGib(), gpu.memoryBandwidthTbPerSecond(), gpu.l2CacheMib(),
                    gpu.denseTflops().bf16(), gpu.denseTflops().fp16(), gpu.hostLinkGbPerSecond(),
                    gpu.interconnect().bandwidthGbPerSecond())).as(name).allSatisfy(figure -> assertThat(figure)
                    .isPositive().isFinite());
            assertThat(gpu.denseTflops().fp8()).as(name).isGreaterThanOrEqualTo(0.0);
            assertThat(gpu.interconnect().topology()).as(name).isNotNull();
            // every entry says which link it has: an NVLink generation, PCIe, or AMD's Infinity Fabric
            assertThat(gpu.interconnect().name()).as(name).containsAnyOf("NVLink ", "PCIe Gen", "Infinity Fabric");
            assertThat(gpu.interconnect().links()).as(name).isPositive();
            assertThat(gpu.interconnect().latency()).as(name).isPositive().isLessThan(1e-4);
            Efficiency efficiency = gpu.efficiency();
            assertThat(List.of(efficiency.gemm(), efficiency.attention(), efficiency.memory(),
                    efficiency.interconnect())).as(name).allSatisfy(fraction -> assertThat(fraction)
                    .isGreaterThan(0.0).isLessThanOrEqualTo(1.0));
            assertThat(gpu.source()).as(name).isNotBlank();
            // the files hold resolved figures: completing them again changes nothing
            assertThat(HardwareSpec.resolve(gpu)).as(name).isEqualTo(gpu);
            assertThat(HardwareSpec.named(name)).isSameAs(gpu);
        }
    }

    @Test
    void noNameOrAliasIsSharedBetweenCatalogEntries() {
        List<String> names = new ArrayList<>();
        for (HardwareSpec gpu : HardwareSpec.catalog()) {
            names.add(gpu.name().toLowerCase(Locale.ROOT));
            gpu.aliases().forEach(alias -> names.add(alias.toLowerCase(Locale.ROOT)));
        }

        assertThat(names).doesNotHaveDuplicates();
    }

    @Test
    void theNewGpusCarryTheirDatasheetFigures() {
        HardwareSpec l4 = HardwareSpec.named("L4");
        assertThat(List.of(l4.memoryBandwidthTbPerSecond(), l4.denseTflops().bf16(), l4.denseTflops().fp8()))
                .containsExactly(0.3, 121.0, 242.5);
        assertThat(l4.interconnect().topology()).isEqualTo(Topology.PCIE);

        HardwareSpec a10g = HardwareSpec.named("A10G");
        assertThat(List.of(a10g.memoryBandwidthTbPerSecond(), a10g.denseTflops().bf16(), a10g.denseTflops().fp8()))
                .containsExactly(0.6, 125.0, 0.0);
        assertThat(a10g.source()).contains("publishes an A10G datasheet", "low confidence");

        HardwareSpec h20 = HardwareSpec.named("H20");
        assertThat(List.of(h20.memoryBandwidthTbPerSecond(), h20.denseTflops().bf16(), h20.denseTflops().fp8(),
                h20.interconnect().bandwidthGbPerSecond())).containsExactly(4.0, 148.0, 296.0, 900.0);
        assertThat(h20.interconnect().name()).startsWith("NVLink 4");

        HardwareSpec mi300x = HardwareSpec.named("MI300X");
        assertThat(mi300x.interconnect().topology()).isEqualTo(Topology.MESH);
        assertThat(mi300x.interconnect().links()).isEqualTo(7);
        assertThat(mi300x.denseTflops().bf16()).isEqualTo(1307.4);
    }

    @Test
    void namesAndAliasesMatchIgnoringCase() {
        assertThat(HardwareSpec.named("h100")).isSameAs(HardwareSpec.named("H100-SXM-80GB"));
        assertThat(HardwareSpec.named("NVIDIA-H100-80GB-HBM3").name()).isEqualTo("H100-SXM-80GB");
        assertThat(HardwareSpec.named("a100-80").name()).isEqualTo("A100-SXM-80GB");
        assertThat(HardwareSpec.named("A100-SXM4-40GB").name()).isEqualTo("A100-SXM-40GB");
        assertThat(HardwareSpec.named("nvidia-l4").name()).isEqualTo("L4");
        assertThat(HardwareSpec.named("h20-96gb").name()).isEqualTo("H20");
        assertThat(HardwareSpec.named("amd-instinct-mi300x").name()).isEqualTo("MI300X");
        assertThat(HardwareSpec.named("H200").isCalled("h200-sxm")).isTrue();
        assertThat(HardwareSpec.named("H200").isCalled("H100")).isFalse();
    }

    @Test
    void valueOfGivesAnUnresolvedNameThatResolvesToTheCatalogEntry() {
        HardwareSpec given = HardwareSpec.valueOf("a10g-24gb");

        assertThat(given).isEqualTo(new HardwareSpec("a10g-24gb", null, null, null, null, null, null, null, null,
                null));
        assertThat(HardwareSpec.resolve(given)).isSameAs(HardwareSpec.named("A10G"));
        assertThat(HardwareSpec.resolve(null)).isSameAs(HardwareSpec.named("H100-SXM-80GB"));
    }

    @Test
    void resolvesAYamlFile() throws IOException {
        Path file = Files.writeString(folder.resolve("rtx.yaml"), """
                # a workstation GPU
                name: RTX-6000-Ada
                memory_gib: 47.5
                memory_bandwidth_tb_per_second: 0.96
                l2_cache_mib: 96
                dense_tflops: {bf16: 364.2, fp8: 728.5}
                interconnect: {name: PCIe Gen4 x16, topology: pcie, bandwidth_gb_per_second: 64}
                source: my notes
                """);

        HardwareSpec gpu = HardwareSpec.resolve(HardwareSpec.valueOf(file.toString()));

        assertThat(gpu).isEqualTo(new HardwareSpec("RTX-6000-Ada", List.of(), 47.5, 0.96, 96.0,
                new DenseTflops(364.2, 364.2, 728.5),
                new Interconnect("PCIe Gen4 x16", Topology.PCIE, 64.0, 1, HardwareChecks.PCIE_LATENCY_SECONDS),
                HardwareChecks.DEFAULT_HOST_LINK_GB_PER_SECOND, HardwareChecks.DEFAULT_EFFICIENCY, "my notes"));
    }

    @Test
    void resolvesAJsonFile() throws IOException {
        Path file = Files.writeString(folder.resolve("gpu.json"), """
                {"name": "json-gpu", "memory_gib": 30, "memory_bandwidth_tb_per_second": 1.5,
                 "dense_tflops": {"bf16": 200, "fp16": 210},
                 "interconnect": {"topology": "switch", "bandwidth_gb_per_second": 400, "links": 8, "latency": 9e-6},
                 "host_link_gb_per_second": 64,
                 "efficiency": {"gemm": 0.7, "attention": 0.5, "memory": 0.9, "interconnect": 0.75}}
                """);

        HardwareSpec gpu = HardwareSpec.resolve(HardwareSpec.valueOf(file.toString()));

        assertThat(gpu.name()).isEqualTo("json-gpu");
        assertThat(gpu.denseTflops()).isEqualTo(new DenseTflops(200.0, 210.0, 0.0));
        assertThat(gpu.interconnect()).isEqualTo(new Interconnect("switch", Topology.SWITCH, 400.0, 8, 9e-6));
        assertThat(gpu.efficiency()).isEqualTo(new Efficiency(0.7, 0.5, 0.9, 0.75));
        assertThat(gpu.hostLinkBytesPerSecond()).isEqualTo(64e9);
    }

    @Test
    void completesAMappingWithTheDefaultsOfItsOptionalFields() {
        HardwareSpec given = new HardwareSpec("my-gpu", null, 40.0, 1.0, null, new DenseTflops(300.0, null, null),
                null, null, new Efficiency(0.6, null, null, null), null);

        HardwareSpec gpu = HardwareSpec.resolve(given);

        assertThat(gpu.aliases()).isEmpty();
        assertThat(gpu.l2CacheMib()).isEqualTo(50.0);
        assertThat(gpu.denseTflops()).isEqualTo(new DenseTflops(300.0, 300.0, 0.0));
        assertThat(gpu.hostLinkGbPerSecond()).isEqualTo(32.0);
        // no GPU-to-GPU link given: collectives cross PCIe, both directions of the host link
        assertThat(gpu.interconnect()).isEqualTo(new Interconnect("PCIe (no GPU-to-GPU link given)", Topology.PCIE,
                64.0, 1, 25e-6));
        assertThat(gpu.efficiency()).isEqualTo(new Efficiency(0.6, 0.6, 0.88, 0.8));
        assertThat(gpu.source()).isEmpty();
        // an FP8 checkpoint on a GPU without FP8 tensor cores runs at the 16-bit peak
        assertThat(gpu.peakFlopsPerSecond(Dtype.FP8)).isEqualTo(300e12);

        HardwareSpec linked = HardwareSpec.resolve(new HardwareSpec("linked", null, 40.0, 1.0, null,
                new DenseTflops(300.0, null, null), new Interconnect(null, null, 600.0, null, null), null, null,
                null));
        assertThat(linked.interconnect()).isEqualTo(new Interconnect("switch", Topology.SWITCH, 600.0, 1, 8e-6));
    }

    @Test
    void aMissingRequiredFigureNamesItsKey() {
        DenseTflops peaks = new DenseTflops(300.0, null, null);
        assertConfigError(new HardwareSpec("g", null, null, 1.0, null, peaks, null, null, null, null),
                "hardware.memory_gib: is required (total device memory in GiB as CUDA reports it");
        assertConfigError(new HardwareSpec("g", null, 40.0, null, null, peaks, null, null, null, null),
                "hardware.memory_bandwidth_tb_per_second: is required");
        assertConfigError(new HardwareSpec("g", null, 40.0, 1.0, null, null, null, null, null, null),
                "hardware.dense_tflops: is required");
        assertConfigError(new HardwareSpec("g", null, 40.0, 1.0, null, new DenseTflops(null, 10.0, null), null, null,
                null, null), "hardware.dense_tflops.bf16: is required");
        assertConfigError(new HardwareSpec(null, null, 40.0, 1.0, null, peaks, null, null, null, null),
                "hardware.name: is required");
        assertConfigError(new HardwareSpec("g", null, 40.0, 1.0, null, peaks,
                new Interconnect("x", Topology.MESH, null, 7, null), null, null, null),
                "hardware.interconnect.bandwidth_gb_per_second: is required");
    }

    @Test
    void rejectsFiguresOutOfRangeNamingTheKey() {
        DenseTflops peaks = new DenseTflops(300.0, null, null);
        assertConfigError(new HardwareSpec("g", null, -1.0, 1.0, null, peaks, null, null, null, null),
                "hardware.memory_gib: must be a positive number, got -1.0");
        assertConfigError(new HardwareSpec("g", null, 40.0, Double.POSITIVE_INFINITY, null, peaks, null, null, null,
                null), "hardware.memory_bandwidth_tb_per_second: must be a positive number, got Infinity");
        assertConfigError(new HardwareSpec("g", null, 40.0, 1.0, null, new DenseTflops(300.0, null, -5.0), null, null,
                null, null), "hardware.dense_tflops.fp8: must be zero or a positive number, got -5.0");
        // figures far outside any GPU's are typos, refused here rather than as an infinite step time or a huge pool
        assertConfigError(new HardwareSpec("g", null, 40.0, 1e-320, null, peaks, null, null, null, null),
                "hardware.memory_bandwidth_tb_per_second: must be between 0.001 and 1000000 in its unit, got 1.0E-320");
        assertConfigError(new HardwareSpec("g", null, 40.0, 1.0, null, new DenseTflops(300.0, null, 2e6), null, null,
                null, null), "hardware.dense_tflops.fp8: must be between 0.001 and 1000000 in its unit, got 2000000.0");
        assertConfigError(new HardwareSpec("g", null, 1e5, 1.0, null, peaks, null, null, null, null),
                "hardware.memory_gib: must be at most 16384 GiB, got 100000.0");
        assertConfigError(withInterconnect(new Interconnect("x", Topology.PCIE, 1e-9, null, null)),
                "hardware.interconnect.bandwidth_gb_per_second: must be between 0.001 and 1000000 in its unit");
        assertThat(HardwareSpec.resolve(withInterconnect(new Interconnect("x", Topology.SWITCH, 100.0, 1, 0.0)))
                .collectiveLatencySeconds()).isZero();
        assertConfigError(withEfficiency(new Efficiency(0.0, null, null, null)),
                "hardware.efficiency.gemm: must be in (0, 1] (a fraction of the peak), got 0.0");
        assertConfigError(withEfficiency(new Efficiency(null, null, 1.5, null)),
                "hardware.efficiency.memory: must be in (0, 1] (a fraction of the peak), got 1.5");
        assertConfigError(withEfficiency(new Efficiency(null, Double.NaN, null, null)),
                "hardware.efficiency.attention: must be in (0, 1]");
        assertThat(HardwareSpec.resolve(withEfficiency(new Efficiency(1.0, 1.0, 1.0, 1.0))).efficiency().gemm())
                .isEqualTo(1.0);
        assertThatThrownBy(() -> Topology.of("ring")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("must be one of [switch, mesh, pcie], got ring");
        assertThat(Topology.of("Mesh")).isEqualTo(Topology.MESH);
        assertConfigError(withInterconnect(new Interconnect("x", Topology.MESH, 100.0, 0, null)),
                "hardware.interconnect.links: must be at least 1, got 0");
        assertConfigError(withInterconnect(new Interconnect("x", Topology.SWITCH, 100.0, 1, 6.0)),
                "hardware.interconnect.latency: is in seconds and must be at most 1, got 6.0");
    }

    @Test
    void anUnknownNameListsTheKnownGpus() {
        assertThatThrownBy(() -> HardwareSpec.named("TPU-v5"))
                .isInstanceOfSatisfying(ServesimException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONFIG))
                .hasMessage("hardware: unknown GPU 'TPU-v5'; known: " + String.join(", ", CATALOG));
        assertThatThrownBy(() -> HardwareSpec.resolve(HardwareSpec.valueOf("TPU-v5")))
                .isInstanceOfSatisfying(ServesimException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONFIG))
                .hasMessage("hardware: unknown GPU 'TPU-v5': no catalog GPU has this name and there is no such file"
                        + " (relative paths are resolved against the working directory); known: "
                        + String.join(", ", CATALOG));
    }

    @Test
    void linkBandwidthThroughASwitchIsOneDirectionWhateverTheGroup() {
        HardwareSpec h100 = HardwareSpec.named("H100");

        assertThat(h100.linkBytesPerSecond(2)).isEqualTo(450e9);
        assertThat(h100.linkBytesPerSecond(8)).isEqualTo(450e9);
        assertThat(h100.collectiveLatencySeconds()).isEqualTo(6e-6);
    }

    @Test
    void linkBandwidthOnAMeshGrowsWithTheLinksTheGroupUses() {
        HardwareSpec mi300x = HardwareSpec.named("MI300X");

        // 896 GB/s over 7 links both ways: one link carries 64 GB/s each way
        assertThat(mi300x.linkBytesPerSecond(2)).isCloseTo(64e9, within(1.0));
        assertThat(mi300x.linkBytesPerSecond(4)).isCloseTo(3 * 64e9, within(1.0));
        assertThat(mi300x.linkBytesPerSecond(8)).isCloseTo(448e9, within(1.0));
        assertThat(mi300x.linkBytesPerSecond(1)).isCloseTo(64e9, within(1.0));
    }

    @Test
    void linkBandwidthOverPcieIsOneDirectionOfTheSlot() {
        assertThat(HardwareSpec.named("L40S").linkBytesPerSecond(2)).isEqualTo(32e9);
        assertThat(HardwareSpec.named("L4").linkBytesPerSecond(4)).isEqualTo(32e9);
        assertThat(HardwareSpec.named("A10G").collectiveLatencySeconds()).isEqualTo(25e-6);
    }

    @Test
    void unitsOfTheDerivedFigures() {
        HardwareSpec h100 = HardwareSpec.named("H100");

        assertThat(h100.cudaMemoryGib()).isEqualTo(79.19);
        assertThat(h100.memoryBytesPerSecond()).isEqualTo(3.35e12);
        assertThat(h100.l2CacheBytes()).isEqualTo(50.0 * 1024 * 1024);
        assertThat(h100.bf16FlopsPerSecond()).isEqualTo(989.4e12);
        assertThat(h100.peakFlopsPerSecond(Dtype.FP8)).isEqualTo(1978.9e12);
        assertThat(h100.peakFlopsPerSecond(Dtype.FP16)).isEqualTo(989.4e12);
        assertThat(h100.hostLinkBytesPerSecond()).isEqualTo(64e9);
        assertThat(HardwareSpec.named("A100-80").peakFlopsPerSecond(Dtype.FP8)).isEqualTo(312e12);
    }

    @Test
    void largeServingDefaultsFollowVllmsRule() {
        for (String large : List.of("H100", "H200", "H20", "B200", "MI300X")) {
            assertThat(HardwareSpec.named(large).largeServingDefaults()).as(large).isTrue();
        }
        for (String small : List.of("A100-SXM-80GB", "A100-SXM-40GB", "L40S", "L4", "A10G")) {
            assertThat(HardwareSpec.named(small).largeServingDefaults()).as(small).isFalse();
        }
        // vLLM tests the device name, so a user's 80 GiB GPU called an A100 keeps the small defaults
        HardwareSpec renamed = HardwareSpec.resolve(new HardwareSpec("my-A100-variant", null, 80.0, 2.0, null,
                new DenseTflops(312.0, null, null), null, null, null, null));
        assertThat(renamed.largeServingDefaults()).isFalse();
    }

    @Test
    void theDocumentedTablesMatchTheCatalog() throws IOException {
        List<String> lines = Files.readAllLines(Path.of("..", "docs", "engine-vllm.md"));

        for (HardwareSpec gpu : HardwareSpec.catalog()) {
            List<String> rows = lines.stream().filter(line -> line.startsWith("| `" + gpu.name() + "` |")).toList();
            assertThat(rows).as(gpu.name() + ": the catalog row and the efficiency row").hasSize(2);
            String fp8 = gpu.denseTflops().fp8() > 0 ? figure(gpu.denseTflops().fp8()) : "–";
            assertThat(rows.get(0)).as(gpu.name()).contains(String.join(", ", gpu.aliases()),
                    " / " + figure(gpu.memoryGib()) + " | " + figure(gpu.memoryBandwidthTbPerSecond()) + " | "
                            + figure(gpu.denseTflops().bf16()) + " | " + fp8 + " | " + figure(gpu.l2CacheMib()) + " | "
                            + gpu.interconnect().name() + ": " + gpu.interconnect().topology() + ", "
                            + figure(gpu.interconnect().bandwidthGbPerSecond()) + " GB/s, "
                            + figure(gpu.interconnect().latency() * 1e6) + " us | "
                            + figure(gpu.hostLinkGbPerSecond()));
            Efficiency efficiency = gpu.efficiency();
            assertThat(rows.get(1)).as(gpu.name()).isEqualTo("| `" + gpu.name() + "` | " + figure(efficiency.gemm())
                    + " | " + figure(efficiency.attention()) + " | " + figure(efficiency.memory()) + " | "
                    + figure(efficiency.interconnect()) + " |");
        }
    }

    /** A figure as the doc writes it: no trailing zeros. */
    private static String figure(double value) {
        return BigDecimal.valueOf(value).round(new MathContext(9)).stripTrailingZeros()
                .toPlainString();
    }

    private static HardwareSpec withEfficiency(Efficiency efficiency) {
        return new HardwareSpec("g", null, 40.0, 1.0, null, new DenseTflops(300.0, null, null), null, null,
                efficiency, null);
    }

    private static HardwareSpec withInterconnect(Interconnect interconnect) {
        return new HardwareSpec("g", null, 40.0, 1.0, null, new DenseTflops(300.0, null, null), interconnect, null,
                null, null);
    }

    private static void assertConfigError(HardwareSpec given, String message) {
        assertThatThrownBy(() -> HardwareSpec.resolve(given))
                .isInstanceOfSatisfying(ServesimException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.CONFIG))
                .hasMessageStartingWith(message);
    }
}
