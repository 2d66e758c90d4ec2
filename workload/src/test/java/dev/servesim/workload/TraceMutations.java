package dev.servesim.workload;

import dev.servesim.api.request.Request;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

/** The trace fuzzer's cases: valid samples of the line formats and the seeded mutations that break or keep them. */
final class TraceMutations {

    /** TraceLines.MAX_LINE_BYTES. */
    static final int LINE_LIMIT = 1 << 20;

    private TraceMutations() {}

    /**
     * One file to read.
     *
     * @param corrupted lines the test made bad (1-based, sorted), or {@code null} if it cannot tell
     * @param requests request lines when nothing is skipped, or -1 if it cannot tell
     */
    record Case(String name, FuzzFormat format, byte[] bytes, int[] corrupted, int requests) {

        boolean determinable() {
            return corrupted != null;
        }
    }

    /** A sample of {@code count} requests; lines are 1-based, with the header as line 1 if there is one. */
    static final class Sample {
        final FuzzFormat format;
        final List<Map<String, String>> rows = new ArrayList<>();
        final Map<Integer, byte[]> replaced = new LinkedHashMap<>();

        Sample(FuzzFormat format, int count, Random random) {
            this.format = format;
            double time = random.nextInt(5);
            for (int i = 0; i < count; i++) {
                rows.add(format.row(time, random, rows.size()));
                time += random.nextInt(4) == 0 ? 0 : random.nextInt(3000) / 1000.0;
            }
        }

        int firstRowLine() {
            return format.header() == null ? 1 : 2;
        }

        int lines() {
            return rows.size() + firstRowLine() - 1;
        }

        Map<String, String> row(int line) {
            return rows.get(line - firstRowLine());
        }

        /** Every line as bytes, in order, each followed by {@code lineBreak}. */
        byte[] bytes(String lineBreak) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (int line = 1; line <= lines(); line++) {
                byte[] bytes = replaced.get(line);
                if (bytes == null) {
                    String text = line < firstRowLine() ? format.header() : format.render(row(line));
                    bytes = text.getBytes(StandardCharsets.UTF_8);
                }
                out.writeBytes(bytes);
                out.writeBytes(lineBreak.getBytes(StandardCharsets.UTF_8));
            }
            return out.toByteArray();
        }

        byte[] line(int line) {
            byte[] bytes = replaced.get(line);
            return bytes != null ? bytes : format.render(row(line)).getBytes(StandardCharsets.UTF_8);
        }
    }

    static final byte[][] INVALID_UTF8 = {
        {(byte) 0xff}, {(byte) 0xc3}, {(byte) 0xe2, (byte) 0x82}, {(byte) 0xed, (byte) 0xa0, (byte) 0x80},
        {(byte) 0xc0, (byte) 0xaf}, {(byte) 0x80}, {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, {(byte) 0xfe},
    };

    /** Breaks line {@code line} of {@code sample} so that any reader must reject it; returns what it did. */
    static String breakLine(Sample sample, int line, Random random, boolean allowLong) {
        FuzzFormat format = sample.format;
        Map<String, String> row = sample.row(line);
        int kind = random.nextInt(allowLong ? 11 : 10);
        switch (kind) {
            case 0 -> {
                byte[] bytes = sample.line(line);
                byte[] bad = INVALID_UTF8[random.nextInt(INVALID_UTF8.length)];
                int at = random.nextInt(bytes.length + 1);
                byte[] broken = new byte[bytes.length + bad.length];
                System.arraycopy(bytes, 0, broken, 0, at);
                System.arraycopy(bad, 0, broken, at, bad.length);
                System.arraycopy(bytes, at, broken, at + bad.length, bytes.length - at);
                sample.replaced.put(line, broken);
                return "invalid UTF-8";
            }
            case 1 -> {
                byte[] bytes = sample.line(line).clone();
                bytes[random.nextInt(bytes.length)] = 0;
                sample.replaced.put(line, bytes);
                return "NUL byte";
            }
            case 2 -> {
                row.put(random.nextBoolean() ? format.prompt() : format.output(),
                        random.nextBoolean() ? "99999999999999999999" : "9".repeat(2000));
                return "huge count";
            }
            case 3 -> {
                if (format == FuzzFormat.AZURE) {
                    row.put(format.time, "NaN");
                } else {
                    row.put(format.time, List.of("NaN", "Infinity", "-Infinity", "nan").get(random.nextInt(4)));
                }
                return "not a number";
            }
            case 4 -> {
                if (format == FuzzFormat.AZURE) {
                    row.put(format.output(), "-" + (1 + random.nextInt(100)));
                } else {
                    row.put(format.time, "-" + (1 + random.nextInt(100)));
                }
                return "negative";
            }
            case 5 -> {
                row.put(format.time, format.far());
                return "far future";
            }
            case 6 -> {
                row.remove(List.of(format.time, format.prompt(), format.output()).get(random.nextInt(3)));
                return "missing field";
            }
            case 7 -> {
                if (format.json() && random.nextBoolean()) {
                    row.put("deep", "[".repeat(1500) + "]".repeat(1500));
                    return "nested too deep";
                }
                if (format.json()) {
                    row.put(format.prompt(), "\"" + row.get(format.prompt()) + "\"");
                    return "mistyped field";
                }
                row.put("extra", "1");
                return "extra column";
            }
            case 8 -> {
                byte[] bytes = sample.line(line);
                sample.replaced.put(line, Arrays.copyOf(bytes, 1 + random.nextInt(Math.max(1, bytes.length / 3))));
                return "cut short";
            }
            case 9 -> {
                row.put(format.prompt(), format.json() ? "1.5" : "12x");
                return "not an integer";
            }
            default -> {
                byte[] bytes = sample.line(line);
                byte[] padded = new byte[LINE_LIMIT + 1 + random.nextInt(10_000)];
                Arrays.fill(padded, (byte) ' ');
                System.arraycopy(bytes, 0, padded, 0, bytes.length);
                sample.replaced.put(line, padded);
                return "over the limit";
            }
        }
    }

    /** Harmless changes: the file stays valid. */
    static String keepValid(Sample sample, int line, Random random) {
        Map<String, String> row = sample.row(line);
        if (sample.format.json()) {
            row.put("extra_" + random.nextInt(100), random.nextBoolean() ? "{\"a\": [1, \"\\u0000\"], \"b\": null}"
                    : "\"\u65e5\u672c \ud83d\ude00\"");
            return "extra field";
        }
        if (sample.format == FuzzFormat.BURSTGPT) {
            row.put("Model", "\"\u65e5\u672c, \"\"quoted\"\" \ud83d\ude00\"");
            return "unicode text";
        }
        row.put(sample.format.prompt(), " " + row.get(sample.format.prompt()) + " ");
        return "spaces";
    }

    static List<Case> cases(FuzzFormat format, long seed) {
        Random random = new Random(seed);
        List<Case> cases = new ArrayList<>();
        int longLines = 0;
        for (int i = 0; i < 60; i++) {
            Sample sample = new Sample(format, 5 + random.nextInt(40), random);
            int first = sample.firstRowLine();
            // lines the test breaks are after the first request: the first line tells the format, and Azure times
            // count from the first request
            int candidates = sample.lines() - first;
            String name = format.name + " #" + i;
            int kind = random.nextInt(10);
            if (kind < 5) {
                int count = 1 + random.nextInt(Math.min(3, candidates));
                int[] lines = random.ints(first + 1, sample.lines() + 1).distinct().limit(count).sorted().toArray();
                StringBuilder what = new StringBuilder();
                for (int line : lines) {
                    boolean allowLong = longLines < 3 && random.nextInt(8) == 0;
                    String change = breakLine(sample, line, random, allowLong);
                    longLines += change.equals("over the limit") ? 1 : 0;
                    what.append(' ').append(change).append(" @").append(line);
                }
                String lineBreak = List.of("\n", "\r\n", "\r").get(random.nextInt(3));
                cases.add(new Case(name + what, format, sample.bytes(lineBreak), lines, sample.rows.size()));
            } else if (kind < 7) {
                int line = first + random.nextInt(sample.rows.size());
                String what = keepValid(sample, line, random);
                byte[] bytes = sample.bytes(random.nextBoolean() ? "\n" : "\r\n");
                if (random.nextBoolean()) {
                    bytes = concat(new byte[] {(byte) 0xef, (byte) 0xbb, (byte) 0xbf}, bytes);
                    what += ", BOM";
                }
                if (random.nextBoolean()) {
                    bytes = gzip(bytes);
                    what += ", gzip";
                }
                cases.add(new Case(name + " " + what + " @" + line, format, bytes, new int[0], sample.rows.size()));
            } else {
                // anything goes: the test only checks the invariants
                byte[] bytes = sample.bytes("\n");
                String what;
                switch (random.nextInt(6)) {
                    case 0 -> {
                        int flips = 1 + random.nextInt(6);
                        for (int f = 0; f < flips; f++) {
                            bytes[random.nextInt(bytes.length)] ^= (byte) (1 << random.nextInt(8));
                        }
                        what = flips + " bits flipped";
                    }
                    case 1 -> {
                        bytes = Arrays.copyOf(bytes, random.nextInt(bytes.length));
                        what = "cut at a random byte";
                    }
                    case 2 -> {
                        byte[] zipped = gzip(bytes);
                        if (random.nextBoolean()) {
                            bytes = Arrays.copyOf(zipped, 2 + random.nextInt(zipped.length - 2));
                            what = "gzip cut short";
                        } else {
                            zipped[10 + random.nextInt(zipped.length - 10)] ^= (byte) (1 << random.nextInt(8));
                            bytes = zipped;
                            what = "gzip with a flipped bit";
                        }
                    }
                    case 3 -> {
                        int at = random.nextInt(Math.min(bytes.length, 40));
                        bytes[at] = (byte) (random.nextBoolean() ? 0 : 0xff);
                        what = "bad byte near the start";
                    }
                    case 4 -> {
                        byte[] noise = new byte[random.nextInt(3000)];
                        random.nextBytes(noise);
                        bytes = random.nextBoolean() ? noise : concat(bytes, noise);
                        what = "random bytes";
                    }
                    default -> {
                        String text = new String(bytes, StandardCharsets.UTF_8);
                        String[] lines = text.split("\n");
                        int a = random.nextInt(lines.length);
                        int b = random.nextInt(lines.length);
                        String swap = lines[a];
                        lines[a] = lines[b];
                        lines[b] = swap;
                        bytes = (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
                        what = "lines " + (a + 1) + " and " + (b + 1) + " swapped";
                    }
                }
                cases.add(new Case(name + " " + what, format, bytes, null, -1));
            }
        }
        cases.add(new Case(format.name + " empty", format, new byte[0], null, -1));
        cases.add(new Case(format.name + " blank lines", format, "\n \r\n\t\n\r\r".getBytes(StandardCharsets.UTF_8),
                null, -1));
        cases.add(new Case(format.name + " gzip of nothing", format, gzip(new byte[0]), null, -1));
        return cases;
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }

    static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
