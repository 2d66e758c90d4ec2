package dev.servesim.cli;

import dev.servesim.api.metrics.LatencyStats;
import dev.servesim.api.metrics.RunSummary;
import dev.servesim.runner.RunConfiguration;
import dev.servesim.runner.RunResult;
import java.io.PrintWriter;
import java.util.Locale;

/** The short report {@code servesim run} prints when it ends. */
final class SummaryPrinter {

    private SummaryPrinter() {}

    static void print(PrintWriter out, RunConfiguration configuration, RunResult result) {
        RunSummary s = result.summary();
        RunSummary.Requests r = s.requests();
        out.printf(Locale.ROOT, "servesim run '%s' (%s, %s, %s, seed %d)%s%n", s.runName(),
                configuration.framework().name(), configuration.cache().name(), configuration.workload().name(),
                s.seed(), s.partial() ? " - STOPPED EARLY (" + s.stopReason() + "), results are partial" : "");
        out.printf(Locale.ROOT, "  simulated %.1f s in %.2f s wall (%.0fx), %,d events%n", s.simulatedSeconds(),
                s.wallSeconds(), s.wallSeconds() > 0 ? s.simulatedSeconds() / s.wallSeconds() : 0.0,
                result.eventsProcessed());
        out.printf(Locale.ROOT, "  requests   arrived %d, completed %d, rejected %d, unfinished %d%n", r.arrived(),
                r.completed(), r.rejected(), r.unfinished());
        out.printf(Locale.ROOT, "  %-10s %10s %10s %10s %10s %10s%n", "latency ms", "mean", "p50", "p90", "p99", "max");
        row(out, "TTFT", s.latencyMs().ttft());
        row(out, "TPOT", s.latencyMs().tpot());
        row(out, "E2E", s.latencyMs().e2e());
        row(out, "queue", s.latencyMs().queue());
        out.printf(Locale.ROOT, "  throughput %.2f req/s, %.1f input tok/s, %.1f output tok/s%n",
                s.throughput().requestsPerS(), s.throughput().inputTokensPerS(), s.throughput().outputTokensPerS());
        RunSummary.PrefixCache cache = s.prefixCache();
        if (!Double.isNaN(cache.tokenHitRate())) {
            out.printf(Locale.ROOT, "  prefix cache %s: token hit rate %.1f%%, %,d prompt tokens saved, %,d blocks evicted%n",
                    cache.strategy(), 100 * cache.tokenHitRate(), cache.tokensSaved(), cache.blocksEvicted());
        }
        if (s.kvCache().blocks() > 0) {
            out.printf(Locale.ROOT, "  KV cache   %,d blocks x %d tokens = %,d tokens; %d preemptions%n",
                    s.kvCache().blocks(), s.kvCache().blockSize(), s.kvCache().tokens(), s.kvCache().preemptions());
        }
        out.printf("  results in %s: %s%n", result.outputDirectory(), String.join(", ", result.files()));
        out.flush();
    }

    private static void row(PrintWriter out, String name, LatencyStats stats) {
        out.printf(Locale.ROOT, "  %-10s %10.2f %10.2f %10.2f %10.2f %10.2f%n", name, stats.mean(), stats.p50(),
                stats.p90(), stats.p99(), stats.max());
    }
}
