package dev.servesim.metrics.prometheus;

import dev.servesim.api.ErrorKind;
import dev.servesim.api.ServesimException;
import dev.servesim.api.engine.EngineLoad;
import dev.servesim.api.metrics.MetricSink;
import dev.servesim.api.metrics.RunSummary;
import dev.servesim.api.metrics.SinkContext;
import dev.servesim.api.request.Request;
import dev.servesim.api.request.RequestRecord;
import dev.servesim.api.request.RequestStatus;
import dev.servesim.api.request.StepRecord;
import dev.servesim.metrics.prometheus.config.PrometheusSinkConfig;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Serves live metrics of the run at {@code http://HOST:PORT/metrics} from creation until {@link #close()}, so that
 * with {@code --hold} a final scrape sees the totals. Runs of one process that ask for the same address share one
 * endpoint, each under its own {@code run} label ({@link SharedEndpoints}). Requests, steps and snapshots are counted
 * on the simulation thread into a {@link Tally}; scrapes render a consistent copy of it on the endpoint's own thread.
 *
 * <p>Micrometer supplies the registry that renders the exposition, the naming of the servesim families, and the
 * run-level meters (simulated time, speed, failed scrapes), which read atomics only; its clock is simulated time.
 */
final class PrometheusSink implements MetricSink {

    static final String ADDRESS_FILE = "prometheus.address";
    private static final System.Logger LOG = System.getLogger(PrometheusSink.class.getName());

    private final SinkContext context;
    // which engine-named families the run exports, at most one: they decide what else the tally keeps
    private final boolean vllmNames;
    private final boolean sglangNames;
    private final Tally tally;
    private final PrometheusMeterRegistry registry;
    // read by the HTTP thread: written with lazySet, as raw double bits
    private final AtomicLong simulatedTime = new AtomicLong();
    private final AtomicLong events = new AtomicLong();
    private final AtomicLong speed = new AtomicLong(Double.doubleToRawLongBits(Double.NaN));
    private final SharedEndpoints.Attachment endpoint;
    private final AtomicBoolean closed = new AtomicBoolean();
    // simulation thread only: the previous snapshot, to measure simulated seconds per wall-clock second (the only
    // use of the wall clock; no result depends on it, like summary.json's simulated_over_wall)
    private double speedFromTime;
    private long speedFromWallNanos;

    /**
     * Binds the configured address, or attaches to the endpoint another run of this process serves there.
     *
     * @throws ServesimException CONFIG if the address cannot be bound or a run of the same name is served there
     */
    PrometheusSink(PrometheusSinkConfig config, SinkContext context, SharedEndpoints endpoints) {
        this.context = context;
        RunLabels labels = RunLabels.of(context.runName(), context.configurationYaml(), config);
        // vllm_names switches the engine's own names, SGLang's for an sglang run and vLLM's for any other
        boolean sglang = SglangFamilies.FRAMEWORK.equals(labels.framework());
        sglangNames = config.vllmNames() && sglang;
        vllmNames = config.vllmNames() && !sglang;
        Optional<EngineFamilies> engine = sglangNames ? Optional.of(new SglangFamilies(labels))
                : vllmNames ? Optional.of(new VllmFamilies(labels)) : Optional.empty();
        tally = new Tally(labels.maxModelLen());
        // replica 0 exists from the start, so the first scrape already lists every family
        long stamp = tally.beginUpdate();
        tally.replica(0);
        tally.endUpdate(stamp);

        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT, new PrometheusRegistry(),
                new SimulatedClock(simulatedTime));
        registry.config().commonTags("run", labels.run(), "framework", labels.framework(), "cache_strategy",
                labels.cacheStrategy());
        Gauge.builder("servesim.simulated.time", simulatedTime, PrometheusSink::bitsToDouble).baseUnit("seconds")
                .description("Simulated time of the run").register(registry);
        Gauge.builder("servesim.simulation.speed", speed, PrometheusSink::bitsToDouble)
                .description("Simulated seconds per wall-clock second over the last snapshot interval; "
                        + "the whole run's once it ended").register(registry);
        io.micrometer.core.instrument.FunctionCounter.builder("servesim.simulation.events", events, AtomicLong::get)
                .description("Simulation events run so far (as of the last snapshot)").register(registry);
        Counter failedScrapes = Counter.builder("servesim.scrape.failures")
                .description("Scrapes whose response could not be sent (the client went away)").register(registry);
        PrometheusRegistry families = registry.getPrometheusRegistry();
        families.register(new TallyCollector(tally, new ServesimFamilies(labels), engine));

        endpoint = endpoints.attach(config.host(), config.port(), new ServedRun(labels.run(), families::scrape,
                failedScrapes::increment, () -> engine.ifPresent(EngineFamilies::labelRuns)));
        try {
            writeAddress(context.outputDirectory(), endpoint.url());
        } catch (RuntimeException e) {
            endpoint.close();
            throw e;
        }
        LOG.log(Level.INFO, "prometheus: metrics at " + endpoint.url());
    }

    /** The URL the metrics are served at. */
    String url() {
        return endpoint.url();
    }

    @Override
    public void onRunStarted() {
        speedFromTime = context.clock().now();
        speedFromWallNanos = System.nanoTime();
    }

    @Override
    public void onRequestFinished(RequestRecord record) {
        long stamp = tally.beginUpdate();
        try {
            long[] values = tally.replica(record.replica());
            count(values, record);
            if (vllmNames) {
                countVllm(values, record);
            } else if (sglangNames) {
                countSglang(values, record);
            }
        } finally {
            tally.endUpdate(stamp);
        }
    }

    private void count(long[] values, RequestRecord record) {
        // generation and prompt tokens, prefix-cache queries and hits, and inter-token gaps are counted as they
        // happen (onTokens, onAdmitted), as vLLM counts them per engine step
        Tally.add(values, Quantity.requests(record.status()), 1);
        if (record.status() == RequestStatus.COMPLETED) {
            Tally.add(values, RequestRecord.STOP.equals(record.finishReason()) ? Quantity.REQUESTS_STOPPED
                    : Quantity.REQUESTS_AT_LENGTH, 1);
        }
        if (!Double.isNaN(record.firstTokenTime())) {
            tally.observe(values, Distribution.TTFT, record.ttft());
        }
        if (!Double.isNaN(record.scheduledTime())) {
            Tally.add(values, Quantity.CACHED_TOKENS, record.cachedTokens());
            tally.observe(values, Distribution.QUEUE, record.queueTime());
        }
        if (record.status() == RequestStatus.COMPLETED) {
            tally.observe(values, Distribution.E2E, record.e2e());
            // NaN (skipped) for a single output token, as in summary.json
            tally.observe(values, Distribution.TPOT, record.meanItl());
        }
    }

    // as vllm/v1/metrics/stats.py defines them; see docs/prometheus.md for where the simulator differs
    private void countVllm(long[] values, RequestRecord record) {
        int outputTokens = record.outputTokens();
        if (record.status() != RequestStatus.COMPLETED) {
            return;
        }
        double decode = record.finishTime() - record.firstTokenTime();
        int promptTokens = record.request().promptTokens();
        tally.observe(values, Distribution.VLLM_TIME_PER_OUTPUT_TOKEN,
                outputTokens > 1 ? decode / (outputTokens - 1) : 0);
        tally.observe(values, Distribution.VLLM_E2E, record.e2e());
        tally.observe(values, Distribution.VLLM_QUEUE, record.queueTime());
        tally.observe(values, Distribution.VLLM_INFERENCE, record.finishTime() - record.scheduledTime());
        tally.observe(values, Distribution.VLLM_PREFILL, record.firstTokenTime() - record.scheduledTime());
        tally.observe(values, Distribution.VLLM_DECODE, decode);
        tally.observe(values, Distribution.VLLM_PROMPT_TOKENS, promptTokens);
        tally.observe(values, Distribution.VLLM_GENERATION_TOKENS, outputTokens);
        tally.observe(values, Distribution.VLLM_MAX_GENERATION_TOKENS, outputTokens);
        tally.observe(values, Distribution.VLLM_MAX_TOKENS_PARAM, record.request().maxOutputTokens());
        tally.observe(values, Distribution.VLLM_PREFILL_KV_COMPUTED_TOKENS, promptTokens - record.cachedTokens());
        tally.observe(values, Distribution.VLLM_N_PARAM, 1);
    }

    // as SGLang's TokenizerMetricsCollector observes them; see docs/prometheus.md for where the simulator differs
    private void countSglang(long[] values, RequestRecord record) {
        if (!Double.isNaN(record.firstTokenTime())) {
            tally.observe(values, Distribution.SGLANG_TTFT, record.ttft());
        }
        if (record.status() == RequestStatus.COMPLETED) {
            tally.observe(values, Distribution.SGLANG_E2E, record.e2e());
            // decode time / (output tokens - 1); NaN (skipped) for a single output token
            tally.observe(values, Distribution.SGLANG_TIME_PER_OUTPUT_TOKEN, record.meanItl());
        }
    }

    @Override
    public void onTokens(Request request, int replica, double time, int count, double gapSeconds) {
        long stamp = tally.beginUpdate();
        try {
            long[] values = tally.replica(replica);
            Tally.add(values, Quantity.GENERATION_TOKENS, count);
            if (Double.isNaN(gapSeconds)) {
                // the step that computed the prompt's last chunk gave the first token
                Tally.add(values, Quantity.PROMPT_TOKENS, request.promptTokens());
            } else if (vllmNames) {
                // as vLLM's inter_token_latency: one observation per request and step
                tally.observe(values, Distribution.VLLM_INTER_TOKEN_LATENCY, gapSeconds);
            } else if (sglangNames) {
                // as SGLang's observe_inter_token_latency: the gap spread over the batch's tokens, one observation
                // each, the sum growing by the gap
                tally.observe(values, Distribution.SGLANG_INTER_TOKEN_LATENCY, gapSeconds / count, count);
            }
        } finally {
            tally.endUpdate(stamp);
        }
    }

    @Override
    public void onAdmitted(Request request, int replica, double time, int queriedTokens, int cachedTokens) {
        long stamp = tally.beginUpdate();
        try {
            long[] values = tally.replica(replica);
            // every lookup, retries after a preemption included, as vLLM's prefix_cache_queries
            Tally.add(values, Quantity.PREFIX_CACHE_QUERIES, queriedTokens);
            Tally.add(values, Quantity.PREFIX_CACHE_HITS, cachedTokens);
        } finally {
            tally.endUpdate(stamp);
        }
    }

    @Override
    public void onStep(StepRecord step) {
        long stamp = tally.beginUpdate();
        try {
            long[] values = tally.replica(step.replica());
            Tally.add(values, Quantity.ENGINE_STEPS, 1);
            Tally.add(values, Quantity.PREEMPTIONS, step.preemptions());
            load(values, step.running(), step.waiting(), step.kvBlocksUsed(), step.kvBlocksTotal());
            if (vllmNames) {
                tally.observe(values, Distribution.VLLM_ITERATION_TOKENS, step.prefillTokens() + step.decodeTokens());
            }
        } finally {
            tally.endUpdate(stamp);
        }
    }

    @Override
    public void onSnapshot(double time, int replica, EngineLoad load) {
        long stamp = tally.beginUpdate();
        try {
            long[] values = tally.replica(replica);
            load(values, load.running(), load.waiting(), load.kvBlocksUsed(), load.kvBlocksTotal());
            if (sglangNames) {
                window(values, time);
            }
        } finally {
            tally.endUpdate(stamp);
        }
        simulatedTime.lazySet(Double.doubleToRawLongBits(time));
        events.lazySet(context.eventsProcessed());
        if (time > speedFromTime) {
            long wallNanos = System.nanoTime();
            if (wallNanos > speedFromWallNanos) {
                double simulatedOverWall = (time - speedFromTime) * 1e9 / (wallNanos - speedFromWallNanos);
                speed.lazySet(Double.doubleToRawLongBits(simulatedOverWall));
            }
            speedFromTime = time;
            speedFromWallNanos = wallNanos;
        }
    }

    /**
     * SGLang's windowed gauges, over the simulated time since the replica's previous snapshot (the first: since time
     * 0): generation tokens per second, and the prefix-cache token hit rate, which keeps its value through windows
     * without lookups, as SGLang's keeps that of its latest prefill batch.
     */
    private static void window(long[] values, double time) {
        double start = Tally.getDouble(values, Quantity.SNAPSHOT_TIME);
        if (time > start) {
            long generated = Tally.get(values, Quantity.GENERATION_TOKENS)
                    - Tally.get(values, Quantity.SNAPSHOT_GENERATION_TOKENS);
            Tally.setDouble(values, Quantity.GENERATION_THROUGHPUT, generated / (time - start));
        }
        long queries = Tally.get(values, Quantity.PREFIX_CACHE_QUERIES)
                - Tally.get(values, Quantity.SNAPSHOT_PREFIX_CACHE_QUERIES);
        if (queries > 0) {
            long hits = Tally.get(values, Quantity.PREFIX_CACHE_HITS)
                    - Tally.get(values, Quantity.SNAPSHOT_PREFIX_CACHE_HITS);
            Tally.setDouble(values, Quantity.CACHE_HIT_RATE, (double) hits / queries);
        }
        Tally.setDouble(values, Quantity.SNAPSHOT_TIME, time);
        Tally.set(values, Quantity.SNAPSHOT_GENERATION_TOKENS, Tally.get(values, Quantity.GENERATION_TOKENS));
        Tally.set(values, Quantity.SNAPSHOT_PREFIX_CACHE_QUERIES, Tally.get(values, Quantity.PREFIX_CACHE_QUERIES));
        Tally.set(values, Quantity.SNAPSHOT_PREFIX_CACHE_HITS, Tally.get(values, Quantity.PREFIX_CACHE_HITS));
    }

    private static void load(long[] values, int running, int waiting, int kvBlocksUsed, int kvBlocksTotal) {
        Tally.set(values, Quantity.RUNNING, running);
        Tally.set(values, Quantity.WAITING, waiting);
        Tally.set(values, Quantity.KV_BLOCKS_USED, kvBlocksUsed);
        Tally.set(values, Quantity.KV_BLOCKS_TOTAL, kvBlocksTotal);
    }

    /** Keeps serving: the endpoint stays up until {@link #close()}, so that a held run's final scrape sees it all. */
    @Override
    public void onRunFinished(RunSummary summary) {
        simulatedTime.lazySet(Double.doubleToRawLongBits(summary.simulatedSeconds()));
        speed.lazySet(Double.doubleToRawLongBits(summary.simulatedOverWall()));
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            try {
                endpoint.close();
            } finally {
                registry.close();
            }
        }
    }

    private static void writeAddress(Path folder, String url) {
        Path target = folder.resolve(ADDRESS_FILE);
        Path partial = folder.resolve(ADDRESS_FILE + ".partial");
        try {
            Files.writeString(partial, url + "\n", StandardCharsets.UTF_8);
            try {
                Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new ServesimException(ErrorKind.IO, "cannot write " + target + ": " + e.getMessage(), e);
        }
    }

    private static double bitsToDouble(AtomicLong bits) {
        return Double.longBitsToDouble(bits.get());
    }

    /** Micrometer's clock driven by simulated time (never the wall clock), readable from any thread. */
    private record SimulatedClock(AtomicLong simulatedTimeBits) implements Clock {
        @Override
        public long wallTime() {
            return 1 + (long) (Double.longBitsToDouble(simulatedTimeBits.get()) * 1e3);
        }

        @Override
        public long monotonicTime() {
            return 1 + (long) (Double.longBitsToDouble(simulatedTimeBits.get()) * 1e9);
        }
    }
}
