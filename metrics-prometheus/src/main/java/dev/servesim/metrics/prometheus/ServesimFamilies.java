package dev.servesim.metrics.prometheus;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.NamingConvention;
import io.micrometer.prometheusmetrics.PrometheusNamingConvention;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.util.List;

/**
 * The {@code servesim_*} families of the tally. Their names are canonical dotted names with base units
 * ({@code servesim.request.ttft}, seconds) translated by Micrometer's Prometheus naming convention, as every
 * servesim meter is; labels {@code run}, {@code replica}, {@code framework} and {@code cache_strategy}. Latencies are
 * simulated seconds.
 */
final class ServesimFamilies {

    static final String[] STATUSES = {"completed", "rejected", "unfinished"};
    private static final Quantity[] STATUS_COUNTS =
            {Quantity.REQUESTS_COMPLETED, Quantity.REQUESTS_REJECTED, Quantity.REQUESTS_UNFINISHED};

    private final RunLabels labels;
    private final NamingConvention naming = new PrometheusNamingConvention();

    ServesimFamilies(RunLabels labels) {
        this.labels = labels;
    }

    void write(Tally.Snapshot tally, List<MetricSnapshot> families) {
        Labels[] replicaLabels = new Labels[tally.replicas()];
        for (int replica = 0; replica < replicaLabels.length; replica++) {
            replicaLabels[replica] = Labels.of("run", labels.run(), "replica", Integer.toString(replica),
                    "framework", labels.framework(), "cache_strategy", labels.cacheStrategy());
        }
        FamilyWriter out = new FamilyWriter(tally, replicaLabels, families);
        out.counter(counter("servesim.requests"), "Requests that ended, by status (completed, rejected, unfinished)",
                "status", STATUSES, STATUS_COUNTS);
        out.counter(counter("servesim.prompt.tokens"), "Prompt tokens of requests that got a first token",
                Quantity.PROMPT_TOKENS);
        out.counter(counter("servesim.generation.tokens"), "Output tokens generated", Quantity.GENERATION_TOKENS);
        out.counter(counter("servesim.cached.tokens"), "Prompt tokens served from the prefix cache at first admission",
                Quantity.CACHED_TOKENS);
        out.counter(counter("servesim.prefix.cache.queries"),
                "Prompt tokens looked up in the prefix cache at first admission", Quantity.PREFIX_CACHE_QUERIES);
        out.counter(counter("servesim.prefix.cache.hits"), "Prompt tokens found in the prefix cache at first admission",
                Quantity.PREFIX_CACHE_HITS);
        out.counter(counter("servesim.preemptions"), "Requests preempted (KV blocks freed, recomputed later)",
                Quantity.PREEMPTIONS);
        out.counter(counter("servesim.engine.steps"), "Engine steps (scheduler iterations)", Quantity.ENGINE_STEPS);
        out.gauge(gauge("servesim.requests.running"), "Requests in the running batch", Quantity.RUNNING);
        out.gauge(gauge("servesim.requests.waiting"), "Requests in the waiting queue", Quantity.WAITING);
        out.gauge(gauge("servesim.kv.usage"), "Fraction of usable KV blocks referenced by requests (0-1)",
                FamilyWriter::kvUsage);
        out.histogram(seconds("servesim.request.ttft"), "Time to first token, simulated seconds", Distribution.TTFT);
        out.histogram(seconds("servesim.request.tpot"),
                "Mean time per output token after the first, per completed request, simulated seconds",
                Distribution.TPOT);
        out.histogram(seconds("servesim.request.e2e"), "Arrival to last token of completed requests, simulated seconds",
                Distribution.E2E);
        out.histogram(seconds("servesim.request.queue"), "Waiting queue to first admission, simulated seconds",
                Distribution.QUEUE);
    }

    private String counter(String canonical) {
        return naming.name(canonical, Meter.Type.COUNTER);
    }

    private String gauge(String canonical) {
        return naming.name(canonical, Meter.Type.GAUGE);
    }

    private String seconds(String canonical) {
        return naming.name(canonical, Meter.Type.TIMER, "seconds");
    }
}
