package dev.servesim.workload;

import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Figures of a Mooncake trace computed straight from the file, independently of the trace source and of block
 * hashing: lines are matched with regular expressions and reuse is a walk over the hash ids with a set of ids seen
 * before (ids are prefix-chained, so an id seen before means its whole prefix was seen).
 *
 * @param requests lines
 * @param promptTokens sum of input_length
 * @param outputTokens sum of output_length
 * @param blocks hash blocks (512 tokens, the last partial)
 * @param reusableBlocks leading blocks whose id was seen in an earlier request (the traces README's figure)
 * @param reusableTokens16 prompt tokens an unbounded cache of 16-token blocks serves: the leading seen blocks' tokens
 *     rounded down to 16, at most (input_length - 1) rounded down to 16 (vLLM computes at least one token)
 * @param lastTimestampMs timestamp of the last line
 */
record MooncakeFacts(long requests, long promptTokens, long outputTokens, long blocks, long reusableBlocks,
        long reusableTokens16, long lastTimestampMs) {

    private static final Pattern TIMESTAMP = Pattern.compile("\"timestamp\":\\s*(\\d+)");
    private static final Pattern INPUT = Pattern.compile("\"input_length\":\\s*(\\d+)");
    private static final Pattern OUTPUT = Pattern.compile("\"output_length\":\\s*(\\d+)");
    private static final Pattern HASHES = Pattern.compile("\"hash_ids\":\\s*\\[([^\\]]*)\\]");

    static MooncakeFacts of(Path file) throws Exception {
        long requests = 0;
        long prompt = 0;
        long output = 0;
        long blocks = 0;
        long reusableBlocks = 0;
        long reusableTokens = 0;
        long last = 0;
        Set<Long> seen = new HashSet<>();
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                requests++;
                long input = number(INPUT, line);
                prompt += input;
                output += number(OUTPUT, line);
                last = number(TIMESTAMP, line);
                Matcher matcher = HASHES.matcher(line);
                if (!matcher.find()) {
                    throw new IllegalStateException("no hash_ids: " + line);
                }
                String[] ids = matcher.group(1).split(",");
                long prefixTokens = 0;
                boolean reusing = true;
                for (int i = 0; i < ids.length; i++) {
                    long id = Long.parseLong(ids[i].trim());
                    long size = i < ids.length - 1 ? 512 : input - 512L * (ids.length - 1);
                    if (reusing && seen.contains(id)) {
                        reusableBlocks++;
                        prefixTokens += size;
                    } else {
                        reusing = false;
                    }
                }
                for (String id : ids) {
                    seen.add(Long.parseLong(id.trim()));
                }
                blocks += ids.length;
                reusableTokens += Math.min(prefixTokens / 16 * 16, (input - 1) / 16 * 16);
            }
        }
        return new MooncakeFacts(requests, prompt, output, blocks, reusableBlocks, reusableTokens, last);
    }

    private static long number(Pattern pattern, String line) {
        Matcher matcher = pattern.matcher(line);
        if (!matcher.find()) {
            throw new IllegalStateException(pattern + " not in " + line);
        }
        return Long.parseLong(matcher.group(1));
    }
}
