package dev.servesim.testing;

import static java.util.Objects.requireNonNull;

import dev.servesim.api.request.Request;
import dev.servesim.api.router.ReplicaView;
import java.util.ArrayList;
import java.util.List;

/**
 * What one replica reports to a router, as a value, for router tests: a snapshot, not a simulated replica. A test
 * builds the list of views for each {@link dev.servesim.api.router.Router#route route} call, as the runner hands a
 * router a fresh list per call; to show a replica whose load changed, it passes a new list with a new view.
 *
 * <p>{@link #cachedPrefixBlocks(Request)} and {@link #promptBlocks(Request)} return the fixed values of the record,
 * whatever the request, so a test sets them to match the requests it routes. {@link TestingContexts#idleReplicas}
 * instead derives a request's prompt blocks from its prompt.
 *
 * @param index position of the replica in the cluster, from 0
 * @param running requests in the running batch, as last reported
 * @param waiting requests in the waiting queue, as last reported
 * @param inFlight requests the router sent to the replica that are not done yet
 * @param kvUsage fraction of KV blocks in use, 0 to 1, as last reported
 * @param reportTime simulated time of the last report, seconds
 * @param cachedPrefixBlocks leading prompt blocks cached on the replica, at most {@code promptBlocks}
 * @param promptBlocks full KV blocks of the prompt
 */
public record TestingReplicaView(int index, int running, int waiting, int inFlight, double kvUsage, double reportTime,
        int cachedPrefixBlocks, int promptBlocks) implements ReplicaView {

    public TestingReplicaView {
        requireAtLeastZero("index", index);
        requireAtLeastZero("running", running);
        requireAtLeastZero("waiting", waiting);
        requireAtLeastZero("inFlight", inFlight);
        if (!(kvUsage >= 0 && kvUsage <= 1)) {
            throw new IllegalArgumentException("kvUsage must be between 0 and 1, got " + kvUsage);
        }
        if (!(reportTime >= 0 && reportTime < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("reportTime must be zero or a positive finite time, got " + reportTime);
        }
        requireAtLeastZero("cachedPrefixBlocks", cachedPrefixBlocks);
        requireAtLeastZero("promptBlocks", promptBlocks);
        if (cachedPrefixBlocks > promptBlocks) {
            throw new IllegalArgumentException("cachedPrefixBlocks (" + cachedPrefixBlocks
                    + ") cannot exceed promptBlocks (" + promptBlocks + "): a cached prefix is part of the prompt");
        }
    }

    /** Replica {@code index} before its first report: no load, nothing in flight, nothing cached, 0 prompt blocks. */
    public static TestingReplicaView idle(int index) {
        return new TestingReplicaView(index, 0, 0, 0, 0, 0, 0, 0);
    }

    /** {@link #idle Idle} views of {@code replicas} replicas, indexed 0 to {@code replicas - 1} as a router gets them. */
    public static List<ReplicaView> cluster(int replicas) {
        if (replicas < 1) {
            throw new IllegalArgumentException("a cluster needs at least one replica, got " + replicas);
        }
        List<ReplicaView> views = new ArrayList<>();
        for (int index = 0; index < replicas; index++) {
            views.add(idle(index));
        }
        return List.copyOf(views);
    }

    public TestingReplicaView withRunning(int running) {
        return new TestingReplicaView(index, running, waiting, inFlight, kvUsage, reportTime, cachedPrefixBlocks,
                promptBlocks);
    }

    public TestingReplicaView withWaiting(int waiting) {
        return new TestingReplicaView(index, running, waiting, inFlight, kvUsage, reportTime, cachedPrefixBlocks,
                promptBlocks);
    }

    public TestingReplicaView withInFlight(int inFlight) {
        return new TestingReplicaView(index, running, waiting, inFlight, kvUsage, reportTime, cachedPrefixBlocks,
                promptBlocks);
    }

    public TestingReplicaView withKvUsage(double kvUsage) {
        return new TestingReplicaView(index, running, waiting, inFlight, kvUsage, reportTime, cachedPrefixBlocks,
                promptBlocks);
    }

    public TestingReplicaView withReportTime(double reportTime) {
        return new TestingReplicaView(index, running, waiting, inFlight, kvUsage, reportTime, cachedPrefixBlocks,
                promptBlocks);
    }

    /** Fails if {@code cachedPrefixBlocks} exceeds the prompt blocks: set those first. */
    public TestingReplicaView withCachedPrefixBlocks(int cachedPrefixBlocks) {
        return new TestingReplicaView(index, running, waiting, inFlight, kvUsage, reportTime, cachedPrefixBlocks,
                promptBlocks);
    }

    public TestingReplicaView withPromptBlocks(int promptBlocks) {
        return new TestingReplicaView(index, running, waiting, inFlight, kvUsage, reportTime, cachedPrefixBlocks,
                promptBlocks);
    }

    @Override
    public int cachedPrefixBlocks(Request request) {
        requireNonNull(request, "request is null");
        return cachedPrefixBlocks;
    }

    @Override
    public int promptBlocks(Request request) {
        requireNonNull(request, "request is null");
        return promptBlocks;
    }

    private static void requireAtLeastZero(String name, int value) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must be >= 0, got " + value);
        }
    }
}
