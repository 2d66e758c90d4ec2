package dev.servesim.metrics.prometheus;

/**
 * The same figures under vLLM v0.15's own metric names and labels ({@code model_name}, {@code engine} = replica
 * index), so dashboards and alerts written for a vLLM server work unchanged. vLLM's names contain colons, which
 * Micrometer's naming convention would turn into underscores, so these families are written with exact names.
 */
final class VllmFamilies extends EngineFamilies {

    /**
     * vLLM's FinishReason values: a completed request stops at its limit ({@code length}) or, when the workload models
     * EOS, before it ({@code stop}); a request still in flight when the run ends is counted as aborted.
     */
    static final String[] FINISHED_REASONS = {"stop", "length", "abort", "error"};
    private static final Quantity[] FINISHED_COUNTS = {Quantity.REQUESTS_STOPPED, Quantity.REQUESTS_AT_LENGTH,
            Quantity.REQUESTS_UNFINISHED, null};

    VllmFamilies(RunLabels labels) {
        super(labels, "engine");
    }

    @Override
    void write(FamilyWriter out) {
        out.gauge("vllm:num_requests_running", "Number of requests in model execution batches.", Quantity.RUNNING);
        out.gauge("vllm:num_requests_waiting", "Number of requests waiting to be processed.", Quantity.WAITING);
        out.gauge("vllm:kv_cache_usage_perc", "KV-cache usage. 1 means 100 percent usage.", FamilyWriter::kvUsage);
        out.counter("vllm:prompt_tokens", "Number of prefill tokens processed.", Quantity.PROMPT_TOKENS);
        out.counter("vllm:generation_tokens", "Number of generation tokens processed.", Quantity.GENERATION_TOKENS);
        out.counter("vllm:request_success", "Count of successfully processed requests.", "finished_reason",
                FINISHED_REASONS, FINISHED_COUNTS);
        out.counter("vllm:num_preemptions", "Cumulative number of preemption from the engine.", Quantity.PREEMPTIONS);
        out.counter("vllm:prefix_cache_queries",
                "Prefix cache queries, in terms of number of queried tokens.", Quantity.PREFIX_CACHE_QUERIES);
        out.counter("vllm:prefix_cache_hits", "Prefix cache hits, in terms of number of cached tokens.",
                Quantity.PREFIX_CACHE_HITS);
        out.histogram("vllm:time_to_first_token_seconds", "Histogram of time to first token in seconds.",
                Distribution.TTFT);
        out.histogram("vllm:inter_token_latency_seconds", "Histogram of inter-token latency in seconds.",
                Distribution.VLLM_INTER_TOKEN_LATENCY);
        out.histogram("vllm:request_time_per_output_token_seconds",
                "Histogram of time_per_output_token_seconds per request.", Distribution.VLLM_TIME_PER_OUTPUT_TOKEN);
        // the name before vLLM 0.11 renamed it, which older dashboards still query
        out.histogram("vllm:time_per_output_token_seconds",
                "Histogram of time per output token in seconds (the older name).",
                Distribution.VLLM_TIME_PER_OUTPUT_TOKEN);
        out.histogram("vllm:e2e_request_latency_seconds", "Histogram of e2e request latency in seconds.",
                Distribution.VLLM_E2E);
        out.histogram("vllm:request_queue_time_seconds",
                "Histogram of time spent in WAITING phase for request.", Distribution.VLLM_QUEUE);
        out.histogram("vllm:request_inference_time_seconds",
                "Histogram of time spent in RUNNING phase for request.", Distribution.VLLM_INFERENCE);
        out.histogram("vllm:request_prefill_time_seconds",
                "Histogram of time spent in PREFILL phase for request.", Distribution.VLLM_PREFILL);
        out.histogram("vllm:request_decode_time_seconds",
                "Histogram of time spent in DECODE phase for request.", Distribution.VLLM_DECODE);
        out.histogram("vllm:request_prompt_tokens", "Number of prefill tokens processed.",
                Distribution.VLLM_PROMPT_TOKENS);
        out.histogram("vllm:request_generation_tokens", "Number of generation tokens processed.",
                Distribution.VLLM_GENERATION_TOKENS);
        out.histogram("vllm:request_max_num_generation_tokens",
                "Histogram of maximum number of requested generation tokens.", Distribution.VLLM_MAX_GENERATION_TOKENS);
        out.histogram("vllm:request_params_max_tokens", "Histogram of the max_tokens request parameter.",
                Distribution.VLLM_MAX_TOKENS_PARAM);
        out.histogram("vllm:request_prefill_kv_computed_tokens",
                "Histogram of new KV tokens computed during prefill (excluding cached tokens).",
                Distribution.VLLM_PREFILL_KV_COMPUTED_TOKENS);
        out.histogram("vllm:request_params_n", "Histogram of the n request parameter.", Distribution.VLLM_N_PARAM);
        out.histogram("vllm:iteration_tokens_total", "Histogram of number of tokens per engine_step.",
                Distribution.VLLM_ITERATION_TOKENS);
    }
}
