package dev.servesim.planner;

import dev.servesim.api.engine.EngineInfo;
import dev.servesim.api.metrics.RunSummary;

/**
 * The physical upper bound of one replica's arrival rate, from the bounds its engine reports
 * ({@code roofline_prefill_tokens_per_s}: every prompt token needs its FLOPs at the GPUs' peak;
 * {@code roofline_decode_tokens_per_s}: every decode step reads the weights at full memory bandwidth, for at most
 * {@code max_num_seqs} requests) and the workload's mean lengths and prefix-cache hit rate, measured by a run:
 * {@code min(prefill / (prompt x (1 - hit rate)), decode / output)} requests per second. Prompt computation and decoding
 * share the GPUs, so the true limit is lower; as a bound it only discards what no schedule could serve.
 */
final class Roofline {

    static final String PREFILL_KEY = "roofline_prefill_tokens_per_s";
    static final String DECODE_KEY = "roofline_decode_tokens_per_s";

    private Roofline() {}

    /** The bound in requests per second of one replica; NaN when the engine reports no bound. */
    static double ratePerReplica(EngineInfo info, RunSummary measured) {
        double prefill = property(info, PREFILL_KEY);
        double decode = property(info, DECODE_KEY);
        RunSummary.Throughput throughput = measured.throughput();
        if (!(throughput.requestsPerS() > 0)) {
            return Double.NaN;
        }
        double promptTokens = throughput.inputTokensPerS() / throughput.requestsPerS();
        double outputTokens = throughput.outputTokensPerS() / throughput.requestsPerS();
        double hitRate = measured.prefixCache().tokenHitRate();
        double computedPrompt = promptTokens * (1 - (Double.isNaN(hitRate) ? 0 : hitRate));
        double bound = Double.POSITIVE_INFINITY;
        if (prefill > 0 && computedPrompt > 0) {
            bound = Math.min(bound, prefill / computedPrompt);
        }
        if (decode > 0 && outputTokens > 0) {
            bound = Math.min(bound, decode / outputTokens);
        }
        return Double.isInfinite(bound) ? Double.NaN : bound;
    }

    private static double property(EngineInfo info, String key) {
        String text = info.properties().get(key);
        if (text == null) {
            return Double.NaN;
        }
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }
}
