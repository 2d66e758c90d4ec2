package dev.servesim.workload;

import static dev.servesim.workload.TraceMutations.cases;
import static dev.servesim.workload.TraceMutations.gzip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.servesim.api.ErrorKind;
import dev.servesim.api.ServesimException;
import dev.servesim.api.request.Request;
import dev.servesim.testing.SharedData;
import dev.servesim.testing.TestingWorkloadContext;
import dev.servesim.workload.TraceMutations.Case;
import dev.servesim.workload.config.TraceConfig;
import dev.servesim.workload.trace.TraceEntry;
import dev.servesim.workload.trace.TraceReader;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile traces (issues 14 and 16): valid samples of every format, mutated by a seeded generator (bytes flipped,
 * invalid UTF-8, NUL bytes, cut short, huge, negative, NaN, infinite and far-future values, missing and extra fields,
 * lines over the limit, gzip, BOM, CRLF, empty files, broken JSON documents), read by the {@link TraceReader} and
 * replayed by the {@link TraceSource} with and without {@code skip_bad_lines}. Whatever the file, a read ends in one
 * of two ways: at the end, with sane entries, or with a one-line {@link ServesimException} naming the file (and line)
 * and no Java class. Where the test knows which lines it broke, it checks that exactly those are skipped, or the first
 * of them is named.
 */
class TraceFuzzTest {

    private static final Pattern JAVA_NAMES = Pattern.compile("Exception|java\\.|com\\.fasterxml|jackson|`|Source:");

    @TempDir
    Path folder;

    private int files;

    @Test
    void mutatedTracesOfEveryFormatEndCleanly() {
        long seed = 20_260_214;
        int checked = 0;
        for (FuzzFormat format : FuzzFormat.values()) {
            long formatSeed = seed + format.ordinal();
            for (Case fuzzCase : format.document() ? DocumentMutations.cases(format, formatSeed)
                    : cases(format, formatSeed)) {
                check(fuzzCase);
                checked++;
            }
        }
        assertThat(checked).isGreaterThanOrEqualTo(500);
    }

    @Test
    void mutatedSharedTracesEndCleanly() throws Exception {
        Path mooncake = SharedData.path("traces/mooncake/conversation_trace.jsonl");
        Path azure = SharedData.path("traces/azure-llm-2023/AzureLLMInferenceTrace_code.csv");
        Random random = new Random(14);
        for (Path file : List.of(mooncake, azure)) {
            FuzzFormat format = file.equals(mooncake) ? FuzzFormat.MOONCAKE : FuzzFormat.AZURE;
            List<String> head = new ArrayList<>();
            try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                for (String line = reader.readLine(); line != null && head.size() < 200; line = reader.readLine()) {
                    head.add(line);
                }
            }
            byte[] plain = (String.join("\n", head) + "\n").getBytes(StandardCharsets.UTF_8);
            int requests = format == FuzzFormat.AZURE ? head.size() - 1 : head.size();
            check(new Case(file.getFileName() + " head", format, plain, new int[0], requests));
            check(new Case(file.getFileName() + " head, gzip", format, gzip(plain), new int[0], requests));
            for (int i = 0; i < 20; i++) {
                byte[] bytes = plain.clone();
                int flips = 1 + random.nextInt(4);
                for (int f = 0; f < flips; f++) {
                    bytes[random.nextInt(bytes.length)] ^= (byte) (1 << random.nextInt(8));
                }
                check(new Case(file.getFileName() + " head, " + flips + " bits flipped #" + i, format, bytes, null,
                        -1));
            }
        }
    }

    private void check(Case fuzzCase) {
        Path file = folder.resolve("case-" + files++ + (fuzzCase.format().json() ? ".jsonl" : ".csv"));
        try {
            Files.write(file, fuzzCase.bytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (boolean skip : new boolean[] {false, true}) {
            String label = fuzzCase.name() + (skip ? ", skip_bad_lines" : "");
            Outcome auto = read(file, "auto", skip, label);
            Outcome named = read(file, fuzzCase.format().name, skip, label + ", format named");
            Outcome replayed = replay(file, skip, label + ", replayed");
            if (auto.error == null) {
                assertThat(named.entries).as(label).isEqualTo(auto.entries);
                assertThat(replayed.entries).as(label).isEqualTo(auto.entries);
                assertThat(replayed.skipped).as(label).isEqualTo(auto.skipped);
            } else {
                assertThat(replayed.error).as(label).isEqualTo(auto.error);
            }
            if (!fuzzCase.determinable()) {
                continue;
            }
            int[] corrupted = fuzzCase.corrupted();
            if (skip || corrupted.length == 0) {
                assertThat(auto.error).as(label).isNull();
                assertThat(auto.skipped).as(label).isEqualTo(corrupted.length);
                assertThat(auto.entries).as(label).isEqualTo(fuzzCase.requests() - corrupted.length);
            } else {
                assertThat(auto.error).as(label).startsWith(file + ":" + corrupted[0] + ": ");
            }
        }
    }

    /** How a read ended: entries read, lines skipped, and the message if it stopped with an error. */
    private record Outcome(long entries, long skipped, String error) {}

    private static Outcome read(Path file, String format, boolean skip, String label) {
        long entries = 0;
        long skipped = 0;
        try (TraceReader reader = TraceReader.open(file, format, skip, 512)) {
            double last = 0;
            for (TraceEntry entry = reader.next(); entry != null; entry = reader.next()) {
                entries++;
                assertThat(entry.time()).as(label).isBetween(last, TraceEntry.MAX_TIME_SECONDS);
                assertThat(entry.promptTokens()).as(label).isNotNegative();
                assertThat(entry.outputTokens()).as(label).isNotNegative();
                assertThat(entry.fullBlocks()).as(label).isBetween(0, entry.blockHashes().length);
                last = entry.time();
            }
            skipped = reader.skippedLines();
        } catch (ServesimException e) {
            return new Outcome(entries, skipped, checkedMessage(e, file, label));
        } catch (RuntimeException e) {
            fail(label + ": " + e, e);
        }
        return new Outcome(entries, skipped, null);
    }

    /** The file replayed by the source, open loop; entries are the requests it sent plus those it skipped as empty. */
    private static Outcome replay(Path file, boolean skip, String label) {
        TestingWorkloadContext context = new TestingWorkloadContext(1);
        TraceSource source = null;
        try {
            source = new TraceSource(new TraceConfig(file.toString(), null, null, null, null, null, null, null, null,
                    null, skip, null), context);
            source.start();
            context.simulation().run(Double.MAX_VALUE);
        } catch (ServesimException e) {
            return new Outcome(0, 0, checkedMessage(e, file, label));
        } catch (RuntimeException e) {
            fail(label + ": " + e, e);
        }
        double last = 0;
        for (Request request : context.submitted()) {
            assertThat(request.arrivalTime()).as(label).isBetween(last, TraceEntry.MAX_TIME_SECONDS);
            assertThat(request.promptTokens()).as(label).isPositive();
            assertThat(request.maxOutputTokens()).as(label).isPositive();
            last = request.arrivalTime();
        }
        Map<String, Long> counters = source.counters();
        assertThat(counters.get("stopped_at_line")).as(label).isZero();
        return new Outcome(counters.get("requests") + counters.get("skipped_empty_requests"),
                counters.get("skipped_lines"), null);
    }

    private static String checkedMessage(ServesimException e, Path file, String label) {
        String message = e.getMessage();
        assertThat(message).as(label).doesNotContain("\n").doesNotContain("\r").contains(file.toString());
        assertThat(JAVA_NAMES.matcher(message).find()).as(label + ": " + message).isFalse();
        assertThat(e.kind()).as(label + ": " + message).isEqualTo(ErrorKind.CONFIG);
        assertThat(message.length()).as(label + ": " + message).isLessThan(1200);
        return message;
    }
}
