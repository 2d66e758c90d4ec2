package dev.servesim.workload;

import dev.servesim.api.request.PromptContent;
import dev.servesim.api.request.Request;
import dev.servesim.api.request.RequestRecord;
import dev.servesim.api.request.Segment;
import dev.servesim.api.sim.EventScheduler;
import dev.servesim.api.workload.WorkloadContext;
import dev.servesim.api.workload.WorkloadSource;
import dev.servesim.workload.config.TraceConfig;
import dev.servesim.workload.trace.TraceEntry;
import dev.servesim.workload.trace.TraceReader;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Replays a trace. Open loop by default: the request at trace time {@code t} is sent at {@code (t - start) /
 * speedup}, reading one line ahead. With {@code max_concurrency} the recorded times are ignored and the next request
 * goes when one of the N in flight finishes; with {@code replay_sessions} later turns of a session wait for their
 * previous turn ({@link TraceSessions}; in vllm-vcr traces, for the record they follow, {@link TraceParents}).
 *
 * <p>Prompts keep the trace's prefix structure: each block hash becomes one segment of the trace's block size (the
 * last one partial where the trace says so), so requests with equal leading hashes share KV blocks; tokens without a
 * hash are unique to their request. {@code cold_prompts} makes every prompt unique.
 *
 * <p>The source reads one request ahead in every mode, so when the run ends first (its horizon, or the trace's
 * {@code end}) it knows the line it stopped at, without reading further: it reports it in the {@code stopped_at_line}
 * counter and one log line, as the rest of the trace was neither replayed nor checked.
 */
final class TraceSource implements WorkloadSource {

    private static final System.Logger LOG = System.getLogger(TraceSource.class.getName());

    private static final long BLOCK_TAG = ContentIds.tag("trace/block");
    private static final long UNIQUE_TAG = ContentIds.tag("trace/unique");

    private final TraceConfig config;
    private final WorkloadContext context;
    private final EventScheduler scheduler;
    private final TraceReader reader;
    private final SessionPacing sessions;
    private final Runnable fill = this::fill;
    private final Runnable recordedArrival = this::recordedArrival;
    private TraceEntry pending;
    private long pendingId;
    private TraceEntry afterEnd;
    private boolean reported;
    private boolean exhausted;
    private long accepted;
    private long sent;
    private long inFlight;
    private long emptyRequests;
    private long promptTokens;
    private long outputTokens;

    TraceSource(TraceConfig config, WorkloadContext context) {
        this.config = config;
        this.context = context;
        this.scheduler = context.scheduler();
        this.reader = TraceReader.open(Path.of(config.file()), config.format(), config.skipBadLines(),
                config.mooncakeBlockSize(), config.start(), config.speedup(),
                () -> context.random().stream("arrivals"));
        if (!config.replaySessions()) {
            this.sessions = null;
        } else if (reader.format().equals(TraceReader.VCR)) {
            this.sessions = new TraceParents(config.maxOpenSessions(), config.speedup(), scheduler, this::send);
        } else {
            this.sessions = new TraceSessions(config.maxOpenSessions(), config.speedup(), scheduler, this::send);
        }
    }

    @Override
    public void start() {
        if (config.maxConcurrency() != null) {
            scheduler.scheduleAt(0, fill);
        } else {
            readAndSchedule();
        }
    }

    @Override
    public void onRequestDone(RequestRecord record) {
        if (sessions != null) {
            sessions.done(record.request().id());
        }
        if (config.maxConcurrency() != null) {
            inFlight--;
            scheduler.schedule(0, fill);
        }
    }

    @Override
    public Map<String, Long> counters() {
        Map<String, Long> counters = new LinkedHashMap<>();
        counters.put("requests", sent);
        counters.put("prompt_tokens", promptTokens);
        counters.put("output_tokens", outputTokens);
        counters.put("skipped_lines", reader.skippedLines());
        counters.put("skipped_empty_requests", emptyRequests);
        counters.put("stopped_at_line", stoppedAt() == null ? 0 : stoppedAt().line());
        if (sessions != null) {
            counters.put("sessions", sessions.sessions());
            counters.put("follow_up_turns", sessions.followUpTurns());
            counters.put("forgotten_sessions", sessions.forgottenSessions());
        }
        if (!reported) {
            // the api has no end-of-run call; the runner reads the counters once, when the run has ended
            reported = true;
            reportStop();
        }
        return counters;
    }

    /** Closes the trace file, also when the run failed or was only checked. */
    @Override
    public void close() {
        reader.close();
    }

    /** The first request read but not replayed: the run ended before its arrival, or it is at or after end. */
    private TraceEntry stoppedAt() {
        return pending != null ? pending : afterEnd;
    }

    private void reportStop() {
        if (pending != null) {
            String when = config.maxConcurrency() != null ? "was next"
                    : "arrives at " + arrival(pending) + " s";
            LOG.log(Level.WARNING, "workload: the run ended at " + scheduler.now() + " s, before the trace "
                    + config.file() + ": line " + pending.line() + " " + when + "; it and the lines after it were "
                    + "neither replayed nor checked (" + sent + " requests were replayed)");
        } else if (afterEnd != null) {
            LOG.log(Level.INFO, "workload: replayed the trace " + config.file() + " up to end: " + config.end()
                    + " s; line " + afterEnd.line() + " is at " + afterEnd.time() + " s, so it and the lines after it "
                    + "were neither replayed nor checked (" + sent + " requests were replayed)");
        }
    }

    /** Simulated arrival of a request at its recorded time; the reader has checked it is at most 1e9 s. */
    private double arrival(TraceEntry entry) {
        return (entry.time() - config.start()) / config.speedup();
    }

    private void readAndSchedule() {
        TraceEntry entry = readNext();
        if (entry == null) {
            return;
        }
        pending = entry;
        pendingId = accepted - 1;
        scheduler.scheduleAt(Math.max(scheduler.now(), arrival(entry)), recordedArrival);
    }

    private void recordedArrival() {
        TraceEntry entry = pending;
        pending = null;
        long id = pendingId;
        if (sessions != null) {
            sessions.arrive(entry, id);
        } else {
            send(entry, id, entry.sessionId() >= 0 ? entry.sessionId() : id, Math.max(1, entry.turn()));
        }
        readAndSchedule();
    }

    private void fill() {
        while (inFlight < config.maxConcurrency()) {
            TraceEntry entry = pending != null ? pending : readNext();
            long id = pending != null ? pendingId : accepted - 1;
            pending = null;
            if (entry == null) {
                return;
            }
            inFlight++;
            send(entry, id, entry.sessionId() >= 0 ? entry.sessionId() : id, Math.max(1, entry.turn()));
        }
        if (pending == null) {
            // one request of look-ahead, as in open loop: a run that ends now knows where the trace stopped
            pending = readNext();
            pendingId = accepted - 1;
        }
    }

    /** The next request inside the window and the limits, or {@code null}; its id is {@code accepted - 1}. */
    private TraceEntry readNext() {
        while (!exhausted) {
            if (config.maxRequests() != null && accepted >= config.maxRequests()) {
                finish();
                return null;
            }
            TraceEntry entry = reader.next();
            if (entry == null) {
                finish();
                return null;
            }
            if (entry.time() < config.start()) {
                continue;
            }
            if (config.end() != null && entry.time() >= config.end()) {
                afterEnd = entry;
                finish();
                return null;
            }
            if (entry.promptTokens() == 0 || entry.outputTokens() == 0) {
                emptyRequests++;
                continue;
            }
            accepted++;
            return entry;
        }
        return null;
    }

    private void finish() {
        exhausted = true;
        reader.close();
    }

    private void send(TraceEntry entry, long id, long sessionId, int turn) {
        PromptContent prompt = config.coldPrompts()
                ? PromptContent.single(ContentIds.of(UNIQUE_TAG, id), entry.promptTokens())
                : prompt(entry, id);
        sent++;
        promptTokens += entry.promptTokens();
        outputTokens += entry.outputTokens();
        context.submit(new Request(id, sessionId, turn, scheduler.now(), prompt, entry.outputTokens(),
                entry.priority(), entry.profile()));
    }

    private static PromptContent prompt(TraceEntry entry, long id) {
        long[] hashes = entry.blockHashes();
        int total = entry.promptTokens();
        if (hashes.length == 0) {
            return PromptContent.single(ContentIds.of(UNIQUE_TAG, id), total);
        }
        List<Segment> segments = new ArrayList<>(hashes.length + 1);
        int covered = 0;
        int blockSize = entry.blockSize();
        for (int i = 0; i < hashes.length && covered < total; i++) {
            int tokens = Math.min(blockSize, total - covered);
            segments.add(new Segment(ContentIds.of(BLOCK_TAG, hashes[i]), tokens));
            covered += tokens;
        }
        if (covered < total) {
            segments.add(new Segment(ContentIds.of(UNIQUE_TAG, id), total - covered));
        }
        return new PromptContent(segments, total);
    }
}
