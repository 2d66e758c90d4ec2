package dev.servesim.workload.trace;

import dev.servesim.api.ErrorKind;
import dev.servesim.api.ServesimException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Tells a trace's format from its start ({@code format: auto}). Each format is recognised by fields only it has; a
 * start that fits none, or several, is refused with the candidates, never guessed (docs/trace-format.md, "Telling the
 * format").
 */
final class TraceFormats {

    static final String SERVESIM = "servesim";
    static final String MOONCAKE = "mooncake";
    static final String AZURE = "azure";
    static final String BURSTGPT = "burstgpt";
    static final String VCR = "vcr";
    static final String SHAREGPT = "sharegpt";
    static final String VLLM_BENCH = "vllm-bench";
    static final String OPENAI_LOG = "openai-log";
    static final String BAILIAN = "bailian";

    private static final Pattern KEY = Pattern.compile("\"([A-Za-z0-9_]+)\"\\s*:");

    private static final String KNOWN = "known formats: servesim (meta line {\"servesim_trace\": 1, \"block_size\": "
            + "N}), vcr (vllm-vcr JSON lines: {\"meta\": ...} or arrival_ms, prompt_tokens, output_tokens), "
            + "mooncake (JSON lines with timestamp, input_length, output_length, hash_ids), bailian (the same with "
            + "chat_id, parent_chat_id, timestamps in seconds), openai-log (JSON lines with created, usage), sharegpt (a JSON "
            + "array of {\"conversations\": [...]}), vllm-bench (a benchmark_serving result with request_rate, "
            + "input_lens, output_lens), azure (CSV header TIMESTAMP,ContextTokens,GeneratedTokens), burstgpt (CSV "
            + "header with Timestamp, Request tokens, Response tokens)";

    private TraceFormats() {}

    /** Whether {@code format} is one JSON document rather than lines. */
    static boolean wholeDocument(String format) {
        return format.equals(SHAREGPT) || format.equals(VLLM_BENCH);
    }

    /**
     * The format of a trace that is one JSON document, told from the first 64 KiB of its content, or {@code null} if
     * the trace is not one: its first line tells the format ({@link #fromFirstLine}).
     */
    static String fromHead(Path file, byte[] head) {
        int i = 0;
        if (head.length >= 3 && (head[0] & 0xff) == 0xef && (head[1] & 0xff) == 0xbb && (head[2] & 0xff) == 0xbf) {
            i = 3;
        }
        while (i < head.length && (head[i] == ' ' || head[i] == '\t' || head[i] == '\n' || head[i] == '\r')) {
            i++;
        }
        if (i == head.length || (head[i] != '[' && head[i] != '{')) {
            return null;
        }
        Set<String> keys = keys(new String(head, i, head.length - i, StandardCharsets.ISO_8859_1));
        if (head[i] == '[') {
            if (keys.contains("conversations")) {
                return SHAREGPT;
            }
            throw new ServesimException(ErrorKind.CONFIG, file + ":1: cannot tell the trace format: the file is a JSON "
                    + "array, but its first elements have no 'conversations' field (ShareGPT); " + KNOWN
                    + "; set workload.format if the file is one of them");
        }
        boolean bench = keys.contains("input_lens") && keys.contains("output_lens")
                || keys.contains("request_rate") && (keys.contains("completed") || keys.contains("num_prompts"));
        return bench ? VLLM_BENCH : null;
    }

    /** The format of a trace of lines, told from its first line; refused if no format, or several, fit. */
    static String fromFirstLine(Path file, long lineNumber, String first) {
        String trimmed = first.strip();
        List<String> candidates = new ArrayList<>();
        if (trimmed.startsWith("{")) {
            if (trimmed.contains("\"servesim_trace\"")) {
                return SERVESIM;
            }
            Set<String> keys = keys(trimmed);
            boolean bailian = keys.contains("chat_id") || keys.contains("parent_chat_id");
            if (keys.contains("arrival_ms") || keys.contains("ttft_ms") && keys.contains("prompt_tokens")
                    || !keys.isEmpty() && keys.iterator().next().equals("meta")) {
                candidates.add(VCR);
            }
            if (bailian) {
                candidates.add(BAILIAN);
            } else if (keys.contains("hash_ids") || keys.contains("input_length")) {
                candidates.add(MOONCAKE);
            }
            if (keys.contains("created") && keys.contains("usage")) {
                candidates.add(OPENAI_LOG);
            }
        } else {
            try {
                String[] header = CsvFields.split(trimmed);
                if (AzureParser.matches(header)) {
                    return AZURE;
                }
                if (BurstGptParser.matches(header)) {
                    return BURSTGPT;
                }
            } catch (IllegalArgumentException e) {
                // not a CSV header either: reported below
            }
        }
        if (candidates.size() == 1) {
            return candidates.get(0);
        }
        String where = file + ":" + lineNumber + ": ";
        if (candidates.isEmpty()) {
            throw new ServesimException(ErrorKind.CONFIG, where + "cannot tell the trace format from the first line '"
                    + LineParser.shown(trimmed, 80) + "'; " + KNOWN + "; set workload.format if the file is one of "
                    + "them");
        }
        throw new ServesimException(ErrorKind.CONFIG, where + "the first line has the fields of several trace formats: "
                + String.join(", ", candidates) + "; set workload.format to the one the file is");
    }

    /** Names of the object fields in {@code text}, at any depth, in order of appearance. */
    private static Set<String> keys(String text) {
        Set<String> keys = new LinkedHashSet<>();
        Matcher matcher = KEY.matcher(text);
        while (matcher.find()) {
            keys.add(matcher.group(1));
        }
        return keys;
    }
}
