package dev.servesim.workload;

import dev.servesim.api.workload.WorkloadContext;
import dev.servesim.api.workload.WorkloadSource;
import dev.servesim.api.workload.WorkloadSourceFactory;
import dev.servesim.workload.config.TraceConfig;

/** Factory of the {@code trace} source. */
public final class TraceSourceFactory implements WorkloadSourceFactory<TraceConfig> {

    @Override
    public String name() {
        return "trace";
    }

    @Override
    public String description() {
        return "Replays a trace (servesim JSONL, vllm-vcr, Mooncake, Qwen-Bailian, Azure, BurstGPT, OpenAI "
                + "request logs, ShareGPT, vLLM benchmark results): open loop, session-paced or fixed concurrency";
    }

    @Override
    public Class<TraceConfig> configType() {
        return TraceConfig.class;
    }

    @Override
    public WorkloadSource create(TraceConfig config, WorkloadContext context) {
        return new TraceSource(config, context);
    }
}
