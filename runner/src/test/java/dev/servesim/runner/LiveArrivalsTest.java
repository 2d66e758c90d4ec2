package dev.servesim.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import dev.servesim.api.metrics.RunSummary;
import dev.servesim.api.request.PromptContent;
import dev.servesim.api.request.RequestRecord;
import dev.servesim.api.request.RequestStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Requests handed in from other threads run through the real runner in real time (servesim serve's core). */
class LiveArrivalsTest {

    // one request at a time: first token 0.1 s after it starts, then one token every 0.01 s
    private static final String SERIAL = """
            framework: {name: serial, ttft: 0.1, itl: 0.01}
            sinks: [json, csv]
            """;

    private final ExecutorService runThread = Executors.newSingleThreadExecutor();

    @AfterEach
    void stopRunThread() {
        runThread.shutdownNow();
    }

    private Future<RunResult> serve(Path folder, LiveArrivals arrivals) throws Exception {
        Path file = Files.writeString(folder.resolve("serve.yaml"), SERIAL);
        RunConfiguration configuration = new ConfigLoader(TestingConfigs.registry()).loadForServing(file, List.of());
        return runThread.submit(() -> SimulationRunner.serve(configuration, folder.resolve("out"), new RunControl(),
                arrivals));
    }

    @Test
    void servesRequestsHandedInFromOtherThreadsAndWritesTheOutputsOfARun(@TempDir Path folder) throws Exception {
        LiveArrivals arrivals = new LiveArrivals(1000);
        Future<RunResult> run = serve(folder, arrivals);
        List<TestingLiveClient> clients = new ArrayList<>();
        List<Long> ids = new ArrayList<>();
        for (int k = 0; k < 3; k++) {
            TestingLiveClient client = new TestingLiveClient();
            clients.add(client);
            ids.add(arrivals.submit(new LiveRequest(PromptContent.single(k, 10), 5), client));
        }
        List<RequestRecord> records = new ArrayList<>();
        for (TestingLiveClient client : clients) {
            records.add(client.awaitEnd());
        }
        assertThat(arrivals.inFlight()).isZero();
        arrivals.close(0);
        RunSummary summary = run.get(30, TimeUnit.SECONDS).summary();

        assertThat(ids).containsExactly(LiveArrivals.FIRST_ID, LiveArrivals.FIRST_ID + 1, LiveArrivals.FIRST_ID + 2);
        assertThat(records).allSatisfy(record -> {
            assertThat(record.status()).isEqualTo(RequestStatus.COMPLETED);
            assertThat(record.outputTokens()).isEqualTo(5);
        });
        for (TestingLiveClient client : clients) {
            assertThat(client.tokens).as("tokens streamed").isEqualTo(5);
            assertThat(client.tokenTimes).isSorted();
        }
        // the serial engine: the first of them waits for nobody, its first token comes 0.1 s after its arrival
        RequestRecord first = records.get(0);
        assertThat(first.firstTokenTime() - first.request().arrivalTime()).isCloseTo(0.1, offset(1e-9));
        assertThat(summary.partial()).isFalse();
        assertThat(summary.engine()).as("the engine was told its clients are real").containsEntry("real_clients", 1L);
        assertThat(summary.requests().arrived()).isEqualTo(3);
        assertThat(summary.requests().completed()).isEqualTo(3);
        assertThat(folder.resolve("out/summary.json")).exists();
        assertThat(Files.readAllLines(folder.resolve("out/requests.csv"))).hasSize(4);
        assertThatThrownBy(() -> arrivals.submit(new LiveRequest(PromptContent.single(9, 10), 5), new TestingLiveClient()))
                .isInstanceOf(IllegalStateException.class).hasMessage("shutting down");
    }

    @Test
    void closingWithoutDrainTimeEndsWhatIsInFlightUnfinished(@TempDir Path folder) throws Exception {
        LiveArrivals arrivals = new LiveArrivals(1);
        Future<RunResult> run = serve(folder, arrivals);
        TestingLiveClient client = new TestingLiveClient();
        // 100,000 tokens at 0.01 s each: 1,000 s in real time
        arrivals.submit(new LiveRequest(PromptContent.single(1, 10), 100_000), client);
        arrivals.close(0);
        RequestRecord record = client.awaitEnd();
        RunSummary summary = run.get(30, TimeUnit.SECONDS).summary();

        assertThat(record.status()).isEqualTo(RequestStatus.UNFINISHED);
        assertThat(summary.requests().unfinished()).isEqualTo(1);
        assertThat(summary.partial()).isTrue();
        assertThat(summary.simulatedSeconds()).as("simulated time followed the wall clock").isLessThan(30);
    }

    @Test
    void aDoorThatEndsWhenIdleRunsUntilPostedWorkIsDone(@TempDir Path folder) throws Exception {
        LiveArrivals arrivals = LiveArrivals.endingWhenIdle(1000);
        arrivals.hold();
        Future<RunResult> run = serve(folder, arrivals);
        BlockingQueue<Double> ran = new ArrayBlockingQueue<>(2);
        TestingLiveClient client = new TestingLiveClient();
        // work outside the run (a remote answer) hands in a request, then lets go
        arrivals.post(() -> {
            ran.add(0.0);
            arrivals.submit(new LiveRequest(PromptContent.single(1, 10), 3), client);
            arrivals.release();
        });
        RequestRecord record = client.awaitEnd();
        RunSummary summary = run.get(30, TimeUnit.SECONDS).summary();

        assertThat(ran).hasSize(1);
        assertThat(record.status()).isEqualTo(RequestStatus.COMPLETED);
        assertThat(summary.partial()).as("the run ended by itself").isFalse();
        assertThat(summary.requests().completed()).isEqualTo(1);
        assertThat(arrivals.isOpen()).as("nobody closed the door").isTrue();
        assertThatThrownBy(arrivals::release).hasMessage("released more than held");
    }
}
