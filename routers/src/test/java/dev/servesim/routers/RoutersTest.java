package dev.servesim.routers;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servesim.api.request.PromptContent;
import dev.servesim.api.request.Request;
import dev.servesim.api.request.RequestRecord;
import dev.servesim.api.request.RequestStatus;
import dev.servesim.api.router.ReplicaView;
import dev.servesim.api.router.Router;
import dev.servesim.api.router.RouterContext;
import dev.servesim.core.SeededRandomStreams;
import dev.servesim.routers.config.LeastLoadedRouterConfig;
import dev.servesim.routers.config.PrefixAwareRouterConfig;
import dev.servesim.routers.config.SessionAffinityRouterConfig;
import dev.servesim.routers.config.WeightedRandomRouterConfig;
import dev.servesim.testing.TestingReplicaView;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RoutersTest {

    /** Full 16-token blocks of the 160-token prompts these tests route, as every replica reports them. */
    private static final int PROMPT_BLOCKS = 10;
    private static final List<ReplicaView> IDLE = List.of(replica(0), replica(1), replica(2), replica(3));

    private final double[] now = {0};
    private final RouterContext four = new RouterContext(4, 16, () -> now[0], new SeededRandomStreams(1));

    private static TestingReplicaView replica(int index) {
        return TestingReplicaView.idle(index).withPromptBlocks(PROMPT_BLOCKS);
    }

    /** The views of the next route calls: {@code replicas} with the view at {@code changed.index()} replaced. */
    private static List<ReplicaView> replacing(List<ReplicaView> replicas, TestingReplicaView changed) {
        List<ReplicaView> views = new ArrayList<>(replicas);
        views.set(changed.index(), changed);
        return List.copyOf(views);
    }

    private static Request request(long id) {
        return Request.single(id, 0, PromptContent.single(id, 160), 4);
    }

    private static Request turn(long id, long session, int turn) {
        return new Request(id, session, turn, 0, PromptContent.single(session, 160), 4, 0, "");
    }

    private static List<Integer> route(Router router, int requests) {
        return route(router, IDLE, requests);
    }

    private static List<Integer> route(Router router, List<ReplicaView> replicas, int requests) {
        List<Integer> chosen = new ArrayList<>();
        for (long id = 0; id < requests; id++) {
            chosen.add(router.route(request(id), replicas));
        }
        return chosen;
    }

    private static int[] histogram(List<Integer> chosen, int replicas) {
        int[] counts = new int[replicas];
        chosen.forEach(replica -> counts[replica]++);
        return counts;
    }

    private static RequestRecord done(Request request, int replica) {
        return new RequestRecord(request, replica, RequestStatus.COMPLETED, "", 0, 0, 0, 0, 4, 0, "", 0, 0, 0);
    }

    @Test
    void roundRobinTakesReplicasInTurn() {
        assertThat(route(RoutersPluginTest.create("round-robin", null, four), 6)).containsExactly(0, 1, 2, 3, 0, 1);
    }

    @Test
    void randomIsSeededAndUniform() {
        List<Integer> first = route(RoutersPluginTest.create("random", null, four), 4000);
        List<Integer> again = route(RoutersPluginTest.create("random", null,
                new RouterContext(4, 16, () -> 0, new SeededRandomStreams(1))), 4000);
        assertThat(again).isEqualTo(first);
        for (int count : histogram(first, 4)) {
            assertThat(count).isBetween(900, 1100);
        }
    }

    @Test
    void weightedRandomFollowsTheWeightsAndNeverPicksAZeroWeight() {
        Router router = RoutersPluginTest.create("weighted-random",
                new WeightedRandomRouterConfig(List.of(1.0, 0.0, 3.0, 0.0)), four);
        int[] counts = histogram(route(router, 4000), 4);
        assertThat(counts[1]).isZero();
        assertThat(counts[3]).isZero();
        assertThat(counts[0]).isBetween(900, 1100);
        assertThat(counts[2]).isBetween(2900, 3100);
    }

    @Test
    void leastLoadedPicksTheFewestOutstandingAndRotatesAmongTies() {
        Router router = RoutersPluginTest.create("least-loaded", null, four);
        assertThat(route(router, 5)).containsExactly(0, 1, 2, 3, 0);

        List<ReplicaView> reported = List.of(replica(0).withRunning(4), replica(1).withWaiting(1),
                replica(2).withRunning(3), replica(3).withRunning(1));
        // replicas 1 and 3 tie at one outstanding request: they alternate instead of always the first
        assertThat(route(router, reported, 4)).containsExactly(1, 3, 1, 3);
        List<ReplicaView> replicaTwoDrained = replacing(reported, replica(2).withRunning(0));
        assertThat(route(router, replicaTwoDrained, 2)).containsExactly(2, 2);
    }

    @Test
    void leastLoadedCanCountItsOwnRequestsInFlightInsteadOfTheStaleReports() {
        Router router = RoutersPluginTest.create("least-loaded", new LeastLoadedRouterConfig("in_flight"), four);
        List<ReplicaView> replicas = List.of(replica(0).withRunning(9).withInFlight(1), // running: reported, ignored
                replica(1).withInFlight(2), replica(2).withInFlight(1), replica(3).withInFlight(3));
        assertThat(route(router, replicas, 3)).containsExactly(0, 2, 0);
    }

    @Test
    void leastKvPicksTheLowestKvUsageThenTheFewestOutstanding() {
        Router router = RoutersPluginTest.create("least-kv", null, four);
        List<ReplicaView> reported = List.of(replica(0).withKvUsage(0.5), replica(1).withKvUsage(0.2).withRunning(2),
                replica(2).withKvUsage(0.2), replica(3).withKvUsage(0.9));
        assertThat(route(router, reported, 2)).containsExactly(2, 2);
        List<ReplicaView> tied = replacing(reported, replica(2).withKvUsage(0.2).withRunning(2));
        assertThat(route(router, tied, 2)).containsExactly(1, 2);
    }

    @Test
    void sessionAffinityKeepsASessionOnItsReplicaUntilItIdlesPastTheTimeout() {
        Router router = RoutersPluginTest.create("session-affinity", new SessionAffinityRouterConfig(10.0), four);
        Request first = turn(1, 100, 1);
        int replica = router.route(first, IDLE);
        assertThat(replica).isZero();
        // the session's replica becomes the busiest: its turns stay there anyway
        List<ReplicaView> replicas = replacing(IDLE, replica(0).withRunning(50));
        router.onRequestDone(done(first, replica));
        now[0] = 9;
        Request second = turn(2, 100, 2);
        assertThat(router.route(second, replicas)).isZero();
        // another session goes least-loaded
        assertThat(router.route(turn(3, 200, 1), replicas)).isEqualTo(1);
        // in flight, the session never expires
        now[0] = 1000;
        assertThat(router.route(turn(4, 100, 3), replicas)).isZero();
        router.onRequestDone(done(second, 0));
        router.onRequestDone(done(turn(4, 100, 3), 0));
        now[0] = 1011;
        // idle for more than 10 s: placed again, least-loaded
        assertThat(router.route(turn(5, 100, 4), replicas)).isNotZero();
    }

    @Test
    void sessionAffinitySweepsExpiredSessions() {
        SessionAffinityRouter router = new SessionAffinityRouter(() -> now[0], 4, 1.0);
        for (long session = 0; session < 5000; session++) {
            Request request = turn(session, session, 1);
            int replica = router.route(request, IDLE);
            router.onRequestDone(done(request, replica));
            now[0] += 0.01;
        }
        // sessions idle for more than 1 s (100 arrivals) are dropped in sweeps
        assertThat(router.boundSessions()).isLessThan(2100);
    }

    @Test
    void prefixAwarePrefersTheReplicaHoldingThePrefixUnlessItIsMuchBusier() {
        Router router = RoutersPluginTest.create("prefix-aware", null, four);
        List<ReplicaView> replicas = List.of(replica(0).withRunning(8), replica(1).withRunning(4),
                replica(2).withCachedPrefixBlocks(9).withRunning(6), replica(3).withRunning(4)); // 9 of 10 blocks
        // mean outstanding 5.5: replica 2 scores 2 * 0.9 - 6/6.5 = 0.88; replicas 1 and 3: -4/6.5 = -0.62
        assertThat(route(router, replicas, 2)).containsExactly(2, 2);

        Router loadHeavy = RoutersPluginTest.create("prefix-aware", new PrefixAwareRouterConfig(1.0, 4.0), four);
        // replica 2: 0.9 - 4 * 6/6.5 = -2.79; replicas 1 and 3: -4 * 4/6.5 = -2.46, tied, in turn
        assertThat(route(loadHeavy, replicas, 2)).containsExactly(1, 3);
    }

    @Test
    void prefixAwareWithoutCachedPrefixesActsLeastLoaded() {
        Router router = RoutersPluginTest.create("prefix-aware", null, four);
        assertThat(route(router, 4)).containsExactly(0, 1, 2, 3);
        List<ReplicaView> reported = List.of(replica(0).withRunning(2), replica(1).withRunning(2),
                replica(2).withRunning(1), replica(3).withRunning(2));
        assertThat(route(router, reported, 2)).containsExactly(2, 2);
    }
}
