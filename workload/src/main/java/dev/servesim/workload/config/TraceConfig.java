package dev.servesim.workload.config;

import static dev.servesim.api.ConfigValues.nonNegative;
import static dev.servesim.api.ConfigValues.orDefault;
import static dev.servesim.api.ConfigValues.positive;
import static dev.servesim.api.ConfigValues.required;

import dev.servesim.api.ServesimException;
import java.util.List;

/**
 * Configuration of the {@code trace} source: replay of a request trace, read lazily one line ahead.
 *
 * @param file the trace, relative to the working directory (required)
 * @param format {@code auto} (default: from the start of the file), {@code servesim}, {@code vcr}, {@code mooncake},
 *     {@code bailian}, {@code azure}, {@code burstgpt}, {@code openai-log}, {@code sharegpt} or {@code vllm-bench}
 * @param speedup trace time runs this many times faster (default 1); a request whose simulated arrival,
 *     (trace time - start) / speedup, is after 1e9 s is a bad line. Formats without recorded times draw theirs:
 *     ShareGPT one conversation a second of trace time, vLLM benchmark results at their recorded request rate
 * @param start only requests at or after this many seconds of trace time; they are sent from simulated time 0
 *     (default 0), so a trace that counts from another origin (Unix time) can start at its first request
 * @param end only requests before this many seconds of trace time (default: to the end)
 * @param maxRequests stop after this many requests (default: no limit)
 * @param coldPrompts make every prompt unique, so nothing is reusable from cache (default false)
 * @param replaySessions send each later turn of a session after its previous turn finished, plus the recorded think
 *     gap; sessions are the recorded ones (servesim format, Bailian parent chats, ShareGPT conversations), else a
 *     request whose block-hash chain extends an earlier request's whole chain is that request's next turn; vllm-vcr
 *     requests wait for their parent record, as vllm-vcr replays them (default false)
 * @param maxOpenSessions replay_sessions: most sessions remembered for matching; the oldest is forgotten first
 *     (default 100000)
 * @param maxConcurrency at most this many requests in flight; the next one goes when one finishes, recorded times
 *     are ignored (default: open loop)
 * @param skipBadLines skip malformed lines and count them instead of stopping (default false)
 * @param mooncakeBlockSize tokens per hash block of Mooncake traces (default 512)
 */
public record TraceConfig(
        String file,
        String format,
        Double speedup,
        Double start,
        Double end,
        Long maxRequests,
        Boolean coldPrompts,
        Boolean replaySessions,
        Integer maxOpenSessions,
        Integer maxConcurrency,
        Boolean skipBadLines,
        Integer mooncakeBlockSize) {

    /** Values of {@code format}. */
    public static final List<String> FORMATS = List.of("auto", "servesim", "vcr", "mooncake", "bailian", "azure",
            "burstgpt", "openai-log", "sharegpt", "vllm-bench");

    public TraceConfig {
        required("file", file);
        if (file.isBlank()) {
            throw ServesimException.config("file", "must name a trace file");
        }
        format = orDefault(format, "auto");
        if (!FORMATS.contains(format)) {
            throw ServesimException.config("format", "unknown '" + format + "'; one of " + String.join(", ", FORMATS));
        }
        speedup = positive("speedup", orDefault(speedup, 1.0));
        start = nonNegative("start", orDefault(start, 0.0));
        if (end != null && !(end > start)) {
            throw ServesimException.config("end", "must be after start (" + start + " s), got " + end);
        }
        if (end != null && Double.isInfinite(end)) {
            throw ServesimException.config("end", "must be a finite time; leave it out to replay to the end");
        }
        if (maxRequests != null && maxRequests < 1) {
            throw ServesimException.config("max_requests", "must be positive, got " + maxRequests);
        }
        coldPrompts = orDefault(coldPrompts, false);
        replaySessions = orDefault(replaySessions, false);
        maxOpenSessions = positive("max_open_sessions", orDefault(maxOpenSessions, 100_000));
        if (maxConcurrency != null) {
            positive("max_concurrency", maxConcurrency);
            if (replaySessions) {
                throw ServesimException.config("max_concurrency", "cannot be combined with replay_sessions");
            }
            if (speedup != 1.0) {
                throw ServesimException.config("speedup", "has no effect with max_concurrency, which ignores "
                        + "recorded times");
            }
        }
        skipBadLines = orDefault(skipBadLines, false);
        mooncakeBlockSize = positive("mooncake_block_size", orDefault(mooncakeBlockSize, 512));
    }
}
