package dev.servesim.workload;

import dev.servesim.api.sim.EventScheduler;
import dev.servesim.workload.trace.TraceEntry;
import it.unimi.dsi.fastutil.longs.Long2ObjectLinkedOpenHashMap;
import it.unimi.dsi.fastutil.longs.Long2ObjectOpenHashMap;
import java.util.ArrayList;
import java.util.List;

/**
 * Session-paced replay of a vllm-vcr trace, as vllm-vcr's {@code --replay-sessions} does it (its docs, "Replay"): the
 * records go in arrival order, keeping a map from the last block hash of a record to the newest record ending with it.
 * A record's parent is the most recent earlier record whose entire chain is a proper prefix of its own: its chain is
 * walked from the longest proper prefix to the shortest, and a hit counts only when the candidate's chain is exactly
 * that long. Records without a parent (or without hashes) are roots and go at their recorded time. A child waits for
 * its parent's replayed completion (or rejection: children are released even if the parent failed), then the recorded
 * think gap: child arrival - (parent arrival + parent TTFT + the sum of the parent's inter-token gaps), clamped at 0,
 * divided by the speedup.
 *
 * <p>One difference: the reader hands out a record at its recorded time, with one record of look-ahead, so a child
 * whose parent finished sooner in the replay than in the capture goes at its recorded time rather than earlier.
 *
 * <p>The map holds at most {@code capacity} records, the least recently matched forgotten first; with the records in
 * flight and the children waiting for them, that bounds the memory.
 */
final class TraceParents implements SessionPacing {

    private final Long2ObjectLinkedOpenHashMap<Node> byChainEnd = new Long2ObjectLinkedOpenHashMap<>();
    private final Long2ObjectOpenHashMap<Node> byRequest = new Long2ObjectOpenHashMap<>();
    private final int capacity;
    private final double speedup;
    private final EventScheduler scheduler;
    private final Sender sender;
    private long sessions;
    private long followUpTurns;
    private long forgotten;

    TraceParents(int capacity, double speedup, EventScheduler scheduler, Sender sender) {
        this.capacity = capacity;
        this.speedup = speedup;
        this.scheduler = scheduler;
        this.sender = sender;
    }

    @Override
    public long sessions() {
        return sessions;
    }

    @Override
    public long followUpTurns() {
        return followUpTurns;
    }

    @Override
    public long forgottenSessions() {
        return forgotten;
    }

    @Override
    public void arrive(TraceEntry entry, long requestId) {
        Node parent = parent(entry);
        Node node = new Node(entry.time() + entry.e2e());
        int chain = entry.fullBlocks();
        if (chain > 0) {
            node.chainLength = chain;
            byChainEnd.putAndMoveToLast(entry.blockHashes()[chain - 1], node);
            while (byChainEnd.size() > capacity) {
                byChainEnd.removeFirst();
                forgotten++;
            }
        }
        byRequest.put(requestId, node);
        if (parent == null) {
            sessions++;
            node.session = requestId;
            node.turn = 1;
            sender.send(entry, requestId, node.session, node.turn);
            return;
        }
        followUpTurns++;
        node.session = parent.session;
        node.turn = parent.turn + 1;
        // NaN (no recorded TTFT) compares false: no gap
        double gap = entry.time() - parent.recordedFinish;
        double think = gap > 0 ? gap / speedup : 0;
        if (parent.done) {
            sendAt(Math.max(scheduler.now(), parent.finish + think), entry, requestId, node);
        } else {
            if (parent.children == null) {
                parent.children = new ArrayList<>(2);
            }
            parent.children.add(new Waiting(entry, requestId, node, think));
        }
    }

    /** The newest earlier record whose whole chain is a proper prefix of this one's, or {@code null}. */
    private Node parent(TraceEntry entry) {
        long[] hashes = entry.blockHashes();
        for (int k = entry.fullBlocks() - 1; k >= 1; k--) {
            Node candidate = byChainEnd.get(hashes[k - 1]);
            if (candidate != null && candidate.chainLength == k) {
                return candidate;
            }
        }
        return null;
    }

    @Override
    public void done(long requestId) {
        Node node = byRequest.remove(requestId);
        if (node == null) {
            return;
        }
        double now = scheduler.now();
        node.done = true;
        node.finish = now;
        if (node.children != null) {
            for (Waiting child : node.children) {
                sendAt(now + child.think, child.entry, child.requestId, child.node);
            }
            node.children = null;
        }
    }

    private void sendAt(double time, TraceEntry entry, long requestId, Node node) {
        if (time <= scheduler.now()) {
            sender.send(entry, requestId, node.session, node.turn);
        } else {
            scheduler.scheduleAt(time, () -> sender.send(entry, requestId, node.session, node.turn));
        }
    }

    private record Waiting(TraceEntry entry, long requestId, Node node, double think) {}

    /** One replayed record: its chain, session and turn, and its replayed finish once done. */
    private static final class Node {
        final double recordedFinish;
        int chainLength;
        long session;
        int turn;
        boolean done;
        double finish = Double.NaN;
        List<Waiting> children;

        Node(double recordedFinish) {
            this.recordedFinish = recordedFinish;
        }
    }
}
