package dev.servesim.workload.trace;

import static dev.servesim.workload.trace.Traces.EXAMPLES;
import static dev.servesim.workload.trace.Traces.entries;
import static dev.servesim.workload.trace.Traces.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.core.JsonFactory;
import dev.servesim.api.ServesimException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** vllm-vcr JSON lines (docs/trace-format.md, "vllm-vcr JSONL"). */
class VcrTraceTest {

    private static final String META = "{\"meta\": {\"model\": \"m\", \"block_size\": 4}}\n";

    @TempDir
    Path folder;

    private Path write(String name, String text) throws Exception {
        return Files.writeString(folder.resolve(name), text);
    }

    @Test
    void theExampleIsDetectedAndReplayedInArrivalOrder() {
        Traces.Read read = read(EXAMPLES.resolve("vcr.jsonl"), "auto", false);
        assertThat(read.format()).isEqualTo("vcr");
        List<TraceEntry> entries = read.entries();
        assertThat(entries).hasSize(22);
        for (int i = 1; i < entries.size(); i++) {
            assertThat(entries.get(i).time()).isGreaterThanOrEqualTo(entries.get(i - 1).time());
        }
        // the file is in finish order: line 2 finished first and arrived first, line 3 arrived second
        assertThat(entries).extracting(TraceEntry::line).startsWith(2L, 3L, 4L);
        TraceEntry first = entries.get(0);
        assertThat(first.time()).isZero();
        assertThat(first.promptTokens()).isEqualTo(76);
        assertThat(first.blockSize()).isEqualTo(16);
        assertThat(first.fullBlocks()).isEqualTo(4);
        // ttft_ms + sum(itl_ms), in seconds
        assertThat(first.e2e()).isCloseTo(0.3963, within(1e-9));
        // a hash above 2^63 keeps its 64 bits
        assertThat(entries.stream().flatMapToLong(entry -> Arrays.stream(entry.blockHashes())))
                .contains(Long.parseUnsignedLong("15222870135584843836"));
        // itl_summary: 15 + 9.5 x count
        assertThat(entries).filteredOn(entry -> entry.blockHashes().length == 0)
                .allSatisfy(entry -> assertThat(entry.e2e())
                        .isCloseTo((15 + 9.5 * (entry.outputTokens() - 1)) / 1000, within(1e-9)));
    }

    @Test
    void requestsArrivingTogetherKeepTheirFileOrderAndTheMetaLineIsOptional() throws Exception {
        Path file = write("t.jsonl", """
                {"prompt_tokens": 8, "output_tokens": 1, "ttft_ms": 5, "arrival_ms": 2000, "finish_reason": "stop"}
                {"prompt_tokens": 9, "output_tokens": 1, "ttft_ms": 5, "arrival_ms": 1000, "finish_reason": "stop"}
                {"prompt_tokens": 10, "output_tokens": 1, "ttft_ms": 5, "arrival_ms": 1000, "finish_reason": "stop"}
                {"prompt_tokens": 16, "output_tokens": 1, "arrival_ms": 0, "block_hashes": [18446744073709551615]}
                """);
        Traces.Read read = read(file, "auto", false);
        assertThat(read.format()).isEqualTo("vcr");
        assertThat(read.entries()).extracting(TraceEntry::promptTokens).containsExactly(16, 9, 10, 8);
        assertThat(read.entries()).extracting(TraceEntry::time).containsExactly(0.0, 1.0, 1.0, 2.0);
        TraceEntry hashed = read.entries().get(0);
        assertThat(hashed.blockHashes()).containsExactly(-1L);
        assertThat(hashed.blockSize()).isEqualTo(16);
        assertThat(hashed.e2e()).isNaN();
    }

    @Test
    void malformedRecordsAreLocatedInFileOrderBeforeTheReplayStarts() throws Exception {
        String good = "{\"prompt_tokens\": 8, \"output_tokens\": 2, \"arrival_ms\": 1}\n";
        assertThat(error(META + good + "{\"prompt_tokens\": 8, \"output_tokens\": 2}\n"))
                .endsWith(":3: field 'arrival_ms': is missing (format vcr; skip_bad_lines: true skips malformed "
                        + "lines)");
        assertThat(error(META + "{\"prompt_tokens\": 8, \"output_tokens\": 2, \"arrival_ms\": 1, \"block_hashes\": "
                + "[1, 2, 3]}\n")).endsWith(":2: field 'block_hashes': has 3 hashes, but prompt_tokens 8 has only 2 "
                + "full blocks of 4 tokens (format vcr; skip_bad_lines: true skips malformed lines)");
        assertThat(error(META + "{\"prompt_tokens\": 8, \"output_tokens\": 2, \"arrival_ms\": 1, \"block_hashes\": "
                + "[-5]}\n")).contains(":2: field 'block_hashes': element 0: not an unsigned 64-bit integer: -5");
        assertThat(error(META + "{\"prompt_tokens\": 8, \"output_tokens\": 2, \"arrival_ms\": 1, \"block_hashes\": "
                + "[18446744073709551616]}\n")).contains(":2: field 'block_hashes': element 0: not an unsigned");
        assertThat(error(META + good + META)).contains(":3: field 'meta': only the first line may be the meta line");
        assertThat(error("{\"meta\": {\"block_size\": 0}}\n" + good))
                .endsWith(":1: field 'meta.block_size': must be from 1 to 1048576, got 0 (format vcr)");
        assertThat(error(META + good + "{\"prompt_tokens\": 8, \"output_tokens\": 2, \"arrival_ms\": 1, "
                + "\"itl_summary\": {\"count\": 3}}\n")).contains(":3: field 'itl_summary': needs mean_ms and count");
        // a request too late for the replay, on line 2, is found before the broken line 3 (the replay order would
        // reach it last)
        assertThat(error(META + "{\"prompt_tokens\": 8, \"output_tokens\": 2, \"arrival_ms\": 1e300}\n" + good
                + "not json\n")).contains(":2: field 'arrival_ms': arrives at 1.0E297 s of trace time");
    }

    @Test
    void skippedLinesAreCountedOnce() throws Exception {
        Path file = write("skip.jsonl", META + """
                {"prompt_tokens": 8, "output_tokens": 2, "arrival_ms": 30}
                {"prompt_tokens": 8, "arrival_ms": 10}
                not json
                {"prompt_tokens": 8, "output_tokens": 2, "arrival_ms": 20}
                """);
        Traces.Read read = read(file, "vcr", true);
        assertThat(read.entries()).extracting(TraceEntry::line).containsExactly(5L, 2L);
        assertThat(read.skipped()).isEqualTo(2);
    }

    @Test
    void aGzipCaptureCutShortIsReadToItsLastWholeLineByVcrOnly() throws Exception {
        StringBuilder text = new StringBuilder(META);
        for (int i = 0; i < 200; i++) {
            text.append("{\"prompt_tokens\": ").append(10 + i).append(", \"output_tokens\": 3, \"arrival_ms\": ")
                    .append(i).append(", \"finish_reason\": \"length\"}\n");
        }
        byte[] zipped = Traces.gzip(text.toString().getBytes(StandardCharsets.UTF_8));
        // no trailer, and the deflate stream stopped within a line
        Path cut = folder.resolve("cut.jsonl.gz");
        Files.write(cut, Arrays.copyOf(zipped, zipped.length - 30));
        List<TraceEntry> entries = entries(cut, "auto");
        assertThat(entries).hasSizeBetween(150, 199);
        assertThat(entries).extracting(TraceEntry::promptTokens).doesNotHaveDuplicates();
        assertThat(entries.get(entries.size() - 1).line()).isEqualTo(entries.size() + 1);

        String mooncake = "{\"timestamp\": 0, \"input_length\": 4, \"output_length\": 1, \"hash_ids\": [1]}\n";
        byte[] other = Traces.gzip(mooncake.repeat(200).getBytes(StandardCharsets.UTF_8));
        Path cutMooncake = folder.resolve("m.jsonl.gz");
        Files.write(cutMooncake, Arrays.copyOf(other, other.length - 8));
        assertThatThrownBy(() -> entries(cutMooncake, "auto"))
                .hasMessageContaining(cutMooncake + ": the gzip stream is corrupt or cut short after line");
    }

    @Test
    void recordsTooFarFromArrivalOrderAreRefusedNotHeldWithoutBound() throws Exception {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            text.append("{\"prompt_tokens\": 64, \"output_tokens\": 1, \"arrival_ms\": ").append(1000 - i)
                    .append(", \"block_hashes\": [1, 2, 3, 4]}\n");
        }
        Path file = write("reversed.jsonl", text.toString());
        JsonFactory json = new JsonFactory();
        ArrivalWindow window = new ArrivalWindow(0, 1);
        // 5 units a request (4 hashes and itself): 19 requests held ahead of the last line, which arrives first
        try (SortedLineSource wide = SortedLineSource.sort(file, "vcr", TraceLines.open(file),
                VcrParser.fromFirstLine(json, "{}"), false, null, false, window, 95)) {
            assertThat(wide.next().line()).isEqualTo(20);
        }
        try (SortedLineSource narrow = SortedLineSource.sort(file, "vcr", TraceLines.open(file),
                VcrParser.fromFirstLine(json, "{}"), false, null, false, window, 94)) {
            assertThatThrownBy(narrow::next).isInstanceOf(BadLineException.class)
                    .hasMessage("is too far from arrival order to replay in bounded memory: 19 requests read after the "
                            + "one that arrives next (line 20) are held; sort the file by arrival_ms")
                    .satisfies(e -> assertThat(((BadLineException) e).fatal()).isTrue());
        }
    }

    private String error(String text) throws Exception {
        Path file = write("bad.jsonl", text);
        try {
            entries(file, "auto");
        } catch (ServesimException e) {
            assertThat(e.getMessage()).startsWith(file + ":");
            return e.getMessage();
        }
        throw new AssertionError("no error for " + text);
    }
}
