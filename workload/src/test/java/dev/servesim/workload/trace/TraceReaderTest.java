package dev.servesim.workload.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.servesim.api.ErrorKind;
import dev.servesim.api.ServesimException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
        Path unknown = write("u.txt", "prompt,completion\nhello,world\n");
        assertThatThrownBy(() -> readAll(unknown, "auto"))
                .hasMessageStartingWith(unknown + ":1: cannot tell the trace format from the first line "
                        + "'prompt,completion'; known formats: servesim");
        Path empty = write("empty.jsonl", "\n\n");
        assertThatThrownBy(() -> readAll(empty, "auto")).hasMessage("trace " + empty + " is empty");
        assertThatThrownBy(() -> readAll(folder.resolve("missing.jsonl"), "auto"))
                .hasMessageStartingWith("workload.file: trace not found: ");
    }

    @Test
    void csvFieldsFollowRfc4180() {
        assertThat(CsvFields.split("a, b ,\"c, d\",\"e \"\"q\"\"\",")).containsExactly("a", "b", "c, d", "e \"q\"", "");
        assertThatThrownBy(() -> CsvFields.split("a,\"b")).hasMessage("unclosed quoted field");
    }
}
