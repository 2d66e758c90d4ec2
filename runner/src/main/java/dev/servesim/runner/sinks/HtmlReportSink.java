package dev.servesim.runner.sinks;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.servesim.api.ErrorKind;
import dev.servesim.api.ServesimException;
import dev.servesim.api.engine.EngineLoad;
import dev.servesim.api.metrics.MetricSink;
import dev.servesim.api.metrics.RunSummary;
import dev.servesim.api.metrics.SinkContext;
import dev.servesim.api.request.RequestRecord;
import dev.servesim.api.request.RequestStatus;
import dev.servesim.api.request.StepRecord;
import dev.servesim.report.Distribution;
import dev.servesim.report.HtmlReport;
import dev.servesim.report.RunReport;
import dev.servesim.report.Series;
import dev.servesim.runner.config.ConfigMappers;
import dev.servesim.runner.stats.LatencyDigest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Collects what report.html plots - load, KV usage, token rates and prefix-cache hit rate over simulated time, and
 * TTFT/E2E/TPOT distributions per turn cohort - in bounded memory, and renders the page when the run ends.
 */
final class HtmlReportSink implements MetricSink {

    private static final int PREFILL = 0;
    private static final int DECODE = 1;
    private static final int RUNNING = 2;
    private static final int WAITING = 3;
    private static final int KV_USED = 4;
    private static final int KV_TOTAL = 5;
    private static final int CACHED = 6;
    private static final int PROMPT = 7;
    private static final int COMPLETED = 8;
    private static final int CHANNELS = 9;
    private static final int DIGEST_LIMIT = 100_000;
    private static final int CURVE_POINTS = 2000;
    private static final String[] COHORTS = {"all", "turn 1", "turns 2+"};
    private static final int POINTS = 240;

    private final Path file;
    private final SinkContext context;
    private final Timeline timeline = new Timeline(CHANNELS, 0.1, 1000);
    // per cohort: ttft, e2e, tpot
    private final LatencyDigest[][] digests = new LatencyDigest[COHORTS.length][3];
    // the snapshot being summed over replicas
    private double snapshotTime = Double.NaN;
    private long snapshotRunning;
    private long snapshotWaiting;
    private long snapshotKvUsed;
    private long snapshotKvTotal;

    HtmlReportSink(Path file, SinkContext context) {
        this.file = file;
        this.context = context;
        for (LatencyDigest[] cohort : digests) {
            for (int m = 0; m < cohort.length; m++) {
                cohort[m] = new LatencyDigest(DIGEST_LIMIT);
            }
        }
    }

    @Override
    public void onStep(StepRecord step) {
        double end = step.startTime() + step.duration();
        timeline.add(PREFILL, end, step.prefillTokens());
        timeline.add(DECODE, end, step.decodeTokens());
    }

    @Override
    public void onSnapshot(double time, int replica, EngineLoad load) {
        if (time != snapshotTime) {
            flushSnapshot();
            snapshotTime = time;
        }
        snapshotRunning += load.running();
        snapshotWaiting += load.waiting();
        snapshotKvUsed += load.kvBlocksUsed();
        snapshotKvTotal += load.kvBlocksTotal();
    }

    private void flushSnapshot() {
        if (Double.isNaN(snapshotTime)) {
            return;
        }
        timeline.add(RUNNING, snapshotTime, snapshotRunning);
        timeline.add(WAITING, snapshotTime, snapshotWaiting);
        if (snapshotKvTotal > 0) {
            timeline.add(KV_USED, snapshotTime, (double) snapshotKvUsed / snapshotKvTotal);
        }
        snapshotRunning = 0;
        snapshotWaiting = 0;
        snapshotKvUsed = 0;
        snapshotKvTotal = 0;
    }

    @Override
    public void onRequestFinished(RequestRecord record) {
        if (!Double.isNaN(record.scheduledTime())) {
            timeline.add(CACHED, record.scheduledTime(), record.cachedTokens());
            timeline.add(PROMPT, record.scheduledTime(), record.request().promptTokens());
        }
        int cohort = record.request().turn() == 1 ? 1 : 2;
        for (int c : new int[] {0, cohort}) {
            digests[c][0].add(record.ttft());
            if (record.status() == RequestStatus.COMPLETED) {
                digests[c][1].add(record.e2e());
                digests[c][2].add(record.meanItl());
            }
        }
        if (record.status() == RequestStatus.COMPLETED) {
            timeline.add(COMPLETED, record.finishTime(), 1);
        }
    }

    private static Series series(String chart, String label, String unit, double[][] points) {
        return new Series(chart, label, unit, points[0], points[1]);
    }

    @Override
    public void onRunFinished(RunSummary summary) {
        flushSnapshot();
        double end = summary.simulatedSeconds();
        List<Series> series = new ArrayList<>();
        series.add(series("throughput", "prefill tokens/s", "tokens/s", timeline.points(PREFILL, end, true, POINTS)));
        series.add(series("throughput", "decode tokens/s", "tokens/s", timeline.points(DECODE, end, true, POINTS)));
        series.add(series("throughput", "completed requests/s", "requests/s",
                timeline.points(COMPLETED, end, true, POINTS)));
        series.add(series("queue", "waiting requests", "requests", timeline.points(WAITING, end, false, POINTS)));
        series.add(series("batch", "running requests", "requests", timeline.points(RUNNING, end, false, POINTS)));
        series.add(series("kv", "KV blocks in use", "fraction", timeline.points(KV_USED, end, false, POINTS)));
        series.add(series("hit-rate", "prefix-cache token hit rate", "fraction",
                timeline.ratio(CACHED, PROMPT, end, POINTS)));
        List<Distribution> distributions = new ArrayList<>();
        String[] metrics = {"ttft", "e2e", "tpot"};
        // cohorts only when there are follow-up turns; otherwise they would repeat "all"
        int cohorts = digests[2][0].count() > 0 ? COHORTS.length : 1;
        for (int c = 0; c < cohorts; c++) {
            for (int m = 0; m < metrics.length; m++) {
                if (digests[c][m].count() > 0) {
                    distributions.add(new Distribution(metrics[m], COHORTS[c],
                            digests[c][m].quantilesMillis(CURVE_POINTS), digests[c][m].count()));
                }
            }
        }
        String subtitle = String.format(Locale.ROOT, "seed %d - %.1f simulated seconds - %s cache - servesim %s%s",
                summary.seed(), summary.simulatedSeconds(), summary.prefixCache().strategy(), summary.version(),
                summary.partial() ? " - STOPPED EARLY (" + summary.stopReason() + "), partial results" : "");
        String html;
        try {
            html = HtmlReport.render(new RunReport("servesim run '" + summary.runName() + "'", subtitle,
                    ConfigMappers.json().writeValueAsString(JsonTrees.withoutNonFinite(
                            ConfigMappers.json().valueToTree(summary))),
                    context.configurationYaml(), series, distributions));
        } catch (JsonProcessingException | RuntimeException e) {
            throw new ServesimException(ErrorKind.IO, "cannot render " + file + ": " + e.getMessage(), e);
        }
        OutputFiles.writeAtomically(file, html);
    }
}
