package dev.servesim.engine.vllm;

import dev.servesim.engine.common.model.ModelSpec;
import dev.servesim.engine.common.steptime.CalibratedRange;
import dev.servesim.engine.common.steptime.CoefficientBound;
import dev.servesim.engine.common.steptime.RooflineBounds;
import dev.servesim.engine.common.steptime.ShardedModel;
import dev.servesim.engine.common.steptime.StepTimeFormula;
import dev.servesim.engine.common.steptime.StepTimeModel;
import dev.servesim.engine.vllm.config.VllmConfig;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** The facts a vllm replica reports in {@link dev.servesim.api.engine.EngineInfo#properties()}, in a fixed order. */
final class EngineProperties {

    private EngineProperties() {}

    static Map<String, String> of(VllmConfig config, ModelSpec model, ShardedModel sharded, KvCapacity capacity,
            CpuKvTier cpu, StepTimeModel stepTime) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("model", config.model());
        // what vllm serve is given: a plan's deployment files name the model by it
        properties.put("model_id", ModelSpec.servedId(config.model()));
        properties.put("hardware", config.hardware().name());
        properties.put("tensor_parallel_size", Integer.toString(config.tensorParallelSize()));
        properties.put("pipeline_parallel_size", Integer.toString(config.pipelineParallelSize()));
        properties.put("dtype", config.dtype().value());
        properties.put("kv_cache_dtype", config.kvCacheDtype().value());
        properties.put("parameters", Long.toString(model.parameters()));
        properties.put("active_parameters", Long.toString(model.activeParameters()));
        if (model.isMoe()) {
            ModelSpec.Moe moe = model.moe();
            properties.put("moe", moe.experts() + " experts, " + moe.expertsPerToken() + " per token, "
                    + moe.layers() + " of " + model.layers() + " layers"
                    + (moe.sharedIntermediateSize() > 0 ? ", shared expert" : ""));
        }
        properties.put("weights_gib_per_gpu", KvCapacity.gib(capacity.weightBytesPerRank()));
        properties.put("kv_cache_memory_gib", KvCapacity.gib(capacity.kvCacheBytes()));
        properties.put("kv_bytes_per_token_per_gpu", Long.toString(sharded.kvBytesPerTokenPerRank()));
        // every layer on every rank: what a prefill replica sends per prompt token to a decode replica
        properties.put("kv_bytes_per_token", Long.toString(sharded.kvBytesPerTokenOverPipeline() * sharded.tp()));
        properties.put("num_gpu_blocks", Integer.toString(capacity.numGpuBlocks()));
        properties.put("num_gpu_blocks_overridden", Boolean.toString(config.numGpuBlocks() != null));
        properties.put("block_size", Integer.toString(config.blockSize()));
        // as vLLM's start-up log "GPU KV cache size: N tokens" (counts the null block)
        properties.put("kv_tokens", Long.toString((long) capacity.numGpuBlocks() * config.blockSize()));
        properties.put("cpu_kv_blocks", Integer.toString(capacity.cpuBlocks()));
        properties.put("cpu_kv_tokens", Long.toString((long) capacity.cpuBlocks() * config.blockSize()));
        if (cpu.enabled()) {
            properties.put("cpu_load_ms_per_block",
                    String.format(Locale.ROOT, "%.6f", cpu.secondsPerBlock() * 1000));
        }
        properties.put("max_num_seqs", Integer.toString(config.maxNumSeqs()));
        properties.put("max_num_batched_tokens", Integer.toString(config.maxNumBatchedTokens()));
        properties.put("max_model_len", Integer.toString(config.maxModelLen()));
        properties.put("long_prefill_token_threshold", Integer.toString(config.longPrefillTokenThreshold()));
        properties.put("scheduling_policy", config.schedulingPolicy().value());
        properties.put("step_time_model", stepTime.name());
        if (stepTime instanceof StepTimeFormula formula && formula.name().equals("physics")) {
            properties.put("physics_coefficients", formula.coefficients().source());
            properties.put("physics_fitted_on", formula.coefficients().fittedOn());
            // the bound in use, and the bounds a planner may ask for (docs/engine-vllm.md, Planner properties)
            properties.put("coefficient_bound", config.coefficientBound().value());
            if (formula.coefficients().intervals()) {
                properties.put("coefficient_bounds", CoefficientBound.SLOW.value() + ","
                        + CoefficientBound.FAST.value());
            }
        }
        RooflineBounds bounds = RooflineBounds.of(sharded, config.hardware(), config.dtype(), config.maxNumSeqs());
        properties.put("roofline_prefill_tokens_per_s", String.format(Locale.ROOT, "%.1f",
                bounds.prefillTokensPerSecond()));
        properties.put("roofline_decode_tokens_per_s", String.format(Locale.ROOT, "%.1f",
                bounds.decodeTokensPerSecond()));
        if (stepTime instanceof StepTimeFormula formula) {
            if (formula.name().equals("physics")) {
                CalibratedRange range = formula.coefficients().range();
                properties.put("calibration", range.check(model, config.hardware(), config.dtype(), config.tensorParallelSize(),
                        config.pipelineParallelSize(), config.maxNumBatchedTokens()));
                if (range.maxModelLen() > 0) {
                    properties.put("calibrated_context_tokens", Integer.toString(range.maxModelLen()));
                }
            } else if (formula.name().equals("roofline")) {
                properties.put("calibration", "not calibrated (roofline step time)");
            }
        }
        return properties;
    }
}
