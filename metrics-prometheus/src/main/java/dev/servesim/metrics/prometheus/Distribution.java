package dev.servesim.metrics.prometheus;

import java.util.ArrayList;
import java.util.List;

/**
 * The histograms the sink keeps per engine replica, each with its bucket upper bounds. The {@code VLLM_*} ones use
 * vLLM v0.15's buckets (vllm/v1/metrics/loggers.py) and are kept only when the vLLM-named families are on;
 * {@link #TTFT} uses vLLM's buckets too and backs both namings. The {@code SGLANG_*} ones use the default buckets
 * of SGLang's TokenizerMetricsCollector (python/sglang/srt/metrics/collector.py) and are kept only when
 * SGLang's names are on.
 */
enum Distribution {
    /** Time to first token, seconds. */
    TTFT(Buckets.TTFT),
    /** Mean gap between output tokens after the first, per completed request, seconds. */
    TPOT(Buckets.TOKEN_GAP),
    /** Arrival to last token of completed requests, seconds. */
    E2E(Buckets.TTFT),
    /** Waiting queue to first admission, seconds. */
    QUEUE(Buckets.TTFT),
    VLLM_INTER_TOKEN_LATENCY(Buckets.INTER_TOKEN),
    VLLM_TIME_PER_OUTPUT_TOKEN(Buckets.INTER_TOKEN),
    VLLM_E2E(Buckets.REQUEST_LATENCY),
    VLLM_QUEUE(Buckets.REQUEST_LATENCY),
    VLLM_INFERENCE(Buckets.REQUEST_LATENCY),
    VLLM_PREFILL(Buckets.REQUEST_LATENCY),
    VLLM_DECODE(Buckets.REQUEST_LATENCY),
    VLLM_PROMPT_TOKENS(Buckets.TOKENS),
    VLLM_GENERATION_TOKENS(Buckets.TOKENS),
    VLLM_MAX_GENERATION_TOKENS(Buckets.TOKENS),
    VLLM_MAX_TOKENS_PARAM(Buckets.TOKENS),
    VLLM_PREFILL_KV_COMPUTED_TOKENS(Buckets.TOKENS),
    VLLM_N_PARAM(Buckets.N),
    VLLM_ITERATION_TOKENS(Buckets.ITERATION_TOKENS),
    SGLANG_TTFT(Buckets.SGLANG_TTFT),
    SGLANG_INTER_TOKEN_LATENCY(Buckets.SGLANG_INTER_TOKEN),
    SGLANG_TIME_PER_OUTPUT_TOKEN(Buckets.SGLANG_TIME_PER_OUTPUT_TOKEN),
    SGLANG_E2E(Buckets.SGLANG_E2E);

    private final Buckets buckets;

    Distribution(Buckets buckets) {
        this.buckets = buckets;
    }

    /** Finite upper bounds, ascending; {@code +Inf} is implied. */
    double[] upperBounds(int maxModelLen) {
        return buckets == Buckets.TOKENS ? oneTwoFive(maxModelLen) : buckets.bounds.clone();
    }

    /** vLLM's build_1_2_5_buckets: 1, 2, 5, 10, 20, 50, ... up to {@code max}. */
    static double[] oneTwoFive(int max) {
        List<Double> bounds = new ArrayList<>();
        for (long scale = 1; scale <= max; scale *= 10) {
            for (int mantissa : new int[] {1, 2, 5}) {
                if (mantissa * scale <= max) {
                    bounds.add((double) (mantissa * scale));
                }
            }
        }
        double[] result = new double[bounds.size()];
        for (int i = 0; i < result.length; i++) {
            result[i] = bounds.get(i);
        }
        return result;
    }

    private enum Buckets {
        // vllm:time_to_first_token_seconds
        TTFT(0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 20, 40, 80, 160,
                640, 2560),
        // servesim's own, finer than vLLM's below 10 ms, where decode steps of small models fall
        TOKEN_GAP(0.001, 0.002, 0.003, 0.004, 0.005, 0.0075, 0.01, 0.0125, 0.015, 0.02, 0.025, 0.03, 0.04, 0.05,
                0.075, 0.1, 0.15, 0.2, 0.3, 0.5, 0.75, 1, 2.5, 5, 10, 20, 40, 80),
        // vllm:inter_token_latency_seconds, vllm:request_time_per_output_token_seconds
        INTER_TOKEN(0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 20, 40, 80),
        // vllm:e2e_request_latency_seconds and the queue, inference, prefill and decode times
        REQUEST_LATENCY(0.3, 0.5, 0.8, 1, 1.5, 2, 2.5, 5, 10, 15, 20, 30, 40, 50, 60, 120, 240, 480, 960, 1920, 7680),
        // 1-2-5 up to max_model_len, computed per run
        TOKENS(),
        // vllm:request_params_n
        N(1, 2, 5, 10, 20),
        // vllm:iteration_tokens_total
        ITERATION_TOKENS(1, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384),
        // SGLang's defaults when --bucket-time-to-first-token etc. are not given (collector.py, v0.4 to v0.5)
        // sglang:time_to_first_token_seconds
        SGLANG_TTFT(0.1, 0.2, 0.4, 0.6, 0.8, 1, 2, 4, 6, 8, 10, 20, 40, 60, 80, 100, 200, 400),
        // sglang:inter_token_latency_seconds
        SGLANG_INTER_TOKEN(0.002, 0.004, 0.006, 0.008, 0.01, 0.015, 0.02, 0.025, 0.03, 0.035, 0.04, 0.06, 0.08, 0.1,
                0.2, 0.4, 0.6, 0.8, 1, 2, 4, 6, 8),
        // sglang:time_per_output_token_seconds, as the releases that still had it defined it
        SGLANG_TIME_PER_OUTPUT_TOKEN(0.002, 0.005, 0.01, 0.02, 0.03, 0.04, 0.05, 0.06, 0.07, 0.08, 0.09, 0.1, 0.15,
                0.2, 0.3, 0.4, 0.6, 0.8, 1, 2),
        // sglang:e2e_request_latency_seconds
        SGLANG_E2E(0.1, 0.2, 0.4, 0.6, 0.8, 1, 2, 4, 6, 8, 10, 20, 40, 60, 80, 100, 200, 400, 800);

        private final double[] bounds;

        Buckets(double... bounds) {
            this.bounds = bounds;
        }
    }
}
