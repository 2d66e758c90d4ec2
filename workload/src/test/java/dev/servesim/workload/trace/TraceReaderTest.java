package dev.servesim.workload.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.servesim.api.ErrorKind;
import dev.servesim.api.ServesimException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TraceReaderTest {

    @TempDir
    Path folder;

    private Path write(String name, String text) throws Exception {
        Path file = folder.resolve(name);
        Files.writeString(file, text);
        return file;
    }

    private static List<TraceEntry> readAll(TraceReader reader) {
        List<TraceEntry> entries = new ArrayList<>();
        for (TraceEntry entry = reader.next(); entry != null; entry = reader.next()) {
            entries.add(entry);
        }
        return entries;
    }

    private static List<TraceEntry> readAll(Path file, String format) {
        try (TraceReader reader = TraceReader.open(file, format, false, 512)) {
            return readAll(reader);
        }
    }

    @Test
    void mooncakeLines() throws Exception {
        Path file = write("m.jsonl", """
                {"timestamp": 0, "input_length": 1000, "output_length": 5, "hash_ids": [7, 8]}
                {"timestamp": 2500, "input_length": 512, "output_length": 1, "hash_ids": [7], "extra": {"a": [1]}}

                {"hash_ids": [9, 10, 11], "output_length": 3, "input_length": 1025, "timestamp": 2500.5}
                """);
        try (TraceReader reader = TraceReader.open(file, "auto", false, 512)) {
            assertThat(reader.format()).isEqualTo("mooncake");
            List<TraceEntry> entries = readAll(reader);
            assertThat(entries).hasSize(3);
            TraceEntry first = entries.get(0);
            assertThat(first.time()).isZero();
            assertThat(first.promptTokens()).isEqualTo(1000);
            assertThat(first.outputTokens()).isEqualTo(5);
            assertThat(first.blockHashes()).containsExactly(7, 8);
            assertThat(first.blockSize()).isEqualTo(512);
            assertThat(first.fullBlocks()).isEqualTo(1);
            assertThat(entries.get(1).time()).isEqualTo(2.5);
            assertThat(entries.get(1).fullBlocks()).isEqualTo(1);
            assertThat(entries.get(2).time()).isCloseTo(2.5005, within(1e-12));
            assertThat(entries.get(2).line()).isEqualTo(4);
            assertThat(entries.get(2).fullBlocks()).isEqualTo(2);
        }
    }

    @Test
    void malformedLinesNameFileLineAndField() throws Exception {
        Path file = write("bad.jsonl", """
                {"timestamp": 0, "input_length": 1000, "output_length": 5, "hash_ids": [7, 8]}
                {"timestamp": 1, "input_length": 1000, "output_length": 5, "hash_ids": [7]}
                """);
        assertThatThrownBy(() -> readAll(file, "mooncake"))
                .isInstanceOf(ServesimException.class)
                .hasMessage(file + ":2: field 'hash_ids': has 1 ids, but input_length 1000 needs ceil(1000 / 512) = 2 "
                        + "(format mooncake; skip_bad_lines: true skips malformed lines)")
                .satisfies(e -> assertThat(((ServesimException) e).kind()).isEqualTo(ErrorKind.CONFIG));
        assertThatThrownBy(() -> readAll(write("a.jsonl", "{\"timestamp\": 0, \"input_length\": -4, "
                + "\"output_length\": 5, \"hash_ids\": []}\n"), "mooncake"))
                .hasMessageContaining(":1: field 'input_length': must not be negative, got -4");
        assertThatThrownBy(() -> readAll(write("b.jsonl", "{\"timestamp\": 0, \"input_length\": 4, "
                + "\"hash_ids\": [1]}\n"), "mooncake"))
                .hasMessageContaining(":1: field 'output_length': is missing");
        assertThatThrownBy(() -> readAll(write("c.jsonl", "{\"timestamp\": \"soon\", \"input_length\": 4, "
                + "\"output_length\": 1, \"hash_ids\": [1]}\n"), "mooncake"))
                .hasMessageContaining(":1: field 'timestamp': expected a number, got the string \"soon\"");
        assertThatThrownBy(() -> readAll(write("d.jsonl", "{\"timestamp\": 0, \"input_length\": 4, "
                + "\"output_length\": 1, \"hash_ids\": [1]}\n{\"timestamp\": 1, \"input_length\n"), "mooncake"))
                .hasMessageContaining(":2: field '(json)': not valid JSON");
        assertThatThrownBy(() -> readAll(write("e.jsonl", "{\"timestamp\": 0, \"input_length\": 4, "
                + "\"output_length\": 1, \"hash_ids\": [1.5]}\n"), "mooncake"))
                .hasMessageContaining(":1: field 'hash_ids': element 0: expected an integer, got '1.5'");
    }

    @Test
    void skipBadLinesCountsThem() throws Exception {
        Path file = write("skip.jsonl", """
                {"timestamp": 0, "input_length": 10, "output_length": 5, "hash_ids": [1]}
                not json at all
                {"timestamp": 1, "input_length": 10, "output_length": -5, "hash_ids": [1]}
                {"timestamp": 2, "input_length": 10, "output_length": 5, "hash_ids": [1]}
                """);
        try (TraceReader reader = TraceReader.open(file, "mooncake", true, 512)) {
            assertThat(readAll(reader)).extracting(TraceEntry::line).containsExactly(1L, 4L);
            assertThat(reader.skippedLines()).isEqualTo(2);
        }
    }

    @Test
    void anUnsortedTraceIsRejectedEvenWhenSkippingBadLines() throws Exception {
        Path file = write("unsorted.jsonl", """
                {"timestamp": 0, "input_length": 10, "output_length": 5, "hash_ids": [1]}
                {"timestamp": 3000, "input_length": 10, "output_length": 5, "hash_ids": [1]}
                {"timestamp": 2000, "input_length": 10, "output_length": 5, "hash_ids": [1]}
                """);
        assertThatThrownBy(() -> {
            try (TraceReader reader = TraceReader.open(file, "mooncake", true, 512)) {
                readAll(reader);
            }
        }).hasMessage(file + ":3: the trace is not sorted by time: this request arrives at 2.0 s, before the request "
                + "on line 2 at 3.0 s; sort the trace by arrival time");
    }

    @Test
    void servesimFormat() throws Exception {
        Path file = write("s.jsonl", """
                {"servesim_trace": 1, "block_size": 16, "run": "r"}
                {"id": 4, "arrival": 0.5, "prompt_tokens": 40, "output_tokens": 8, "block_hashes": [-3, 99]}
                {"arrival": 0.75, "prompt_tokens": 10, "output_tokens": 2, "session_id": 4, "turn": 2,\
                 "priority": -1, "profile": "chat", "e2e": 1.5, "ttft": 0.1, "status": "completed"}
                """);
        try (TraceReader reader = TraceReader.open(file, "auto", false, 512)) {
            assertThat(reader.format()).isEqualTo("servesim");
            List<TraceEntry> entries = readAll(reader);
            assertThat(entries).hasSize(2);
            TraceEntry first = entries.get(0);
            assertThat(first.time()).isEqualTo(0.5);
            assertThat(first.blockHashes()).containsExactly(-3, 99);
            assertThat(first.blockSize()).isEqualTo(16);
            assertThat(first.fullBlocks()).isEqualTo(2);
            assertThat(first.sessionId()).isEqualTo(-1);
            assertThat(first.e2e()).isNaN();
            TraceEntry second = entries.get(1);
            assertThat(second.blockHashes()).isEmpty();
            assertThat(second.sessionId()).isEqualTo(4);
            assertThat(second.turn()).isEqualTo(2);
            assertThat(second.priority()).isEqualTo(-1);
            assertThat(second.profile()).isEqualTo("chat");
            assertThat(second.e2e()).isEqualTo(1.5);
        }
        assertThatThrownBy(() -> readAll(write("v.jsonl", "{\"servesim_trace\": 2, \"block_size\": 16}\n"), "auto"))
                .hasMessageContaining("v.jsonl:1: field 'servesim_trace': version 2 is not supported");
        assertThatThrownBy(() -> readAll(write("w.jsonl", "{\"servesim_trace\": 1, \"block_size\": 16}\n"
                + "{\"arrival\": 0, \"prompt_tokens\": 31, \"output_tokens\": 1, \"block_hashes\": [1, 2]}\n"), "auto"))
                .hasMessageContaining("w.jsonl:2: field 'block_hashes': has 2 hashes, but prompt_tokens 31 has only 1 "
                        + "full blocks of 16 tokens");
        assertThatThrownBy(() -> readAll(write("x.jsonl", "{\"arrival\": 0, \"prompt_tokens\": 1, "
                + "\"output_tokens\": 1}\n"), "servesim"))
                .hasMessageContaining("x.jsonl:1: field 'servesim_trace': is missing from the meta line");
    }

    @Test
    void azureCsv() throws Exception {
        // no trailing newline, as in the published files
        Path file = write("azure.csv", "TIMESTAMP,ContextTokens,GeneratedTokens\n"
                + "2023-11-16 18:15:46.6805900,374,44\n"
                + "2023-11-16 18:15:50.9951690,396,109\n"
                + "2023-11-17 00:00:00.0000000,1,1");
        try (TraceReader reader = TraceReader.open(file, "auto", false, 512)) {
            assertThat(reader.format()).isEqualTo("azure");
            List<TraceEntry> entries = readAll(reader);
            assertThat(entries).extracting(TraceEntry::promptTokens).containsExactly(374, 396, 1);
            assertThat(entries).extracting(TraceEntry::outputTokens).containsExactly(44, 109, 1);
            assertThat(entries.get(0).time()).isZero();
            assertThat(entries.get(1).time()).isCloseTo(4.314579, within(1e-9));
            // across midnight: 5 h 44 min 13.31941 s after the first row
            assertThat(entries.get(2).time()).isCloseTo(5 * 3600 + 44 * 60 + 13.31941, within(1e-9));
            assertThat(entries.get(0).blockHashes()).isEmpty();
        }
        assertThatThrownBy(() -> readAll(write("az.csv", "TIMESTAMP,ContextTokens,GeneratedTokens\n"
                + "2023-11-16 18:15:46.68059,374,44\n"), "azure"))
                .hasMessageContaining("az.csv:2: field 'TIMESTAMP': expected yyyy-MM-dd HH:mm:ss.SSSSSSS, got "
                        + "'2023-11-16 18:15:46.68059'");
        assertThatThrownBy(() -> readAll(write("ay.csv", "TIMESTAMP,ContextTokens,GeneratedTokens\n"
                + "2023-11-16 18:15:46.6805900,374\n"), "azure"))
                .hasMessageContaining("ay.csv:2: field '(line)': expected 3 fields, got 2");
        assertThatThrownBy(() -> readAll(write("ax.csv", "time,prompt\n1,2\n"), "azure"))
                .hasMessageContaining("ax.csv:1: field '(header)': expected the Azure header "
                        + "TIMESTAMP,ContextTokens,GeneratedTokens, got 'time,prompt'");
    }

    @Test
    void burstGptCsvByColumnNames() throws Exception {
        Path file = write("burst.csv", """
                Timestamp,Model,Request tokens,Response tokens,Total tokens,Log Type
                5,ChatGPT,472,18,490,Conversation log
                45,"GPT-4, turbo",1087,0,1087,API log
                118.5,ChatGPT,417,150,567,Conversation log
                """);
        try (TraceReader reader = TraceReader.open(file, "auto", false, 512)) {
            assertThat(reader.format()).isEqualTo("burstgpt");
            List<TraceEntry> entries = readAll(reader);
            assertThat(entries).extracting(TraceEntry::time).containsExactly(5.0, 45.0, 118.5);
            assertThat(entries).extracting(TraceEntry::promptTokens).containsExactly(472, 1087, 417);
            assertThat(entries).extracting(TraceEntry::outputTokens).containsExactly(18, 0, 150);
        }
    }

    @Test
    void unknownOrEmptyFilesAreRejectedClearly() throws Exception {
        Path folderPath = Files.createDirectory(folder.resolve("traces"));
        assertThatThrownBy(() -> readAll(folderPath, "auto"))
                .hasMessage("workload.file: " + folderPath.toAbsolutePath() + " is a folder, not a trace");
        Path unknown = write("u.txt", "prompt,completion\nhello,world\n");
        assertThatThrownBy(() -> readAll(unknown, "auto"))
                .hasMessageStartingWith(unknown + ":1: cannot tell the trace format from the first line "
                        + "'prompt,completion'; known formats: servesim");
        Path empty = write("empty.jsonl", "\n\n");
        assertThatThrownBy(() -> readAll(empty, "auto")).hasMessage("trace " + empty + " is empty");
        assertThatThrownBy(() -> readAll(folder.resolve("missing.jsonl"), "auto"))
                .hasMessageStartingWith("workload.file: trace not found: ");
    }

    /** A Mooncake trace of {@code count} requests, one per second, each line ending with {@code \n}. */
    private static byte[] mooncake(int count) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < count; i++) {
            text.append("{\"timestamp\": ").append(i * 1000).append(", \"input_length\": 600, \"output_length\": 3, "
                    + "\"hash_ids\": [").append(i % 7).append(", ").append(100 + i).append("]}\n");
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** {@code bytes} with the byte at {@code offset} of line {@code line} (1-based) replaced by {@code value}. */
    private static byte[] replaceByte(byte[] bytes, int line, int offset, int value) {
        int start = 0;
        for (int current = 1; current < line; current++) {
            while (bytes[start] != '\n') {
                start++;
            }
            start++;
        }
        byte[] copy = bytes.clone();
        copy[start + offset] = (byte) value;
        return copy;
    }

    private Path writeBytes(String name, byte[] bytes) throws Exception {
        Path file = folder.resolve(name);
        Files.write(file, bytes);
        return file;
    }

    private static List<TraceEntry> readAll(Path file, boolean skipBadLines, long[] skipped) {
        try (TraceReader reader = TraceReader.open(file, "auto", skipBadLines, 512)) {
            List<TraceEntry> entries = readAll(reader);
            skipped[0] = reader.skippedLines();
            return entries;
        }
    }

    /**
     * Issue 14, finding "one non-UTF-8 byte ends the run, even with skip_bad_lines: true": the old reader failed with
     * an IO error "after line 5977: Input length = 1" for a bad byte on line 6000.
     */
    @Test
    void aNonUtf8ByteIsOneBadLineWithItsOwnNumber() throws Exception {
        Path file = writeBytes("latin1.jsonl", replaceByte(mooncake(6000), 6000, 16, 0xff));
        long[] skipped = new long[1];
        List<TraceEntry> entries = readAll(file, true, skipped);
        assertThat(entries).hasSize(5999);
        assertThat(entries.get(5998).line()).isEqualTo(5999);
        assertThat(skipped[0]).isEqualTo(1);
        assertThatThrownBy(() -> readAll(file, false, skipped))
                .hasMessage(file + ":6000: the line is not valid UTF-8 (byte 0xFF at byte 17) (format mooncake; "
                        + "skip_bad_lines: true skips malformed lines)")
                .satisfies(e -> assertThat(((ServesimException) e).kind()).isEqualTo(ErrorKind.CONFIG));
        // a sequence cut short is reported at its first byte; valid multi-byte characters are fine
        Path cut = write("cut.csv", "Timestamp,Model,Request tokens,Response tokens\n1,GPT-\u00e9,5,5\n"
                + "2,GPT-\u00e9,5,5\n");
        byte[] bytes = Files.readAllBytes(cut);
        Path truncated = writeBytes("cut2.csv", replaceByte(bytes, 3, 7, 'x'));
        assertThat(readAll(cut, "auto")).hasSize(2);
        assertThatThrownBy(() -> readAll(truncated, "auto"))
                .hasMessageStartingWith(truncated + ":3: the line is not valid UTF-8 (byte 0xC3 at byte 7)");
    }

    /** Issue 14, finding "a gzipped trace gives the same unclear message (say it is gzip, or read it)". */
    @Test
    void gzipTracesAreReadAsTheirContent() throws Exception {
        byte[] plain = mooncake(50);
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(compressed)) {
            gzip.write(plain);
        }
        Path file = writeBytes("trace.jsonl.gz", compressed.toByteArray());
        List<TraceEntry> entries = readAll(file, "auto");
        assertThat(entries).hasSize(50);
        assertThat(entries).extracting(TraceEntry::time).isEqualTo(readAll(writeBytes("trace.jsonl", plain), "auto")
                .stream().map(TraceEntry::time).toList());
        // cut short: the requests before the cut are read, then the run stops naming gzip
        byte[] gzip = compressed.toByteArray();
        Path cut = writeBytes("cut.jsonl.gz", Arrays.copyOf(gzip, gzip.length / 2));
        assertThatThrownBy(() -> readAll(cut, "auto"))
                .isInstanceOf(ServesimException.class)
                .hasMessageStartingWith(cut + ": the gzip stream is corrupt or cut short after line ");
        Path header = writeBytes("header.gz", new byte[] {0x1f, (byte) 0x8b, 8});
        assertThatThrownBy(() -> readAll(header, "auto"))
                .hasMessage(header + " starts like a gzip file (bytes 0x1f 0x8b) but has no valid gzip header: the "
                        + "file ends within it");
        Path method = writeBytes("method.gz", new byte[] {0x1f, (byte) 0x8b, 7, 0, 0, 0, 0, 0, 0, 0, 'x'});
        assertThatThrownBy(() -> readAll(method, "auto"))
                .hasMessage(method + " starts like a gzip file (bytes 0x1f 0x8b) but has no valid gzip header: "
                        + "Unsupported compression method");
        ByteArrayOutputStream empty = new ByteArrayOutputStream();
        new GZIPOutputStream(empty).close();
        Path emptyFile = writeBytes("empty.gz", empty.toByteArray());
        assertThatThrownBy(() -> readAll(emptyFile, "auto")).hasMessage("trace " + emptyFile + " is empty (gzip)");
    }

    /**
     * Issue 14, finding "a trace with no newline (/dev/zero) reaches 5 GB": the old reader held the whole line. The
     * first line is over the limit after 1 MiB, and the reader stops there.
     */
    @Test
    void aFirstLineOverTheLimitIsAnError() throws Exception {
        Path zeros = writeBytes("zeros", new byte[5 << 20]);
        assertThatThrownBy(() -> readAll(zeros, true, new long[1]))
                .hasMessage(zeros + ":1: not a text trace: line 1 is longer than 1 MiB (1048576 bytes), the limit of a "
                        + "trace line; a trace is UTF-8 text, or gzip of it, with lines of at most 1 MiB (1048576 "
                        + "bytes)");
        Path binary = writeBytes("binary", new byte[] {'P', 'K', 3, 4, 0, 0, '\n', 1});
        assertThatThrownBy(() -> readAll(binary, true, new long[1]))
                .hasMessageStartingWith(binary + ":1: not a text trace: line 1 has a binary byte 0x00 at byte 5; ");
        Path png = writeBytes("png", new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        assertThatThrownBy(() -> readAll(png, true, new long[1]))
                .hasMessageStartingWith(png + ":1: not a text trace: line 1 is not valid UTF-8 (byte 0x89 at byte 1); ");
    }

    @Test
    void laterLinesOverTheLimitAreSkippedWithoutBeingHeld() throws Exception {
        byte[] head = mooncake(3);
        byte[] longLine = new byte[TraceLines.MAX_LINE_BYTES + 10];
        Arrays.fill(longLine, (byte) ' ');
        byte[] exact = ("{\"timestamp\": 3000, \"input_length\": 600, \"output_length\": 3, \"hash_ids\": [1, 2]}")
                .getBytes(StandardCharsets.UTF_8);
        byte[] atLimit = new byte[TraceLines.MAX_LINE_BYTES];
        Arrays.fill(atLimit, (byte) ' ');
        System.arraycopy(exact, 0, atLimit, 0, exact.length);
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        text.write(head);
        text.write(longLine);
        text.write("\r\n".getBytes(StandardCharsets.UTF_8));
        text.write(atLimit);
        text.write('\n');
        Path file = writeBytes("long.jsonl", text.toByteArray());
        long[] skipped = new long[1];
        assertThat(readAll(file, true, skipped)).extracting(TraceEntry::line).containsExactly(1L, 2L, 3L, 5L);
        assertThat(skipped[0]).isEqualTo(1);
        assertThatThrownBy(() -> readAll(file, false, skipped))
                .hasMessage(file + ":4: the line is longer than 1 MiB (1048576 bytes), the limit of a trace line "
                        + "(format mooncake; skip_bad_lines: true skips malformed lines)");
    }

    @Test
    void nulBytesInLaterLinesAreBadLines() throws Exception {
        Path file = writeBytes("nul.jsonl", replaceByte(mooncake(4), 3, 2, 0));
        long[] skipped = new long[1];
        assertThat(readAll(file, true, skipped)).extracting(TraceEntry::line).containsExactly(1L, 2L, 4L);
        assertThat(skipped[0]).isEqualTo(1);
        assertThatThrownBy(() -> readAll(file, false, skipped))
                .hasMessageStartingWith(file + ":3: the line has a binary byte 0x00 at byte 3 (format mooncake");
    }

    @Test
    void lineBreaksByteOrderMarkAndUtf8() throws Exception {
        String header = "Timestamp,Model,Request tokens,Response tokens";
        // \r\n, a lone \r and \n, as BufferedReader.readLine; a byte order mark before the header
        Path file = write("breaks.csv", "\uFEFF" + header + "\r\n1,m\u00fcnchen \ud83d\ude00,5,5\r2,x,6,6\n\r\n3,y,7,7");
        try (TraceReader reader = TraceReader.open(file, "auto", false, 512)) {
            assertThat(reader.format()).isEqualTo("burstgpt");
            assertThat(readAll(reader)).extracting(TraceEntry::line).containsExactly(2L, 3L, 5L);
        }
    }

    /**
     * Issue 14, finding "one trace line with "timestamp": 1e+300 runs forever": the old reader accepted any finite
     * time. A request after 1e9 s of simulated time is a bad line naming the format's time field.
     */
    @Test
    void arrivalsAfterTheTimeLimitAreBadLines() throws Exception {
        Path file = write("far.jsonl", """
                {"timestamp": 0, "input_length": 10, "output_length": 5, "hash_ids": [1]}
                {"timestamp": 1e300, "input_length": 10, "output_length": 5, "hash_ids": [1]}
                {"timestamp": 1e12, "input_length": 10, "output_length": 5, "hash_ids": [1]}
                {"timestamp": 1000000000000.5, "input_length": 10, "output_length": 5, "hash_ids": [1]}
                """);
        long[] skipped = new long[1];
        assertThat(readAll(file, true, skipped)).extracting(TraceEntry::line).containsExactly(1L, 3L);
        assertThat(skipped[0]).isEqualTo(2);
        assertThatThrownBy(() -> readAll(file, false, skipped))
                .hasMessage(file + ":2: field 'timestamp': arrives at 1.0E297 s of trace time, later than the 1e9 s "
                        + "(about 31.7 years) a replay may last (format mooncake; skip_bad_lines: true skips malformed "
                        + "lines)");
        // the limit is on the simulated time: start takes an origin away, a speedup below 1 stretches the trace
        try (TraceReader reader = TraceReader.open(file, "auto", false, 512, 1e9, 1)) {
            reader.next();
            assertThatThrownBy(reader::next).hasMessageContaining(":2: field 'timestamp': arrives at 1.0E297 s");
        }
        try (TraceReader reader = TraceReader.open(file, "auto", true, 512, 1e9, 0.5)) {
            // line 1 is before start (the source skips it), lines 3 and 4 arrive at 0 and 0.001 s
            assertThat(readAll(reader)).extracting(TraceEntry::line).containsExactly(1L, 3L, 4L);
            assertThat(reader.skippedLines()).isEqualTo(1);
        }
        assertThatThrownBy(() -> {
            try (TraceReader reader = TraceReader.open(file, "auto", false, 512, 1e9, 0.5)) {
                readAll(reader);
            }
        }).hasMessageContaining(":2: field 'timestamp': arrives at 1.0E297 s of trace time, which start 1.0E9 s and "
                + "speedup 0.5 put at 2.0E297 s, later than");
        assertThatThrownBy(() -> readAll(write("nan.csv", "Timestamp,Request tokens,Response tokens\nNaN,5,5\n"),
                "auto")).hasMessageContaining(":2: field 'Timestamp': must be a finite time of at least 0, got NaN");
        assertThatThrownBy(() -> readAll(write("late.csv", "Timestamp,Request tokens,Response tokens\n1e10,5,5\n"),
                "auto")).hasMessageContaining(":2: field 'Timestamp': arrives at 1.0E10 s of trace time");
        assertThatThrownBy(() -> readAll(write("late.jsonl", "{\"servesim_trace\": 1, \"block_size\": 16}\n"
                + "{\"arrival\": -1, \"prompt_tokens\": 1, \"output_tokens\": 1}\n"), "auto"))
                .hasMessageContaining(":2: field 'arrival': must be a finite time of at least 0, got -1.0");
        // Azure times count from the first row: 40 years after it is too late
        assertThatThrownBy(() -> readAll(write("late-azure.csv", "TIMESTAMP,ContextTokens,GeneratedTokens\n"
                + "2023-11-16 18:15:46.6805900,374,44\n2063-11-16 18:15:46.6805900,374,44\n"), "auto"))
                .hasMessageContaining(":3: field 'TIMESTAMP': arrives at 1.262304E9 s of trace time");
    }

    @Test
    void quotedValuesInMessagesAreShortAndOnOneLine() throws Exception {
        String value = "x".repeat(5000);
        assertThatThrownBy(() -> readAll(write("v.csv", "Timestamp,Request tokens,Response tokens\n1," + value
                + "\u0001,5\n"), "auto"))
                .hasMessageContaining(":2: field 'Request tokens': expected an integer, got '" + "x".repeat(60) + "...'");
        assertThatThrownBy(() -> readAll(write("w.csv", "TIMESTAMP,ContextTokens,GeneratedTokens\n"
                + "2023\u000b11,1,1\n"), "auto"))
                .hasMessageContaining("got '2023\\u000b11'");
        assertThatThrownBy(() -> readAll(write("h.csv", "TIMESTAMP,ContextTokens,\"GeneratedTokens\n"), "azure"))
                .hasMessageContaining("h.csv:1: field '(header)': unclosed quoted field (format azure)");
    }

    @Test
    void csvFieldsFollowRfc4180() {
        assertThat(CsvFields.split("a, b ,\"c, d\",\"e \"\"q\"\"\",")).containsExactly("a", "b", "c, d", "e \"q\"", "");
        assertThatThrownBy(() -> CsvFields.split("a,\"b")).hasMessage("unclosed quoted field");
    }
}
