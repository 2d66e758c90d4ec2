package dev.servesim.workload.trace;

import static dev.servesim.workload.trace.Traces.EXAMPLES;
import static dev.servesim.workload.trace.Traces.entries;
import static dev.servesim.workload.trace.Traces.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Qwen-Bailian-style traces, OpenAI request logs, and telling them from Mooncake traces (docs/trace-format.md). */
class LoggedTracesTest {

    private static final String SKIP = " (format bailian; skip_bad_lines: true skips malformed lines)";

    @TempDir
    Path folder;

    private Path write(String name, String text) throws Exception {
        return Files.writeString(folder.resolve(name), text);
    }

    @Test
    void bailianExampleReadsSecondsAndLinksFollowUpsIntoSessions() {
        Traces.Read read = read(EXAMPLES.resolve("bailian.jsonl"), "auto", false);
        assertThat(read.format()).isEqualTo("bailian");
        List<TraceEntry> entries = read.entries();
        assertThat(entries).hasSize(20);
        assertThat(entries.get(1).time()).isEqualTo(1.566);
        assertThat(entries.get(entries.size() - 1).time()).isEqualTo(76.654);
        TraceEntry first = entries.get(0);
        assertThat(first.sessionId()).isEqualTo(1);
        assertThat(first.turn()).isEqualTo(1);
        assertThat(first.blockSize()).isEqualTo(16);
        assertThat(first.blockHashes()).hasSize(13);
        // chat 1 has follow-ups: chats 2 and 3 (parent 1, then parent 2)
        assertThat(entries).filteredOn(entry -> entry.sessionId() == 1).extracting(TraceEntry::turn)
                .containsExactly(1, 2, 3);
    }

    @Test
    void bailianFollowUpsOfUnknownChatsStartSessionsAndFaultsAreLocated() throws Exception {
        Path file = write("b.jsonl", """
                {"chat_id": 7, "parent_chat_id": 3, "timestamp": 0.5, "input_length": 20, "output_length": 2,\
                 "hash_ids": [1]}
                {"chat_id": 8, "parent_chat_id": 7, "timestamp": 1.5, "input_length": 40, "output_length": 2,\
                 "hash_ids": [1, 2, 3]}
                """);
        assertThat(entries(file, "auto")).extracting(TraceEntry::sessionId, TraceEntry::turn)
                .containsExactly(tuple(7L, 1), tuple(7L, 2));
        Path bad = write("bad.jsonl", """
                {"chat_id": 7, "parent_chat_id": -1, "timestamp": 0.5, "input_length": 20, "output_length": 2}
                {"chat_id": 8, "parent_chat_id": 7, "timestamp": 1.5, "input_length": 40, "output_length": 2,\
                 "hash_ids": [1]}
                """);
        assertThatThrownBy(() -> entries(bad, "bailian")).hasMessage(bad + ":2: field 'hash_ids': has 1 ids, but "
                + "input_length 40 needs 2 or 3 blocks of 16 tokens" + SKIP);
        Path mooncake = write("m.jsonl", "{\"timestamp\": 0, \"input_length\": 4, \"output_length\": 1, "
                + "\"hash_ids\": [1]}\n");
        assertThatThrownBy(() -> entries(mooncake, "bailian")).hasMessageStartingWith(mooncake + ":1: field "
                + "'chat_id': is missing (a Bailian-style trace links chats by chat_id and parent_chat_id; a trace "
                + "with timestamps in milliseconds and no chat ids is format mooncake)");
    }

    @Test
    void aBailianTraceIsNeverReadAsMooncake() throws Exception {
        Path file = EXAMPLES.resolve("bailian.jsonl");
        assertThatThrownBy(() -> entries(file, "mooncake")).hasMessage(file + ":1: field 'chat_id': a Mooncake trace "
                + "has no chat_id: this looks like a Qwen-Bailian-style trace, whose timestamps are seconds, not "
                + "milliseconds; set format: bailian (format mooncake; skip_bad_lines: true skips malformed lines)");
        // seconds where Mooncake has milliseconds: Unix time in seconds, read as milliseconds, would be 20 days
        Path unix = write("unix.jsonl", """
                {"timestamp": 1717171717.5, "input_length": 4, "output_length": 1, "hash_ids": [1]}
                {"timestamp": 1717171718.5, "input_length": 4, "output_length": 1, "hash_ids": [1]}
                """);
        assertThatThrownBy(() -> entries(unix, "auto")).hasMessageStartingWith(unix + ":1: field 'timestamp': the "
                + "first request's timestamp 1.7171717175E9 looks like Unix time in seconds, but Mooncake timestamps "
                + "are milliseconds from the trace start");
        // a Mooncake trace that starts at 0 may run for weeks
        Path weeks = write("weeks.jsonl", """
                {"timestamp": 0, "input_length": 4, "output_length": 1, "hash_ids": [1]}
                {"timestamp": 2000000000, "input_length": 4, "output_length": 1, "hash_ids": [1]}
                """);
        assertThat(entries(weeks, "auto")).extracting(TraceEntry::time).containsExactly(0.0, 2e6);
    }

    @Test
    void openAiLogExampleIsSortedAndCountsFromTheEarliestRequest() {
        Traces.Read read = read(EXAMPLES.resolve("openai-log.jsonl"), "auto", false);
        assertThat(read.format()).isEqualTo("openai-log");
        List<TraceEntry> entries = read.entries();
        assertThat(entries).hasSize(24);
        assertThat(entries.get(0).time()).isZero();
        assertThat(entries).extracting(TraceEntry::time).isSorted();
        // the first line was created at 1717171718, the third at 1717171719, the second at 1717171722
        assertThat(entries.subList(0, 3)).extracting(TraceEntry::line).containsExactly(1L, 3L, 2L);
        assertThat(entries.stream().mapToLong(TraceEntry::promptTokens).sum()).isEqualTo(10_778);
    }

    @Test
    void openAiLogFaultsAreLocated() throws Exception {
        String good = "{\"created\": 1700000000, \"usage\": {\"prompt_tokens\": 5, \"completion_tokens\": 3}}\n";
        Path ms = write("ms.jsonl", good + "{\"created\": 1700000000000, \"usage\": {\"prompt_tokens\": 5, "
                + "\"completion_tokens\": 3}}\n");
        assertThatThrownBy(() -> entries(ms, "auto")).hasMessageStartingWith(ms + ":2: field 'created': 1.7E12 looks "
                + "like Unix time in milliseconds; OpenAI's created is Unix time in seconds");
        Path missing = write("missing.jsonl", good + "{\"created\": 1700000001, \"usage\": {\"prompt_tokens\": 5}}\n");
        assertThatThrownBy(() -> entries(missing, "openai-log")).hasMessage(missing + ":2: field "
                + "'usage.completion_tokens': is missing (format openai-log; skip_bad_lines: true skips malformed "
                + "lines)");
        Path nulls = write("null.jsonl", good + "{\"created\": 1700000001, \"usage\": null}\n");
        assertThatThrownBy(() -> entries(nulls, "openai-log"))
                .hasMessageContaining(":2: field 'usage': expected an object {prompt_tokens, completion_tokens}, "
                        + "got null");
    }

    @Test
    void aFirstLineThatFitsSeveralFormatsOrNoneIsRefusedWithTheCandidates() throws Exception {
        Path both = write("both.jsonl", "{\"created\": 1, \"usage\": {}, \"chat_id\": 1}\n");
        assertThatThrownBy(() -> entries(both, "auto")).hasMessage(both + ":1: the first line has the fields of "
                + "several trace formats: bailian, openai-log; set workload.format to the one the file is");
        Path none = write("none.jsonl", "{\"time\": 1, \"tokens\": 3}\n");
        assertThatThrownBy(() -> entries(none, "auto")).hasMessageStartingWith(none + ":1: cannot tell the trace "
                + "format from the first line '{\"time\": 1, \"tokens\": 3}'; known formats: servesim")
                .hasMessageContaining("sharegpt (a JSON array of {\"conversations\": [...]})");
        Path array = write("array.json", "[{\"messages\": []}]\n");
        assertThatThrownBy(() -> entries(array, "auto")).hasMessageStartingWith(array + ":1: cannot tell the trace "
                + "format: the file is a JSON array, but its first elements have no 'conversations' field (ShareGPT)");
    }
}
