package dev.servesim.workload;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * The trace fuzzer's formats. For the formats of lines: a header (or none), fields of a request row, and how they are
 * written; the formats that are one JSON document are made by {@link DocumentMutations}.
 */
enum FuzzFormat {
    SERVESIM("servesim", "arrival", "prompt_tokens", "output_tokens"),
    MOONCAKE("mooncake", "timestamp", "input_length", "output_length"),
    AZURE("azure", "TIMESTAMP", "ContextTokens", "GeneratedTokens"),
    BURSTGPT("burstgpt", "Timestamp", "Request tokens", "Response tokens"),
    VCR("vcr", "arrival_ms", "prompt_tokens", "output_tokens"),
    BAILIAN("bailian", "timestamp", "input_length", "output_length"),
    OPENAI_LOG("openai-log", "created", "prompt_tokens", "completion_tokens"),
    SHAREGPT("sharegpt", "", "", ""),
    VLLM_BENCH("vllm-bench", "", "", "");

    private static final DateTimeFormatter AZURE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSSS");

    final String name;
    final String time;
    final String prompt;
    final String output;

    FuzzFormat(String name, String time, String prompt, String output) {
        this.name = name;
        this.time = time;
        this.prompt = prompt;
        this.output = output;
    }

    boolean document() {
        return this == SHAREGPT || this == VLLM_BENCH;
    }

    boolean json() {
        return this != AZURE && this != BURSTGPT;
    }

    /** The header or meta line, or {@code null}. */
    String header() {
        return switch (this) {
            case SERVESIM -> "{\"servesim_trace\": 1, \"block_size\": 16, \"run\": \"fuzz\"}";
            case VCR -> "{\"meta\": {\"model\": \"fuzz\", \"block_size\": 16, \"source\": \"tap\"}}";
            case MOONCAKE, BAILIAN, OPENAI_LOG -> null;
            case AZURE -> "TIMESTAMP,ContextTokens,GeneratedTokens";
            case BURSTGPT -> "Timestamp,Model,Request tokens,Response tokens,Total tokens,Log Type";
            case SHAREGPT, VLLM_BENCH -> throw new IllegalStateException(name + " is one document");
        };
    }

    /** A valid request at {@code seconds} of trace time, the {@code index}-th of its file. */
    Map<String, String> row(double seconds, Random random, int index) {
        int prompt = 1 + random.nextInt(3000);
        int output = 1 + random.nextInt(400);
        Map<String, String> row = new LinkedHashMap<>();
        switch (this) {
            case SERVESIM -> {
                row.put(time, Double.toString(seconds));
                row.put(prompt(), Integer.toString(prompt));
                row.put(output(), Integer.toString(output));
                row.put("block_hashes", ids(random.nextInt(Math.min(prompt / 16, 6) + 1), random, false));
                if (random.nextBoolean()) {
                    row.put("profile", "\"chat \\u00e9\u00e9\"");
                }
            }
            case MOONCAKE -> {
                row.put(time, Long.toString(Math.round(seconds * 1000)));
                row.put(prompt(), Integer.toString(prompt));
                row.put(output(), Integer.toString(output));
                row.put("hash_ids", ids((prompt + 511) / 512, random, false));
            }
            case VCR -> {
                row.put(prompt(), Integer.toString(prompt));
                row.put(output(), Integer.toString(output));
                row.put("ttft_ms", Double.toString(random.nextInt(5000) / 10.0));
                row.put("itl_ms", "[" + random.nextInt(30) + ", " + random.nextInt(30) + ".5]");
                row.put(time, Double.toString(Math.round(seconds * 1e4) / 10.0));
                row.put("block_hashes", ids(random.nextInt(Math.min(prompt / 16, 6) + 1), random, true));
                row.put("finish_reason", random.nextBoolean() ? "\"length\"" : "\"stop\"");
            }
            case BAILIAN -> {
                row.put("chat_id", Integer.toString(100 + index));
                row.put("parent_chat_id", index > 0 && random.nextBoolean()
                        ? Integer.toString(100 + random.nextInt(index)) : "-1");
                row.put(time, Double.toString(seconds));
                row.put(prompt(), Integer.toString(prompt));
                row.put(output(), Integer.toString(output));
                row.put("type", "\"text\"");
                row.put("hash_ids", ids((prompt + 15) / 16, random, false));
            }
            case OPENAI_LOG -> {
                row.put("id", "\"chatcmpl-" + index + "\"");
                row.put(time, Double.toString(1.7e9 + seconds));
                row.put(prompt(), Integer.toString(prompt));
                row.put(output(), Integer.toString(output));
                row.put("model", "\"fuzz\"");
            }
            case AZURE -> {
                LocalDateTime at = LocalDateTime.of(2023, 11, 16, 18, 15, 46)
                        .plusNanos(Math.round(seconds * 1e7) * 100);
                row.put(time, at.format(AZURE_TIME));
                row.put(prompt(), Integer.toString(prompt));
                row.put(output(), Integer.toString(output));
            }
            case BURSTGPT -> {
                row.put(time, Double.toString(seconds));
                row.put("Model", random.nextBoolean() ? "ChatGPT" : "\"GPT-4, m\u00fcnchen\"");
                row.put(prompt(), Integer.toString(prompt));
                row.put(output(), Integer.toString(output));
                row.put("Total tokens", Integer.toString(prompt + output));
                row.put("Log Type", "Conversation log");
            }
            case SHAREGPT, VLLM_BENCH -> throw new IllegalStateException(name + " is one document");
        }
        return row;
    }

    String prompt() {
        return prompt;
    }

    String output() {
        return output;
    }

    /** The line of {@code row}; an OpenAI log nests the token counts in {@code usage}. */
    String render(Map<String, String> row) {
        StringBuilder line = new StringBuilder();
        if (this == OPENAI_LOG) {
            StringBuilder usage = new StringBuilder();
            line.append('{');
            row.forEach((key, value) -> {
                StringBuilder into = key.equals(prompt) || key.equals(output) ? usage : line;
                into.append(into.length() > 1 ? ", " : "").append('"').append(key).append("\": ").append(value);
            });
            return line.append(line.length() > 1 ? ", " : "").append("\"usage\": {").append(usage).append("}}")
                    .toString();
        }
        if (json()) {
            line.append('{');
            row.forEach((key, value) -> line.append(line.length() > 1 ? ", " : "").append('"').append(key)
                    .append("\": ").append(value));
            return line.append('}').toString();
        }
        return String.join(",", row.values());
    }

    /** A value of the time field that is valid for the format but far too late, or not a time at all. */
    String far() {
        return this == AZURE ? "9999-12-31 23:59:59.0000000" : "1e300";
    }

    private static String ids(int count, Random random, boolean unsigned) {
        StringBuilder ids = new StringBuilder("[");
        for (int i = 0; i < count; i++) {
            long id = random.nextLong();
            ids.append(i == 0 ? "" : ", ").append(unsigned ? Long.toUnsignedString(id) : Long.toString(id));
        }
        return ids.append(']').toString();
    }
}
