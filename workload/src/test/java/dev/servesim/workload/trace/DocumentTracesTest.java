package dev.servesim.workload.trace;

import static dev.servesim.workload.trace.Traces.EXAMPLES;
import static dev.servesim.workload.trace.Traces.entries;
import static dev.servesim.workload.trace.Traces.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Traces that are one JSON document: ShareGPT and vLLM benchmark_serving results (docs/trace-format.md). */
class DocumentTracesTest {

    @TempDir
    Path folder;

    private Path write(String name, String text) throws Exception {
        return Files.writeString(folder.resolve(name), text);
    }

    @Test
    void shareGptConversationsBecomeSessionsWhoseTurnsShareTheirHistory() {
        Traces.Read read = read(EXAMPLES.resolve("sharegpt.json"), "auto", false);
        assertThat(read.format()).isEqualTo("sharegpt");
        List<TraceEntry> entries = read.entries();
        assertThat(entries).hasSize(21);
        // conversation 0: 54 tokens asked, 112 replied, then the next question: (len + 3) / 4 tokens a message
        TraceEntry first = entries.get(0);
        TraceEntry second = entries.get(1);
        assertThat(first.promptTokens()).isEqualTo(54);
        assertThat(first.outputTokens()).isEqualTo(112);
        assertThat(second.promptTokens()).isEqualTo(174);
        assertThat(first.sessionId()).isZero();
        assertThat(List.of(first.turn(), second.turn())).containsExactly(1, 2);
        assertThat(second.time()).isEqualTo(first.time()).isZero();
        assertThat(first.blockSize()).isEqualTo(16);
        assertThat(second.blockHashes()).hasSize(10).startsWith(first.blockHashes());
        assertThat(first.line()).isEqualTo(2);
        // conversation 3 starts with a system message: it is part of the first prompt
        assertThat(entries).filteredOn(entry -> entry.sessionId() == 3).first()
                .satisfies(entry -> assertThat(entry.promptTokens()).isEqualTo(90));
        // sessions arrive one a second on average, in order; other conversations share no block
        assertThat(entries).extracting(TraceEntry::time).isSorted();
        assertThat(entries.get(entries.size() - 1).time()).isPositive();
        TraceEntry other = entries.stream().filter(entry -> entry.sessionId() == 1).findFirst().orElseThrow();
        assertThat(other.blockHashes()).doesNotContain(first.blockHashes());
    }

    @Test
    void aBrokenConversationIsLocatedAndSkippableButBrokenJsonIsNot() throws Exception {
        Path file = write("s.json", """
                [
                  {"id": "a", "conversations": [{"from": "human", "value": "hello there"},
                    {"from": "gpt", "value": "hi"}]},
                  {"id": "b", "conversations": [{"from": "human", "value": "x"},
                    {"from": "robot", "value": "y"}]},
                  {"id": "c", "conversations": [{"from": "human", "value": "abcdefgh"}, {"from": "gpt", "value": "z"}]}
                ]
                """);
        assertThatThrownBy(() -> entries(file, "auto")).hasMessage(file + ":5: field 'conversations[1].from': unknown "
                + "speaker 'robot'; one of human, user, gpt, chatgpt, bard, bing, assistant, model, system (format "
                + "sharegpt; skip_bad_lines: true skips malformed lines)");
        Traces.Read skipped = read(file, "sharegpt", true);
        assertThat(skipped.entries()).extracting(TraceEntry::sessionId).containsExactly(0L, 2L);
        assertThat(skipped.entries()).extracting(TraceEntry::promptTokens).containsExactly(3, 2);
        assertThat(skipped.skipped()).isEqualTo(1);

        Path broken = write("broken.json", "[\n{\"conversations\": [{\"from\": \"human\", \"value\": \"x\"},\n"
                + "{\"from\": \"gpt\", \"value\": \"y\"}]},\n{\"conversations\": [}\n]\n");
        assertThatThrownBy(() -> read(broken, "sharegpt", true)).hasMessageStartingWith(broken + ":4: field '(json)': "
                + "not valid JSON: Unexpected close marker '}'").hasMessageEndingWith("(format sharegpt)");
        Path cut = write("cut.json", "[{\"conversations\": [{\"from\": \"human\", \"value\": \"x\"}");
        assertThatThrownBy(() -> entries(cut, "sharegpt")).hasMessageContaining(":1: field '(json)': not valid JSON: "
                + "Unexpected end-of-input");
        Path object = write("o.json", "{\"conversations\": []}\n");
        assertThatThrownBy(() -> entries(object, "sharegpt"))
                .hasMessage(object + ":1: field '(json)': expected a JSON array of conversations, got an object "
                        + "(format sharegpt)");
    }

    @Test
    void aHugeShareGptStringIsRefusedNotHeld() throws Exception {
        Path file = folder.resolve("huge.json");
        byte[] value = new byte[JsonValues.MAX_DOCUMENT_STRING_CHARS + 10];
        Arrays.fill(value, (byte) 'a');
        Files.write(file, ("[{\"conversations\": [{\"from\": \"human\", \"value\": \"" + new String(value,
                StandardCharsets.ISO_8859_1) + "\"}]}]").getBytes(StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> entries(file, "auto")).hasMessageContaining(":1: field '(json)': not valid JSON: "
                + "String value length").hasMessageContaining("exceeds the maximum allowed");
    }

    @Test
    void vllmBenchResultsArriveAtTheRecordedRate() throws Exception {
        Path file = EXAMPLES.resolve("vllm-bench.json");
        Traces.Read read = read(file, "auto", false);
        assertThat(read.format()).isEqualTo("vllm-bench");
        List<TraceEntry> entries = read.entries();
        assertThat(entries).hasSize(30);
        assertThat(entries.get(0).time()).isZero();
        assertThat(entries).extracting(TraceEntry::time).isSorted().doesNotHaveDuplicates();
        assertThat(entries.get(17).outputTokens()).isZero();
        // exponential gaps at 4 per second, from the stream given (seed 1 here)
        SplittableRandom random = new SplittableRandom(1);
        double time = 0;
        for (int i = 1; i < 5; i++) {
            time += random.nextExponential() / 4.0;
            assertThat(entries.get(i).time()).isEqualTo(time);
        }
        Path inf = write("inf.json", "{\"request_rate\": Infinity, \"input_lens\": [5, 6], \"output_lens\": [1, 2]}");
        assertThat(entries(inf, "auto")).extracting(TraceEntry::time).containsExactly(0.0, 0.0);
        Path text = write("text.json", "{\"request_rate\": \"inf\", \"input_lens\": [5], \"output_lens\": [1]}");
        assertThat(entries(text, "vllm-bench")).extracting(TraceEntry::promptTokens).containsExactly(5);
    }

    @Test
    void vllmBenchFaultsAreLocatedAndStopTheRun() throws Exception {
        Path summary = write("summary.json", "{\"request_rate\": 2.0, \"completed\": 10, \"duration\": 5.0}\n");
        assertThatThrownBy(() -> read(summary, "auto", true)).hasMessage(summary + ":1: field 'input_lens': is "
                + "missing: the per-request lengths are in results saved with --save-result (and --save-detailed in "
                + "newer vLLM) (format vllm-bench)");
        Path uneven = write("uneven.json", "{\"request_rate\": 2.0,\n\"input_lens\": [1, 2],\n\"output_lens\": [1]}");
        assertThatThrownBy(() -> entries(uneven, "vllm-bench"))
                .hasMessage(uneven + ":2: field 'output_lens': has 1 lengths, but input_lens has 2 "
                        + "(format vllm-bench)");
        Path negative = write("negative.json", "{\"request_rate\": 2.0,\n\"input_lens\": [1,\n-2],\n"
                + "\"output_lens\": [1, 1]}");
        assertThatThrownBy(() -> entries(negative, "vllm-bench"))
                .hasMessage(negative + ":3: field 'input_lens[1]': must not be negative, got -2 (format vllm-bench)");
        Path rate = write("rate.json", "{\"request_rate\": 0, \"input_lens\": [1], \"output_lens\": [1]}");
        assertThatThrownBy(() -> entries(rate, "vllm-bench"))
                .hasMessage(rate + ":1: field 'request_rate': must be positive, got 0.0 (format vllm-bench)");
    }
}
