package dev.servesim.planner;

import dev.servesim.api.engine.EngineInfo;
import dev.servesim.api.metrics.RunSummary;
import java.util.Locale;

/**
 * Names the resource that gives out first, from the run just beyond the saturation point: KV memory if requests were
 * preempted or the blocks ran full; the batch if about {@code max_num_seqs} requests were running (Little's law on
 * the time requests spend admitted); else the compute behind the first objective missed - prompts (TTFT) or decoding
 * (TPOT, ITL, E2E).
 */
final class Limits {

    static final double FULL_KV = 0.95;
    static final double FULL_BATCH = 0.9;

    private Limits() {}

    static Saturation classify(double ratePerReplica, Evaluation beyond, EngineInfo info) {
        if (beyond == null) {
            return new Saturation(ratePerReplica, "throughput", "no run beyond the saturation point");
        }
        RunSummary summary = beyond.summary();
        RunSummary.KvCache kv = summary.kvCache();
        if (kv.preemptions() > 0 || kv.peakUsage() >= FULL_KV) {
            return new Saturation(ratePerReplica, "KV blocks", String.format(Locale.ROOT,
                    "at %.3g/s per replica the KV cache peaks at %.0f%% of its blocks, %d preemptions",
                    beyond.rate() / beyond.replicas(), 100 * kv.peakUsage(), kv.preemptions()));
        }
        double running = runningPerReplica(summary, beyond.replicas());
        int maxNumSeqs = intProperty(info, "max_num_seqs");
        if (maxNumSeqs > 0 && running >= FULL_BATCH * maxNumSeqs) {
            return new Saturation(ratePerReplica, "decode batch slots", String.format(Locale.ROOT,
                    "about %.0f requests running per replica of max_num_seqs %d", running, maxNumSeqs));
        }
        String first = beyond.violations().isEmpty() ? "" : beyond.violations().get(0);
        if (first.startsWith("TTFT")) {
            return new Saturation(ratePerReplica, "prefill compute", "TTFT is the first objective missed (" + first
                    + "): prompts wait for compute" + budget(info));
        }
        if (first.startsWith("TPOT") || first.startsWith("ITL") || first.startsWith("E2E")) {
            return new Saturation(ratePerReplica, "decode compute", "the first objective missed is " + first
                    + ": each step reads the weights and the batch's KV");
        }
        return new Saturation(ratePerReplica, "throughput", first);
    }

    /** Mean requests admitted per replica: completions per second x mean time from admission to the last token. */
    static double runningPerReplica(RunSummary summary, int replicas) {
        double admittedSeconds = (summary.latencyMs().e2e().mean() - summary.latencyMs().queue().mean()) / 1000;
        double running = summary.throughput().requestsPerS() * admittedSeconds / Math.max(1, replicas);
        return Double.isNaN(running) ? 0 : running;
    }

    private static String budget(EngineInfo info) {
        int tokens = intProperty(info, "max_num_batched_tokens");
        return tokens > 0 ? " (a step computes at most " + tokens + " tokens)" : "";
    }

    static int intProperty(EngineInfo info, String key) {
        try {
            return Integer.parseInt(info.properties().getOrDefault(key, "0"));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
