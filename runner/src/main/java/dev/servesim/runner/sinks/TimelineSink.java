package dev.servesim.runner.sinks;

import static dev.servesim.runner.sinks.TraceEventWriter.nanos;

import dev.servesim.api.engine.EngineLoad;
import dev.servesim.api.metrics.MetricSink;
import dev.servesim.api.metrics.RunSummary;
import dev.servesim.api.request.Request;
import dev.servesim.api.request.RequestRecord;
import dev.servesim.api.request.StepRecord;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Writes the run as Chrome Trace Event JSON: per replica a process with a {@code steps} thread (each engine step a
 * slice, load counters beside it) and request lanes (each request a slice from arrival to finish, its queue, prefill
 * and decode phases nested in it). Events are streamed to a temporary file as they happen and the file is moved into
 * place when the run finishes; what stays in memory is a few numbers per replica and per lane. At most
 * {@code maxRequests} requests and {@code maxSteps} steps and load snapshots are recorded; past a cap, an instant event
 * marks where recording stopped and {@code otherData} says how many were left out.
 */
final class TimelineSink implements MetricSink {

    private final StreamedFile output;
    private final int maxRequests;
    private final int maxSteps;
    private final List<ReplicaTracks> replicas = new ArrayList<>();
    private long lastTid;
    private TraceEventWriter events;
    private long requestsRecorded;
    private long requestsLeftOut;
    private long stepsRecorded;
    private long stepsLeftOut;
    private long snapshotsRecorded;
    private long snapshotsLeftOut;

    TimelineSink(Path file, int maxRequests, int maxSteps) {
        this.output = new StreamedFile(file);
        this.maxRequests = maxRequests;
        this.maxSteps = maxSteps;
    }

    @Override
    public void onRunStarted() {
        events = new TraceEventWriter(output.open());
        try {
            events.begin();
        } catch (IOException e) {
            throw output.cannotWrite(e);
        }
    }

    @Override
    public void onRequestFinished(RequestRecord record) {
        Request request = record.request();
        long arrival = nanos(request.arrivalTime());
        long finish = Math.max(arrival, Double.isNaN(record.finishTime()) ? arrival : nanos(record.finishTime()));
        ReplicaTracks tracks = tracks(record.replica());
        try {
            if (requestsRecorded >= maxRequests) {
                if (requestsLeftOut++ == 0) {
                    capReached(tracks, finish, "requests ending after this are not recorded (max_requests "
                            + maxRequests + ")");
                }
                return;
            }
            requestsRecorded++;
            long tid = tracks.laneTid(arrival, finish);
            events.complete("request " + request.id(), tracks.pid(), tid, arrival, finish - arrival)
                    .arg("id", request.id())
                    .arg("session", request.sessionId())
                    .arg("turn", request.turn())
                    .arg("prompt_tokens", request.promptTokens())
                    .arg("cached_tokens", record.cachedTokens())
                    .arg("output_tokens", record.outputTokens())
                    .arg("preemptions", record.preemptions())
                    .arg("status", record.status().name().toLowerCase(Locale.ROOT));
            optionalArg("reason", record.reason());
            optionalArg("profile", request.profile());
            events.end();
            // a phase that never began ends where the request ended
            long scheduled = within(record.scheduledTime(), arrival, finish);
            long firstToken = within(record.firstTokenTime(), scheduled, finish);
            phase("queue", tracks, tid, arrival, scheduled);
            phase("prefill", tracks, tid, scheduled, firstToken);
            phase("decode", tracks, tid, firstToken, finish);
        } catch (IOException e) {
            throw output.cannotWrite(e);
        }
    }

    @Override
    public void onStep(StepRecord step) {
        ReplicaTracks tracks = tracks(step.replica());
        long start = nanos(step.startTime());
        long end = Math.max(start, nanos(step.startTime() + step.duration()));
        try {
            if (!sample(tracks, end)) {
                stepsLeftOut++;
                return;
            }
            stepsRecorded++;
            events.complete(stepName(step), tracks.pid(), tracks.stepsTid(), start, end - start)
                    .arg("prefill_tokens", step.prefillTokens())
                    .arg("decode_tokens", step.decodeTokens())
                    .arg("requests", step.scheduledRequests())
                    .arg("preemptions", step.preemptions())
                    .end();
            tracks.load(events, end, step.running(), step.waiting(), step.kvBlocksUsed(), step.kvBlocksTotal());
        } catch (IOException e) {
            throw output.cannotWrite(e);
        }
    }

    @Override
    public void onSnapshot(double time, int replica, EngineLoad load) {
        ReplicaTracks tracks = tracks(replica);
        long at = nanos(time);
        try {
            if (!sample(tracks, at)) {
                snapshotsLeftOut++;
                return;
            }
            snapshotsRecorded++;
            tracks.load(events, at, load.running(), load.waiting(), load.kvBlocksUsed(), load.kvBlocksTotal());
        } catch (IOException e) {
            throw output.cannotWrite(e);
        }
    }

    @Override
    public void onRunFinished(RunSummary summary) {
        try {
            // replicas that never showed anything are named too
            while (replicas.size() < summary.cluster().replicas()) {
                tracks(replicas.size());
            }
            for (ReplicaTracks tracks : replicas) {
                tracks.writeNames(events);
            }
            boolean capped = requestsLeftOut + stepsLeftOut + snapshotsLeftOut > 0;
            events.finish(
                    "generator", "servesim timeline",
                    "run_name", summary.runName(),
                    "seed", summary.seed(),
                    "partial", summary.partial(),
                    "stop_reason", summary.stopReason(),
                    "requests_recorded", requestsRecorded,
                    "requests_left_out", requestsLeftOut,
                    "max_requests", maxRequests,
                    "steps_recorded", stepsRecorded,
                    "steps_left_out", stepsLeftOut,
                    "snapshots_recorded", snapshotsRecorded,
                    "snapshots_left_out", snapshotsLeftOut,
                    "max_steps", maxSteps,
                    "note", capped ? "the timeline is capped: raise max_requests or max_steps of the timeline sink "
                            + "to record what was left out" : "");
        } catch (IOException e) {
            throw output.cannotWrite(e);
        }
        output.finish();
    }

    /** A run that failed before its results were written leaves no half-written file. */
    @Override
    public void close() {
        output.abandon();
    }

    private ReplicaTracks tracks(int replica) {
        while (replicas.size() <= replica) {
            replicas.add(new ReplicaTracks(replicas.size(), () -> ++lastTid));
        }
        return replicas.get(replica);
    }

    /** Whether one more step or snapshot fits under {@code maxSteps}; marks the first one that does not. */
    private boolean sample(ReplicaTracks tracks, long timeNanos) throws IOException {
        if (stepsRecorded + snapshotsRecorded < maxSteps) {
            return true;
        }
        if (stepsLeftOut + snapshotsLeftOut == 0) {
            capReached(tracks, timeNanos, "steps and load counters after this are not recorded (max_steps "
                    + maxSteps + ")");
        }
        return false;
    }

    private void capReached(ReplicaTracks tracks, long timeNanos, String what) throws IOException {
        events.instant("timeline cap reached: " + what, tracks.pid(), tracks.stepsTid(), timeNanos).end();
    }

    private void optionalArg(String key, String value) {
        if (!value.isEmpty()) {
            events.arg(key, value);
        }
    }

    private void phase(String name, ReplicaTracks tracks, long tid, long start, long end) throws IOException {
        if (end > start) {
            events.complete(name, tracks.pid(), tid, start, end - start).end();
        }
    }

    /** {@code time} in nanoseconds, kept within {@code [from, to]}; {@code to} if it never happened (NaN). */
    private static long within(double time, long from, long to) {
        return Double.isNaN(time) ? to : Math.min(to, Math.max(from, nanos(time)));
    }

    private static String stepName(StepRecord step) {
        if (step.prefillTokens() > 0) {
            return step.decodeTokens() > 0 ? "prefill+decode" : "prefill";
        }
        return step.decodeTokens() > 0 ? "decode" : "step";
    }
}
