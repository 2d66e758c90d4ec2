package dev.servesim.engine.common.hardware;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import dev.servesim.api.ErrorKind;
import dev.servesim.api.ServesimException;
import dev.servesim.engine.common.model.Dtype;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HardwareFilesTest {

    private static final String VALID = """
            name: my-gpu
            memory_gib: 40
            memory_bandwidth_tb_per_second: 1.2
            dense_tflops: {bf16: 300, fp8: 600}
            """;

    @TempDir
    Path folder;

    @Test
    void readsADescriptionFile() throws IOException {
        Path file = Files.writeString(folder.resolve("gpu.yaml"), VALID);

        HardwareSpec gpu = HardwareFiles.read(file.toString());

        assertThat(gpu.name()).isEqualTo("my-gpu");
        assertThat(gpu.peakFlopsPerSecond(Dtype.FP8)).isEqualTo(600e12);
        assertThat(gpu).isEqualTo(HardwareFiles.parse(VALID, "elsewhere"));
    }

    @Test
    void anUnknownKeyNamesTheFileTheLineAndTheKey() throws IOException {
        Path file = Files.writeString(folder.resolve("gpu.yaml"), VALID + "colour: green\n");

        assertOneLineConfigError(() -> HardwareFiles.read(file.toString()), "hardware: " + file
                + ": line 5: colour: unknown key; known keys: aliases, dense_tflops, efficiency,"
                + " host_link_gb_per_second, interconnect, l2_cache_mib, memory_bandwidth_tb_per_second, memory_gib,"
                + " name, source");
        assertOneLineConfigError(() -> HardwareFiles.parse(VALID.replace("fp8: 600", "fp6: 600"), "hardware: g.yaml"),
                "hardware: g.yaml: line 4: dense_tflops.fp6: unknown key; known keys: bf16, fp16, fp8");
    }

    @Test
    void aBadFigureInAFileNamesTheFileAndTheKey() {
        assertOneLineConfigError(() -> HardwareFiles.parse(VALID.replace("memory_gib: 40\n", ""), "hardware: g.yaml"),
                "hardware: g.yaml: memory_gib: is required (total device memory in GiB as CUDA reports it");
        assertOneLineConfigError(() -> HardwareFiles.parse(VALID.replace("memory_gib: 40", "memory_gib: forty"),
                "hardware: g.yaml"), "hardware: g.yaml: line 2: memory_gib: expected a number");
        assertOneLineConfigError(() -> HardwareFiles.parse(VALID + "efficiency: {gemm: 1.2}\n", "hardware: g.yaml"),
                "hardware: g.yaml: efficiency.gemm: must be in (0, 1] (a fraction of the peak), got 1.2");
        assertOneLineConfigError(() -> HardwareFiles.parse(VALID.replace("name: my-gpu\n", ""), "hardware: g.yaml"),
                "hardware: g.yaml: name: is required");
        assertOneLineConfigError(() -> HardwareFiles.parse(VALID + "memory_gib: 41\n", "hardware: g.yaml"),
                "hardware: g.yaml: line 5: Duplicate field 'memory_gib'");
        assertOneLineConfigError(() -> HardwareFiles.parse(VALID + "aliases: [~]\n", "hardware: g.yaml"),
                "hardware: g.yaml: aliases: must be a list of names, got an empty one");
        String link = "interconnect:\n  bandwidth_gb_per_second: 100\n  topology: ";
        assertOneLineConfigError(() -> HardwareFiles.parse(VALID + link + "ring\n", "hardware: g.yaml"),
                "hardware: g.yaml: line 7: interconnect.topology: must be one of [switch, mesh, pcie], got ring");
        assertOneLineConfigError(() -> HardwareFiles.parse(VALID + link + "[mesh]\n", "hardware: g.yaml"),
                "hardware: g.yaml: line 7: interconnect.topology: expected one of [switch, mesh, pcie]");
        assertThat(HardwareFiles.parse(VALID + link + "Mesh\n", "g").interconnect().topology())
                .isEqualTo(HardwareSpec.Topology.MESH);
    }

    @Test
    void aDirectoryIsRefused() throws IOException {
        Path directory = Files.createDirectory(folder.resolve("gpus"));

        assertOneLineConfigError(() -> HardwareFiles.read(directory.toString()),
                "hardware: " + directory + " is a directory; expected a YAML or JSON file describing one GPU");
    }

    @Test
    void anOversizedFileIsRefusedWithoutReadingIt() throws IOException {
        Path file = folder.resolve("huge.yaml");
        Files.write(file, new byte[(int) HardwareFiles.MAX_FILE_BYTES + 1]);

        assertOneLineConfigError(() -> HardwareFiles.read(file.toString()),
                "hardware: " + file + " is larger than 1048576 bytes");
    }

    @Test
    void aFileThatIsNotUtf8TextIsRefused() throws IOException {
        Path file = Files.write(folder.resolve("gpu.bin"), new byte[] {(byte) 0xff, (byte) 0xfe, 0, 'x', (byte) 0xc3});

        assertOneLineConfigError(() -> HardwareFiles.read(file.toString()),
                "hardware: " + file + " is not UTF-8 text; expected a YAML or JSON mapping describing one GPU");
    }

    @Test
    void garbageEmptinessAndOtherShapesAreOneLine() {
        assertOneLineConfigError(() -> HardwareFiles.parse("", "f"), "f: is empty; expected a mapping");
        assertOneLineConfigError(() -> HardwareFiles.parse("# only a comment\n", "f"), "f: is empty");
        assertOneLineConfigError(() -> HardwareFiles.parse("- a\n- b\n", "f"),
                "f: expected a mapping with name, memory_gib, memory_bandwidth_tb_per_second, dense_tflops, ...,"
                + " got a list");
        assertOneLineConfigError(() -> HardwareFiles.parse("H100\n", "f"), "f: expected a mapping");
        assertOneLineConfigError(() -> HardwareFiles.parse("a: [\n", "f"),
                "f: line 1: while parsing a flow node; expected the node content, but found '<stream end>'");
        assertOneLineConfigError(() -> HardwareFiles.parse("{{{: :: ]] \u0001 !!java.io.File x", "f"), "f: ");
        assertOneLineConfigError(() -> HardwareFiles.parse(VALID + "---\nname: second\n", "f"), "f: ");
        assertOneLineConfigError(() -> HardwareFiles.parse("dense_tflops: 5\n", "f"),
                "f: line 1: dense_tflops: expected a mapping");
    }

    @Test
    void deepNestingAndAliasBombsAreRefused() {
        assertOneLineConfigError(() -> HardwareFiles.parse("[".repeat(100_000), "f"), "f: ");
        StringBuilder bomb = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for (char level = 'b'; level <= 'k'; level++) {
            char previous = (char) (level - 1);
            bomb.append(level).append(": &").append(level).append(" [")
                    .append(("*" + previous + ", ").repeat(9)).append('*').append(previous).append("]\n");
        }
        assertOneLineConfigError(() -> HardwareFiles.parse(bomb.toString(), "f"), "f: ");
    }

    @Test
    void aMissingFileIsAnUnknownGpu() {
        String missing = folder.resolve("absent.yaml").toString();

        assertOneLineConfigError(() -> HardwareFiles.read(missing), "hardware: unknown GPU '" + missing
                + "': no catalog GPU has this name and there is no such file");
        assertOneLineConfigError(() -> HardwareFiles.read("  "), "hardware: is empty; give a GPU name (known: H100");
        assertOneLineConfigError(() -> HardwareFiles.read("bad\u0000name"), "hardware: unknown GPU");
    }

    /**
     * Mutated GPU descriptions (the catalog's files and a user's, with bytes changed, lines dropped, duplicated or
     * swapped, and YAML tokens inserted) either give a spec with every figure in range or one CONFIG error line.
     */
    @Test
    void mutatedDescriptionsGiveAValidSpecOrOneConfigError() throws IOException {
        List<String> seeds = new ArrayList<>(List.of(VALID, """
                {"name": "j", "memory_gib": 10, "memory_bandwidth_tb_per_second": 1, "dense_tflops": {"bf16": 10},
                 "interconnect": {"topology": "mesh", "bandwidth_gb_per_second": 100, "links": 3}}
                """));
        for (String line : resource("index.txt").split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                seeds.add(resource(line.strip()));
            }
        }
        SplittableRandom random = new SplittableRandom(20_241_206);
        int valid = 0;
        int refused = 0;
        for (int i = 0; i < 3000; i++) {
            String text = mutate(seeds.get(random.nextInt(seeds.size())), random);
            try {
                HardwareSpec spec = i % 10 == 0 ? readAsFile(text, random) : HardwareFiles.parse(text, "fuzz");
                assertComplete(spec, text);
                valid++;
            } catch (ServesimException e) {
                assertThat(e.kind()).as(text).isEqualTo(ErrorKind.CONFIG);
                assertThat(e.getMessage()).as(text).doesNotContain("\n", "Exception", "com.fasterxml", "org.yaml");
                refused++;
            } catch (RuntimeException | StackOverflowError e) {
                fail("input %s%ngave %s", text, e);
            }
        }
        // the mutations exercise both outcomes
        assertThat(valid).isGreaterThan(100);
        assertThat(refused).isGreaterThan(1000);
    }

    private HardwareSpec readAsFile(String text, SplittableRandom random) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > 0 && random.nextBoolean()) {
            bytes[random.nextInt(bytes.length)] = (byte) (0x80 + random.nextInt(0x80)); // often invalid UTF-8
        }
        Path file = Files.write(folder.resolve("fuzz.yaml"), bytes);
        return HardwareFiles.read(file.toString());
    }

    private static final List<String> TOKENS = List.of(":", ": ", "-", "- ", "[", "]", "{", "}", ",", "&a ", "*a",
            "!!binary ", "!!float ", "1e400", "-1", "0", ".nan", ".inf", "~", "null", "\t", "\u0000", "'", "\"",
            "\n", "\n  ", "#", "name:", "links: 0", "topology: mesh", "aliases: [x]", "efficiency: {gemm: 2}",
            "? ", "|\n", ">-\n", "%YAML 1.2\n", "---\n", "...\n", "\uFEFF", "é", "99999999999999999999",
            "dense_tflops: {bf16: 1}", "interconnect: {bandwidth_gb_per_second: 1}", "<<: *a");

    private static String mutate(String seed, SplittableRandom random) {
        StringBuilder text = new StringBuilder(seed);
        int mutations = 1 + random.nextInt(4);
        for (int m = 0; m < mutations; m++) {
            int at = text.length() == 0 ? 0 : random.nextInt(text.length());
            switch (random.nextInt(6)) {
                case 0 -> { // replace a character with any character, control ones included
                    if (text.length() > 0) {
                        text.setCharAt(at, (char) (random.nextInt(8) == 0 ? random.nextInt(0x20)
                                : random.nextInt(0x20, 0x7f)));
                    }
                }
                case 1 -> text.delete(at, Math.min(text.length(), at + 1 + random.nextInt(20)));
                case 2 -> text.insert(at, TOKENS.get(random.nextInt(TOKENS.size())));
                case 3 -> { // duplicate a line
                    List<String> lines = new ArrayList<>(text.toString().lines().toList());
                    if (!lines.isEmpty()) {
                        int line = random.nextInt(lines.size());
                        lines.add(random.nextInt(lines.size() + 1), lines.get(line));
                    }
                    text = new StringBuilder(String.join("\n", lines));
                }
                case 4 -> { // swap two lines
                    List<String> lines = new ArrayList<>(text.toString().lines().toList());
                    if (lines.size() > 1) {
                        Collections.swap(lines, random.nextInt(lines.size()), random.nextInt(lines.size()));
                    }
                    text = new StringBuilder(String.join("\n", lines));
                }
                default -> { // replace a number with another
                    String replaced = text.toString().replaceFirst("[0-9]+(\\.[0-9]+)?",
                            List.of("0", "-3", "1e309", "0.5", "2", "1000000", "7.0e-6").get(random.nextInt(7)));
                    text = new StringBuilder(replaced);
                }
            }
        }
        return text.toString();
    }

    private static void assertComplete(HardwareSpec spec, String text) {
        assertThat(spec.name()).as(text).isNotBlank();
        assertThat(spec.aliases()).as(text).isNotNull().doesNotContainNull();
        assertThat(List.of(spec.memoryGib(), spec.memoryBandwidthTbPerSecond(), spec.l2CacheMib(),
                spec.denseTflops().bf16(), spec.denseTflops().fp16(), spec.hostLinkGbPerSecond(),
                spec.interconnect().bandwidthGbPerSecond())).as(text).allSatisfy(figure -> assertThat(figure)
                .isPositive().isFinite());
        assertThat(spec.denseTflops().fp8()).as(text).isNotNegative().isFinite();
        assertThat(spec.interconnect().topology()).as(text).isNotNull();
        assertThat(spec.interconnect().links()).as(text).isPositive();
        assertThat(spec.interconnect().latency()).as(text).isBetween(0.0, 1.0);
        assertThat(List.of(spec.efficiency().gemm(), spec.efficiency().attention(), spec.efficiency().memory(),
                spec.efficiency().interconnect())).as(text).allSatisfy(fraction -> assertThat(fraction)
                .isGreaterThan(0.0).isLessThanOrEqualTo(1.0));
        assertThat(spec.source()).as(text).isNotNull();
        assertThat(spec.linkBytesPerSecond(8)).as(text).isPositive();
        // complete: resolving it again changes nothing
        assertThat(HardwareSpec.resolve(spec)).as(text).isEqualTo(spec);
    }

    private static String resource(String name) {
        try (InputStream in = HardwareFiles.class.getResourceAsStream(name)) {
            assertThat(in).as(name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void assertOneLineConfigError(Runnable action, String messageStart) {
        assertThatThrownBy(action::run)
                .isInstanceOfSatisfying(ServesimException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.CONFIG);
                    assertThat(e.getMessage()).doesNotContain("\n", "Exception", "com.fasterxml", "org.yaml");
                })
                .hasMessageStartingWith(messageStart);
    }
}
