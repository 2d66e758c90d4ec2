package dev.servesim.metrics.prometheus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class TallyTest {

    private static void update(Tally tally, int replica, Consumer<long[]> change) {
        long stamp = tally.beginUpdate();
        try {
            change.accept(tally.replica(replica));
        } finally {
            tally.endUpdate(stamp);
        }
    }

    @Test
    void bucketsIncludeTheirUpperBoundAndOverflowIntoInf() {
        Tally tally = new Tally(8192);
        update(tally, 0, values -> {
            tally.observe(values, Distribution.TTFT, 0.0);
            tally.observe(values, Distribution.TTFT, 0.001);
            tally.observe(values, Distribution.TTFT, 0.0011);
            tally.observe(values, Distribution.TTFT, 3000);
            tally.observe(values, Distribution.TTFT, Double.NaN);
            tally.observe(values, Distribution.VLLM_INTER_TOKEN_LATENCY, 0.02, 9);
        });

        Tally.Snapshot snapshot = tally.snapshot();
        long[] ttft = snapshot.bucketCounts(0, Distribution.TTFT);
        assertThat(ttft).hasSize(23);
        assertThat(ttft[0]).as("le 0.001").isEqualTo(2);
        assertThat(ttft[1]).as("le 0.005").isEqualTo(1);
        assertThat(ttft[22]).as("+Inf").isEqualTo(1);
        assertThat(snapshot.sum(0, Distribution.TTFT)).isCloseTo(3000.0021, within(1e-9));
        long[] itl = snapshot.bucketCounts(0, Distribution.VLLM_INTER_TOKEN_LATENCY);
        assertThat(itl[1]).as("le 0.025, weighted").isEqualTo(9);
        assertThat(snapshot.sum(0, Distribution.VLLM_INTER_TOKEN_LATENCY)).isCloseTo(0.18, within(1e-12));
    }

    @Test
    void tokenBucketsAreVllms125SeriesUpToMaxModelLen() {
        assertThat(Distribution.oneTwoFive(131072)).containsExactly(1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000,
                5000, 10000, 20000, 50000, 100000);
        assertThat(new Tally(8192).snapshot().upperBounds(Distribution.VLLM_PROMPT_TOKENS)).endsWith(2000, 5000);
    }

    @Test
    void replicasAppearWhenFirstUsed() {
        Tally tally = new Tally(8192);
        update(tally, 2, values -> Tally.add(values, Quantity.PREEMPTIONS, 3));

        Tally.Snapshot snapshot = tally.snapshot();
        assertThat(snapshot.replicas()).isEqualTo(3);
        assertThat(snapshot.get(2, Quantity.PREEMPTIONS)).isEqualTo(3);
        assertThat(snapshot.get(0, Quantity.PREEMPTIONS)).isZero();
    }

    /**
     * A writer thread records requests as fast as it can while this thread takes snapshots: every snapshot must show
     * whole requests only (the same number in every figure), and never fewer than the one before.
     */
    @Test
    void snapshotsNeverSeeAHalfRecordedRequest() throws Exception {
        int progressWanted = 200;
        int maxSnapshots = 5_000_000;
        long maxRequests = 100_000_000L;
        Tally tally = new Tally(8192);
        AtomicBoolean enough = new AtomicBoolean();
        AtomicLong recorded = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread writer = new Thread(() -> {
            long i = 0;
            while (!enough.get() && i < maxRequests) {
                int replica = (int) (i % 2);
                update(tally, replica, values -> {
                    Tally.add(values, Quantity.REQUESTS_COMPLETED, 1);
                    tally.observe(values, Distribution.TTFT, 0.25);
                    Tally.add(values, Quantity.GENERATION_TOKENS, 10);
                    tally.observe(values, Distribution.VLLM_INTER_TOKEN_LATENCY, 0.5, 9);
                });
                i++;
            }
            recorded.set(i);
        }, "tally-writer");
        writer.setUncaughtExceptionHandler((thread, e) -> failure.set(e));
        writer.start();
        long previous = 0;
        int whileWriting = 0;
        for (int snapshots = 0; whileWriting < progressWanted && snapshots < maxSnapshots && writer.isAlive();
                snapshots++) {
            Tally.Snapshot snapshot = tally.snapshot();
            long total = 0;
            for (int replica = 0; replica < snapshot.replicas(); replica++) {
                long completed = snapshot.get(replica, Quantity.REQUESTS_COMPLETED);
                long[] ttft = snapshot.bucketCounts(replica, Distribution.TTFT);
                assertThat(ttft[8]).as("le 0.25").isEqualTo(completed);
                assertThat(snapshot.sum(replica, Distribution.TTFT)).isEqualTo(0.25 * completed);
                assertThat(snapshot.get(replica, Quantity.GENERATION_TOKENS)).isEqualTo(10 * completed);
                assertThat(snapshot.bucketCounts(replica, Distribution.VLLM_INTER_TOKEN_LATENCY)[9])
                        .isEqualTo(9 * completed);
                total += completed;
            }
            assertThat(total).isGreaterThanOrEqualTo(previous);
            if (total > previous) {
                whileWriting++;
            }
            previous = total;
        }
        enough.set(true);
        writer.join();
        assertThat(failure.get()).isNull();
        assertThat(whileWriting).as("snapshots that saw the writer progress").isEqualTo(progressWanted);
        Tally.Snapshot last = tally.snapshot();
        assertThat(last.get(0, Quantity.REQUESTS_COMPLETED) + last.get(1, Quantity.REQUESTS_COMPLETED))
                .isEqualTo(recorded.get());
    }
}
