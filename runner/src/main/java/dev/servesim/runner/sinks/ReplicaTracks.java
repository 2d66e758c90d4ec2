package dev.servesim.runner.sinks;

import it.unimi.dsi.fastutil.longs.LongArrayList;
import java.io.IOException;
import java.util.function.LongSupplier;

/**
 * One replica's tracks in the timeline: a process ({@code pid} = replica + 1) with a {@code steps} thread, one thread
 * per request lane, and the load counters it last showed, so that a counter is written only when it changes. Thread
 * ids are unique over the whole file (tools that key threads by id alone keep them apart) and handed out in the order
 * threads are first used, so the same run gives the same ids.
 */
final class ReplicaTracks {

    private final int replica;
    private final LongSupplier ids;
    private final long stepsTid;
    private final LanePacker packer = new LanePacker();
    private final LongArrayList laneTids = new LongArrayList();
    private int running = -1;
    private int waiting = -1;
    // KV usage in ten-thousandths
    private long kvUsage = -1;

    ReplicaTracks(int replica, LongSupplier ids) {
        this.replica = replica;
        this.ids = ids;
        this.stepsTid = ids.getAsLong();
    }

    int pid() {
        return replica + 1;
    }

    long stepsTid() {
        return stepsTid;
    }

    /** The thread of the lane the request living over {@code [start, end]} (nanoseconds) is drawn on. */
    long laneTid(long start, long end) {
        int lane = packer.place(start, end);
        if (lane == laneTids.size()) {
            laneTids.add(ids.getAsLong());
        }
        return laneTids.getLong(lane);
    }

    /** Writes the counters that changed since the last load this replica showed. */
    void load(TraceEventWriter events, long timeNanos, int nowRunning, int nowWaiting, int nowKvUsed, int nowKvTotal)
            throws IOException {
        if (nowRunning != running) {
            events.counter("running", pid(), stepsTid, timeNanos).arg("requests", nowRunning).end();
            running = nowRunning;
        }
        if (nowWaiting != waiting) {
            events.counter("waiting", pid(), stepsTid, timeNanos).arg("requests", nowWaiting).end();
            waiting = nowWaiting;
        }
        // compared as written (4 decimals), so that a change too small to show writes nothing
        long usage = nowKvTotal > 0 ? Math.round(10_000.0 * nowKvUsed / nowKvTotal) : -1;
        if (usage >= 0 && usage != kvUsage) {
            events.counter("kv cache", pid(), stepsTid, timeNanos).fractionArg("usage", usage).end();
            kvUsage = usage;
        }
    }

    /** Names the process and its threads, and orders them: replicas by index, steps first, then lanes. */
    void writeNames(TraceEventWriter events) throws IOException {
        events.metadata("process_name", pid(), stepsTid).arg("name", "replica " + replica).end();
        events.metadata("process_sort_index", pid(), stepsTid).arg("sort_index", replica).end();
        events.metadata("thread_name", pid(), stepsTid).arg("name", "steps").end();
        events.metadata("thread_sort_index", pid(), stepsTid).arg("sort_index", 0).end();
        for (int lane = 0; lane < laneTids.size(); lane++) {
            long tid = laneTids.getLong(lane);
            events.metadata("thread_name", pid(), tid).arg("name", "lane " + (lane + 1)).end();
            events.metadata("thread_sort_index", pid(), tid).arg("sort_index", lane + 1).end();
        }
    }
}
