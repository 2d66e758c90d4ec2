package dev.servesim.workload;

import static dev.servesim.workload.TraceMutations.concat;
import static dev.servesim.workload.TraceMutations.gzip;

import dev.servesim.workload.TraceMutations.Case;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * The trace fuzzer's cases of the formats that are one JSON document (ShareGPT, vLLM benchmark results): valid
 * documents, ShareGPT conversations broken one by one (each a skippable bad line, on the line it starts), and
 * documents mangled at random (bits flipped, cut short, noise, gzip cut), for which only the invariants hold.
 */
final class DocumentMutations {

    private DocumentMutations() {}

    static List<Case> cases(FuzzFormat format, long seed) {
        Random random = new Random(seed);
        List<Case> cases = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            String name = format.name + " #" + i;
            int kind = random.nextInt(10);
            Document document = format == FuzzFormat.SHAREGPT ? shareGpt(random, kind < 4) : bench(random);
            byte[] bytes = document.text().getBytes(StandardCharsets.UTF_8);
            if (kind < 6) {
                if (random.nextBoolean()) {
                    bytes = concat(new byte[] {(byte) 0xef, (byte) 0xbb, (byte) 0xbf}, bytes);
                    name += ", BOM";
                }
                if (random.nextBoolean()) {
                    bytes = gzip(bytes);
                    name += ", gzip";
                }
                int[] broken = document.brokenLines().stream().mapToInt(Integer::intValue).toArray();
                cases.add(new Case(name + " broken " + document.brokenLines(), format, bytes, broken,
                        document.requests() + broken.length));
                continue;
            }
            String what;
            switch (random.nextInt(4)) {
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
                    bytes = Arrays.copyOf(zipped, 2 + random.nextInt(zipped.length - 2));
                    what = "gzip cut short";
                }
                default -> {
                    byte[] noise = new byte[random.nextInt(3000)];
                    random.nextBytes(noise);
                    bytes = concat(Arrays.copyOf(bytes, random.nextInt(bytes.length)), noise);
                    what = "random bytes after a cut";
                }
            }
            cases.add(new Case(name + " " + what, format, bytes, null, -1));
        }
        return cases;
    }

    /**
     * A document, the requests a reader gets from it when its broken conversations are skipped, and the lines they
     * are reported on.
     */
    private record Document(String text, int requests, List<Integer> brokenLines) {}

    /** One conversation a line, after a line "[": conversation i is on line i + 2. */
    private static Document shareGpt(Random random, boolean breakSome) {
        StringBuilder text = new StringBuilder("[\n");
        int conversations = 1 + random.nextInt(12);
        int requests = 0;
        List<Integer> broken = new ArrayList<>();
        for (int c = 0; c < conversations; c++) {
            boolean breakIt = breakSome && c > 0 && random.nextInt(3) == 0;
            StringBuilder messages = new StringBuilder();
            int pairs = 1 + random.nextInt(4);
            for (int p = 0; p < pairs; p++) {
                messages.append(p == 0 ? "" : ", ").append("{\"from\": \"human\", \"value\": \"")
                        .append("q\u00e9 ".repeat(1 + random.nextInt(40))).append("\"}, {\"from\": \"gpt\", "
                        + "\"value\": \"").append("answer ".repeat(1 + random.nextInt(60))).append("\"}");
            }
            if (breakIt) {
                messages.append(switch (random.nextInt(4)) {
                    case 0 -> ", {\"from\": \"robot\", \"value\": \"x\"}";
                    case 1 -> ", {\"from\": \"gpt\", \"value\": 5}";
                    case 2 -> ", {\"from\": \"human\"}";
                    default -> ", 17";
                });
                broken.add(c + 2);
            } else {
                requests += pairs;
            }
            text.append("{\"id\": \"c").append(c).append("\", \"conversations\": [").append(messages).append("]}")
                    .append(c + 1 < conversations ? ",\n" : "\n");
        }
        return new Document(text.append("]\n").toString(), requests, broken);
    }

    private static Document bench(Random random) {
        int n = 1 + random.nextInt(40);
        StringBuilder inputs = new StringBuilder();
        StringBuilder outputs = new StringBuilder();
        for (int i = 0; i < n; i++) {
            inputs.append(i == 0 ? "" : ", ").append(1 + random.nextInt(4000));
            outputs.append(i == 0 ? "" : ", ").append(random.nextInt(10) == 0 ? 0 : 1 + random.nextInt(500));
        }
        String rate = random.nextInt(5) == 0 ? "Infinity" : Double.toString(0.5 + random.nextInt(20));
        String text = "{\"date\": \"20250101-000000\", \"backend\": \"vllm\", \"num_prompts\": " + n
                + ", \"request_rate\": " + rate + ", \"burstiness\": " + (random.nextBoolean() ? "1.0" : "0.5")
                + ", \"completed\": " + n + ", \"input_lens\": [" + inputs + "], \"output_lens\": [" + outputs
                + "], \"ttfts\": [0.1], \"generated_texts\": [\"\\u00e9 x\"], \"errors\": [\"\"]}\n";
        return new Document(text, n, List.of());
    }
}
