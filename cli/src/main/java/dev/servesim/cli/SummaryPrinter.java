package dev.servesim.cli;

import dev.servesim.api.engine.GpuMemory;
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
        long stopped = r.finishedByReason().getOrDefault("stop", 0L);
        if (stopped > 0) {
            out.printf(Locale.ROOT, "  finished   %d stop, %d length%n", stopped,
                    r.finishedByReason().getOrDefault("length", 0L));
        }
        out.printf(Locale.ROOT, "  %-10s %10s %10s %10s %10s %10s%n", "latency ms", "mean", "p50", "p90", "p99", "max");
        row(out, "TTFT", s.latencyMs().ttft());
        row(out, "TPOT", s.latencyMs().tpot());
        row(out, "E2E", s.latencyMs().e2e());
        row(out, "queue", s.latencyMs().queue());
        out.printf(Locale.ROOT, "  throughput %.2f req/s, %.1f input tok/s, %.1f output tok/s%n",
                s.throughput().requestsPerS(), s.throughput().inputTokensPerS(), s.throughput().outputTokensPerS());
        RunSummary.Goodput goodput = s.goodput();
        if (Double.isNaN(goodput.sloTtftMs()) && Double.isNaN(goodput.sloTpotMs())) {
            out.println("  goodput    - (no SLO set)");
        } else {
            out.printf(Locale.ROOT, "  goodput    %s of requests meet the SLOs, %.2f req/s%n",
                    Double.isNaN(goodput.share()) ? "-" : String.format(Locale.ROOT, "%.1f%%", 100 * goodput.share()),
                    goodput.requestsPerS());
        }
        RunSummary.PrefixCache cache = s.prefixCache();
        if (!Double.isNaN(cache.tokenHitRate())) {
            out.printf(Locale.ROOT, "  prefix cache %s: token hit rate %.1f%%, %,d prompt tokens saved, %,d blocks evicted%n",
                    cache.strategy(), 100 * cache.tokenHitRate(), cache.tokensSaved(), cache.blocksEvicted());
        }
        if (s.kvCache().blocks() > 0) {
            out.printf(Locale.ROOT, "  KV cache   %,d blocks x %d tokens = %,d tokens; %d preemptions%n",
                    s.kvCache().blocks(), s.kvCache().blockSize(), s.kvCache().tokens(), s.kvCache().preemptions());
        }
        resources(out, s.resources());
        out.printf("  results in %s: %s%n", result.outputDirectory(), String.join(", ", result.files()));
        out.flush();
    }

    private static void resources(PrintWriter out, RunSummary.Resources resources) {
        GpuMemory memory = resources.memoryPerGpu();
        if (resources.gpus() == 0 || !memory.known()) {
            return;
        }
        out.printf(Locale.ROOT, "  resources  %d GPU%s (%d x %s per replica), %.4f GPU-hours, %.1f output tok/s per GPU%n",
                resources.gpus(), resources.gpus() == 1 ? "" : "s", memory.gpusPerReplica(), memory.gpu(),
                resources.gpuHours(),
                resources.outputTokensPerGpuPerS());
        out.printf(Locale.ROOT, "  memory     per GPU %.2f GiB weights + %.2f reserve + %.2f KV cache = %.2f of %.2f GiB%n",
                memory.weightsGib(), memory.reserveGib(), memory.kvCacheGib(),
                memory.weightsGib() + memory.reserveGib() + memory.kvCacheGib(), memory.totalGib());
        out.printf(Locale.ROOT, "  capacity   %,d KV tokens, %,d sequences of %.0f tokens (the mean) fit at once%n",
                resources.kvTokens(), resources.maxConcurrentSequences(), resources.meanSequenceTokens());
        RunSummary.Cost cost = resources.cost();
        if (Double.isNaN(cost.usdPerHour())) {
            out.println("  cost       - (no price for " + memory.gpu() + "; set cost.gpu_hour_usd)");
        } else {
            out.printf(Locale.ROOT, "  cost       $%.2f per hour ($%.2f per GPU-hour, %s); per million tokens $%s"
                    + " output, $%s input%n", cost.usdPerHour(), cost.gpuHourUsd(), cost.priceSource(),
                    dollars(cost.usdPerMillionOutputTokens()), dollars(cost.usdPerMillionInputTokens()));
        }
    }

    private static String dollars(double value) {
        return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, "%.3f", value);
    }

    private static void row(PrintWriter out, String name, LatencyStats stats) {
        out.printf(Locale.ROOT, "  %-10s %10.2f %10.2f %10.2f %10.2f %10.2f%n", name, stats.mean(), stats.p50(),
                stats.p90(), stats.p99(), stats.max());
    }
}
