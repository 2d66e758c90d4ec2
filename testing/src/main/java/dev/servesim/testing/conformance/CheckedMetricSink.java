package dev.servesim.testing.conformance;

import dev.servesim.api.engine.EngineLoad;
import dev.servesim.api.metrics.MetricSink;
import dev.servesim.api.metrics.RunSummary;
import dev.servesim.api.request.Request;
import dev.servesim.api.request.RequestRecord;
import dev.servesim.api.request.StepRecord;

/**
 * Passes the runner's calls to a sink through, checking the order {@link MetricSink} promises: {@code onRunStarted}
 * first, then requests, steps and snapshots in simulated-time order, then {@code onRunFinished} once and {@code close}
 * once, last. Counts what the sink received, so a kit can compare it with the run's summary.
 */
final class CheckedMetricSink implements MetricSink {

    private final MetricSink sink;
    private final Checks checks;
    private final String name;
    private boolean started;
    private boolean finished;
    private boolean closed;
    private double lastFinish = Double.NEGATIVE_INFINITY;
    private double lastSnapshot = Double.NEGATIVE_INFINITY;
    private long requests;
    private long steps;
    private long snapshots;
    private RunSummary summary;

    CheckedMetricSink(MetricSink sink, Checks checks, String name) {
        this.sink = sink;
        this.checks = checks;
        this.name = "sink '" + name + "'";
    }

    @Override
    public void onRunStarted() {
        if (started || finished || closed) {
            throw checks.fail(name + ": onRunStarted() called twice or after the run finished");
        }
        started = true;
        sink.onRunStarted();
    }

    @Override
    public void onRequestFinished(RequestRecord record) {
        during("onRequestFinished");
        if (record.finishTime() < lastFinish) {
            throw checks.fail(name + ": request " + record.request().id() + " ended at " + record.finishTime()
                    + " s, reported after one that ended at " + lastFinish + " s");
        }
        lastFinish = record.finishTime();
        requests++;
        sink.onRequestFinished(record);
    }

    @Override
    public void onStep(StepRecord step) {
        during("onStep");
        if (step.duration() < 0 || step.kvBlocksUsed() > step.kvBlocksTotal()) {
            throw checks.fail(name + ": got an impossible step " + step);
        }
        steps++;
        sink.onStep(step);
    }

    @Override
    public void onTokens(Request request, int replica, double time, int count, double gapSeconds) {
        during("onTokens");
        if (count < 1 || !(Double.isNaN(gapSeconds) || gapSeconds >= 0)) {
            throw checks.fail(name + ": got " + count + " tokens of request " + request.id() + " after a gap of "
                    + gapSeconds + " s");
        }
        sink.onTokens(request, replica, time, count, gapSeconds);
    }

    @Override
    public void onAdmitted(Request request, int replica, double time, int queriedTokens, int cachedTokens) {
        during("onAdmitted");
        if (cachedTokens < 0 || cachedTokens > queriedTokens) {
            throw checks.fail(name + ": request " + request.id() + " admitted with " + cachedTokens + " of "
                    + queriedTokens + " tokens cached");
        }
        sink.onAdmitted(request, replica, time, queriedTokens, cachedTokens);
    }

    @Override
    public void onSnapshot(double time, int replica, EngineLoad load) {
        during("onSnapshot");
        if (time < lastSnapshot) {
            throw checks.fail(name + ": snapshot at " + time + " s after one at " + lastSnapshot + " s");
        }
        lastSnapshot = time;
        snapshots++;
        sink.onSnapshot(time, replica, load);
    }

    @Override
    public void onRunFinished(RunSummary runSummary) {
        if (finished || closed) {
            throw checks.fail(name + ": onRunFinished() called twice or after close()");
        }
        finished = true;
        summary = runSummary;
        sink.onRunFinished(runSummary);
    }

    @Override
    public void close() {
        if (closed) {
            throw checks.fail(name + ": close() called twice");
        }
        closed = true;
        sink.close();
    }

    private void during(String call) {
        if (!started || finished || closed) {
            throw checks.fail(name + ": " + call + "() called " + (started ? "after the run finished" : "before "
                    + "onRunStarted()"));
        }
    }

    boolean finished() {
        return finished;
    }

    boolean closed() {
        return closed;
    }

    long requests() {
        return requests;
    }

    long steps() {
        return steps;
    }

    long snapshots() {
        return snapshots;
    }

    RunSummary summary() {
        return summary;
    }

    String name() {
        return name;
    }
}
