package dev.servesim.metrics.prometheus;

/**
 * The same figures under SGLang's own metric names (python/sglang/srt/metrics/collector.py: SchedulerMetricsCollector
 * and TokenizerMetricsCollector), for runs of {@code framework.name: sglang}, so SGLang's Grafana dashboard and
 * alerts work unchanged. Labels: {@code model_name}, and {@code dp_rank} = replica index, since a replica is what an
 * SGLang data-parallel rank is, a scheduler with a KV pool of its own (SGLang's tensor- and pipeline-parallel ranks
 * share one).
 */
final class SglangFamilies extends EngineFamilies {

    /** The {@code framework.name} whose runs get these families instead of vLLM's. */
    static final String FRAMEWORK = "sglang";
    static final String REPLICA_LABEL = "dp_rank";

    SglangFamilies(RunLabels labels) {
        super(labels, REPLICA_LABEL);
    }

    @Override
    void write(FamilyWriter out) {
        // SchedulerMetricsCollector
        out.gauge("sglang:num_running_reqs", "The number of running requests.", Quantity.RUNNING);
        out.gauge("sglang:num_used_tokens", "The number of used tokens.", this::usedTokens);
        out.gauge("sglang:token_usage", "The token usage.", FamilyWriter::kvUsage);
        out.gauge("sglang:gen_throughput", "The generation throughput (token/s).",
                (snapshot, replica) -> snapshot.getDouble(replica, Quantity.GENERATION_THROUGHPUT));
        out.gauge("sglang:num_queue_reqs", "The number of requests in the waiting queue.", Quantity.WAITING);
        out.gauge("sglang:cache_hit_rate", "The prefix cache hit rate.",
                (snapshot, replica) -> snapshot.getDouble(replica, Quantity.CACHE_HIT_RATE));
        // TokenizerMetricsCollector
        out.counter("sglang:prompt_tokens", "Number of prefill tokens processed.", Quantity.PROMPT_TOKENS);
        out.counter("sglang:generation_tokens", "Number of generation tokens processed.",
                Quantity.GENERATION_TOKENS);
        out.counter("sglang:cached_tokens", "Number of cached prompt tokens.", Quantity.CACHED_TOKENS);
        out.counter("sglang:num_requests", "Number of requests processed.", Quantity.REQUESTS_COMPLETED);
        out.histogram("sglang:time_to_first_token_seconds", "Histogram of time to first token in seconds.",
                Distribution.SGLANG_TTFT);
        out.histogram("sglang:inter_token_latency_seconds", "Histogram of inter-token latency in seconds.",
                Distribution.SGLANG_INTER_TOKEN_LATENCY);
        // the per-request figure of releases before inter_token_latency, which older dashboards still query
        out.histogram("sglang:time_per_output_token_seconds", "Histogram of time per output token in seconds.",
                Distribution.SGLANG_TIME_PER_OUTPUT_TOKEN);
        out.histogram("sglang:e2e_request_latency_seconds", "Histogram of End-to-end request latency in seconds",
                Distribution.SGLANG_E2E);
    }

    // KV slots held by requests: SGLang's pool counts tokens, servesim's engines count pages of page_size tokens
    private double usedTokens(Tally.Snapshot tally, int replica) {
        return (double) tally.get(replica, Quantity.KV_BLOCKS_USED) * labels.kvPageTokens();
    }
}
