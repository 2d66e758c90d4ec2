package dev.servesim.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.servesim.api.ServesimPlugin;
import dev.servesim.api.metrics.RunSummary;
import dev.servesim.api.request.PromptContent;
import dev.servesim.api.request.Request;
import dev.servesim.api.request.RequestRecord;
import dev.servesim.api.request.RequestStatus;
import dev.servesim.api.router.ReplicaView;
import dev.servesim.api.router.Router;
import dev.servesim.api.router.RouterContext;
import dev.servesim.api.router.RouterFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Live requests pinned to a replica ({@code servesim serve}'s per-replica ports) go straight to it: the router is
 * neither asked nor told, and does not count them among its own requests in flight.
 */
class PinnedLiveRequestsTest {

    private static final String CLUSTER = """
            framework: {name: serial, ttft: 0.1, itl: 0.01}
            cluster: {replicas: 3, router: {name: ledger}}
            sinks: [json, csv]
            """;

    private final ExecutorService runThread = Executors.newSingleThreadExecutor();

    @AfterEach
    void stopRunThread() {
        runThread.shutdownNow();
    }

    @Test
    void pinnedRequestsGoToTheirReplicaWithoutTheRouter(@TempDir Path folder) throws Exception {
        LiveArrivals arrivals = new LiveArrivals(1000);
        Future<RunResult> run = serve(folder, CLUSTER, arrivals);
        // pinned and routed requests mixed; the ledger router fails the run if it hears of a request it did not
        // place, or counts one it did not place among the replicas' requests in flight
        int[] pins = {2, -1, 2, 0, -1, 2, 1, -1};
        List<TestingLiveClient> clients = new ArrayList<>();
        for (int pin : pins) {
            TestingLiveClient client = new TestingLiveClient();
            clients.add(client);
            LiveRequest request = new LiveRequest(PromptContent.single(clients.size(), 10), 3);
            arrivals.submit(pin < 0 ? request : request.pinnedTo(pin), client);
        }
        List<RequestRecord> records = new ArrayList<>();
        for (TestingLiveClient client : clients) {
            records.add(client.awaitEnd());
        }
        arrivals.close(0);
        RunSummary summary = run.get(30, TimeUnit.SECONDS).summary();

        long[] perReplica = new long[3];
        for (int i = 0; i < pins.length; i++) {
            RequestRecord record = records.get(i);
            assertThat(record.status()).isEqualTo(RequestStatus.COMPLETED);
            if (pins[i] >= 0) {
                assertThat(record.replica()).as("request %d", i).isEqualTo(pins[i]);
            }
            perReplica[record.replica()]++;
        }
        assertThat(summary.partial()).isFalse();
        assertThat(summary.requests().completed()).isEqualTo(pins.length);
        // decisions count the pinned requests too: every request a replica received
        assertThat(summary.cluster().decisions()).containsExactly(perReplica[0], perReplica[1], perReplica[2]);
        assertThat(summary.cluster().outputTokens()).containsExactly(3 * perReplica[0], 3 * perReplica[1],
                3 * perReplica[2]);
    }

    @Test
    void aPinOutsideTheEntryPoolIsTurnedAwayAtTheDoor(@TempDir Path folder) throws Exception {
        LiveArrivals arrivals = new LiveArrivals(1000);
        Future<RunResult> run = serve(folder, CLUSTER, arrivals);
        TestingLiveClient refused = new TestingLiveClient();
        arrivals.submit(new LiveRequest(PromptContent.single(1, 10), 3).pinnedTo(3), refused);
        TestingLiveClient served = new TestingLiveClient();
        arrivals.submit(new LiveRequest(PromptContent.single(2, 10), 3).pinnedTo(1), served);
        RequestRecord refusal = refused.awaitEnd();
        RequestRecord record = served.awaitEnd();
        assertThat(arrivals.inFlight()).isZero();
        arrivals.close(0);
        RunSummary summary = run.get(30, TimeUnit.SECONDS).summary();

        assertThat(refusal.status()).isEqualTo(RequestStatus.REJECTED);
        assertThat(refusal.replica()).isEqualTo(-1);
        assertThat(refusal.reason()).isEqualTo("replica 3 does not take requests: requests may be pinned to "
                + "replica 0 to 2");
        assertThat(refused.tokens).isZero();
        assertThat(record.replica()).isEqualTo(1);
        // the run never saw the refused one
        assertThat(summary.requests().arrived()).isEqualTo(1);
        assertThat(Files.readAllLines(folder.resolve("out/requests.csv"))).hasSize(2);
    }

    @Test
    void aDisaggregatedClusterPinsThePrefillReplicaAndStillRoutesTheDecode(@TempDir Path folder) throws Exception {
        LiveArrivals arrivals = new LiveArrivals(1000);
        Future<RunResult> run = serve(folder, """
                framework: {name: serial, ttft: 0.1, itl: 0.01}
                cluster: {mode: disaggregated, router: {name: modulo}, prefill: {replicas: 2}, decode: {replicas: 2}}
                sinks: [json]
                """, arrivals);
        List<TestingLiveClient> clients = new ArrayList<>();
        for (int k = 0; k < 4; k++) {
            TestingLiveClient client = new TestingLiveClient();
            clients.add(client);
            arrivals.submit(new LiveRequest(PromptContent.single(k, 10), 3).pinnedTo(1), client);
        }
        TestingLiveClient decode = new TestingLiveClient();
        arrivals.submit(new LiveRequest(PromptContent.single(9, 10), 3).pinnedTo(2), decode);
        List<RequestRecord> records = new ArrayList<>();
        for (TestingLiveClient client : clients) {
            records.add(client.awaitEnd());
        }
        RequestRecord refusal = decode.awaitEnd();
        arrivals.close(0);
        RunSummary summary = run.get(30, TimeUnit.SECONDS).summary();

        assertThat(records).allSatisfy(record -> {
            assertThat(record.status()).isEqualTo(RequestStatus.COMPLETED);
            assertThat(record.replica()).as("a decode replica").isIn(2, 3);
        });
        // every prompt on prefill replica 1; the modulo router spread the decodes by request id
        assertThat(summary.cluster().decisions()).containsExactly(0L, 4L, 2L, 2L);
        assertThat(refusal.reason()).isEqualTo("replica 2 does not take requests: requests may be pinned to "
                + "replica 0 to 1");
    }

    @Test
    void aReplicaNumberIsNeverNegative() {
        LiveRequest request = new LiveRequest(PromptContent.single(1, 10), 3);
        assertThat(request.replica()).isEmpty();
        assertThat(request.pinnedTo(4).replica()).hasValue(4);
        assertThatThrownBy(() -> request.pinnedTo(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a replica number is at least 0, got -1");
    }

    private Future<RunResult> serve(Path folder, String yaml, LiveArrivals arrivals) throws Exception {
        Path file = Files.writeString(folder.resolve("serve.yaml"), yaml);
        List<ServesimPlugin> plugins = new ArrayList<>(TestingConfigs.registryPlugins());
        plugins.add(new LedgerPlugin());
        RunConfiguration configuration = new ConfigLoader(PluginRegistry.of(plugins)).loadForServing(file, List.of());
        return runThread.submit(() -> SimulationRunner.serve(configuration, folder.resolve("out"), new RunControl(),
                arrivals));
    }

    /**
     * Router {@code ledger}: round-robin over the replicas, keeping a ledger of the requests it placed. It fails if
     * told of the end of a request it did not place, or if the replicas' in-flight counts, which are the router's
     * own, add up to anything but its requests in flight.
     */
    private static final class LedgerPlugin implements ServesimPlugin {

        @Override
        public String name() {
            return "ledger";
        }

        @Override
        public List<RouterFactory<?>> routerFactories() {
            return List.of(new RouterFactory<TestingConfigs.NoSettings>() {
                @Override
                public String name() {
                    return "ledger";
                }

                @Override
                public String description() {
                    return "round-robin, checking what it is told";
                }

                @Override
                public Class<TestingConfigs.NoSettings> configType() {
                    return TestingConfigs.NoSettings.class;
                }

                @Override
                public Router create(TestingConfigs.NoSettings config, RouterContext context) {
                    return new LedgerRouter();
                }
            });
        }
    }

    private static final class LedgerRouter implements Router {
        private final Set<Long> placed = new HashSet<>();
        private int next;

        @Override
        public int route(Request request, List<ReplicaView> replicas) {
            int inFlight = 0;
            for (ReplicaView replica : replicas) {
                inFlight += replica.inFlight();
            }
            if (inFlight != placed.size()) {
                throw new IllegalStateException("the replicas count " + inFlight + " requests in flight, the router "
                        + "placed " + placed.size());
            }
            placed.add(request.id());
            return next++ % replicas.size();
        }

        @Override
        public void onRequestDone(RequestRecord record) {
            if (!placed.remove(record.request().id())) {
                throw new IllegalStateException("told of request " + record.request().id() + ", never placed");
            }
        }
    }
}
