package dev.servesim.runner;

import static java.util.Objects.requireNonNull;

import dev.servesim.api.ErrorKind;
import dev.servesim.api.ServesimException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Shard {@code index} of {@code count} ({@code --shard I/N}): a deterministic part of a comparison's variants, so
 * that N machines (a Kubernetes Indexed Job, a Slurm array) each run one part and {@code servesim merge} combines them.
 *
 * <p>The variants are ordered by a hash of what they are - their assignments, sorted - and dealt out in turn: shard
 * {@code I} takes positions {@code I - 1}, {@code I - 1 + N}, ... So the parts differ in size by one at most, and a
 * variant stays in its shard whatever the order of the {@code --vary} options and of their values.
 *
 * @param index 1 to {@code count}
 * @param count the number of shards, at least 1
 */
public record Shard(int index, int count) {

    /** The whole comparison, unsharded. */
    public static final Shard ALL = new Shard(1, 1);

    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    public Shard {
        if (count < 1 || index < 1 || index > count) {
            throw new ServesimException(ErrorKind.CONFIG, "--shard: expected I/N with 1 <= I <= N, got " + index + "/"
                    + count);
        }
    }

    /** Parses {@code I/N}, e.g. {@code 2/8}. */
    public static Shard parse(String text) {
        requireNonNull(text, "text is null");
        int slash = text.indexOf('/');
        try {
            if (slash > 0) {
                return new Shard(Integer.parseInt(text.substring(0, slash).trim()),
                        Integer.parseInt(text.substring(slash + 1).trim()));
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ServesimException(ErrorKind.CONFIG, "--shard: expected I/N, e.g. 2/8, got '" + text + "'");
    }

    /** Whether this is one part of several. */
    public boolean partial() {
        return count > 1;
    }

    /** This shard's combinations, in their order in {@code combinations}. */
    public List<List<String>> select(List<List<String>> combinations) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < combinations.size(); i++) {
            order.add(i);
        }
        List<String> keys = combinations.stream().map(Shard::key).toList();
        order.sort(Comparator.<Integer>comparingLong(i -> fnv(keys.get(i)))
                .thenComparing(i -> keys.get(i)));
        boolean[] mine = new boolean[combinations.size()];
        for (int position = index - 1; position < order.size(); position += count) {
            mine[order.get(position)] = true;
        }
        List<List<String>> selected = new ArrayList<>();
        for (int i = 0; i < combinations.size(); i++) {
            if (mine[i]) {
                selected.add(combinations.get(i));
            }
        }
        return selected;
    }

    @Override
    public String toString() {
        return index + "/" + count;
    }

    /** What a variant is, whatever the order of the options that made it. */
    private static String key(List<String> combination) {
        return String.join("\n", combination.stream().sorted().toList());
    }

    /** 64-bit FNV-1a of the key's UTF-8 bytes, compared unsigned. */
    private static long fnv(String key) {
        long hash = FNV_OFFSET;
        for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
            hash = (hash ^ (b & 0xFF)) * FNV_PRIME;
        }
        return hash ^ Long.MIN_VALUE;
    }
}
