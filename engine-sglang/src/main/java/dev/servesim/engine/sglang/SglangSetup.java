package dev.servesim.engine.sglang;

import static java.util.Objects.requireNonNull;

import dev.servesim.api.ServesimException;
import dev.servesim.api.engine.GpuMemory;
import dev.servesim.engine.common.hardware.HardwareSpec;
import dev.servesim.engine.common.model.ModelSpec;
import dev.servesim.engine.common.steptime.CoefficientBound;
import dev.servesim.engine.common.steptime.PhysicsCoefficients;
import dev.servesim.engine.common.steptime.ShardedModel;
import dev.servesim.engine.common.steptime.StepCoefficients;
import dev.servesim.engine.sglang.config.SglangConfig;
import java.util.Locale;

/**
 * What every replica of one configuration shares, worked out once: the configuration completed for its model, GPU
 * and KV pool, the model's shape, the step-time coefficients, and the pool's size.
 *
 * <p>The pool is sized as SGLang's model runner does ({@code ModelRunner.profile_max_num_token} in
 * python/sglang/srt/model_executor/model_runner.py): the memory left per GPU after the weights within
 * {@code mem_fraction_static} of the GPU's memory, divided by the KV bytes of one token on one GPU (every layer, K
 * and V). SGLang measures the memory left after loading the weights; here the weights are the model's shape
 * ({@link ShardedModel#weightBytesPerRank()}) and nothing else is reserved.
 *
 * @param config the effective configuration ({@link SglangConfig#completedFor})
 * @param model the model's shape
 * @param coefficients the coefficients of the configured step time on the configured GPU
 * @param poolTokens KV slots of the pool ({@code max_total_num_tokens}), whole pages
 */
record SglangSetup(SglangConfig config, ModelSpec model, StepCoefficients coefficients, int poolTokens) {

    static final double GIB = 1024.0 * 1024 * 1024;

    SglangSetup {
        requireNonNull(config, "config is null");
        requireNonNull(model, "model is null");
        requireNonNull(coefficients, "coefficients is null");
    }

    /**
     * Resolves {@code config}, bound or already resolved.
     *
     * @throws ServesimException (CONFIG, naming the key) if a file it names cannot be read, the weights do not fit,
     *     or a value does not suit the model or the GPU
     */
    static SglangSetup of(SglangConfig config) {
        ModelSpec model = ModelSpec.resolve(config.model());
        HardwareSpec hardware = HardwareSpec.resolve(config.hardware());
        int poolTokens = poolTokens(config, model, hardware);
        SglangConfig resolved = config.completedFor(model, hardware, poolTokens);
        if (resolved.contextLength() > poolTokens) {
            throw ServesimException.config("context_length", "a request of context_length "
                    + resolved.contextLength() + " tokens does not fit the KV pool of " + poolTokens
                    + " tokens; decrease context_length or increase mem_fraction_static or tensor_parallel_size");
        }
        StepCoefficients coefficients = switch (resolved.stepTime()) {
            case PHYSICS -> PhysicsCoefficients.load(null).at(CoefficientBound.FITTED).on(hardware);
            case ROOFLINE -> StepCoefficients.roofline(hardware, null, null, null);
        };
        return new SglangSetup(resolved, model, coefficients, poolTokens);
    }

    /** The GPU, complete. */
    HardwareSpec hardware() {
        return config.hardware();
    }

    ShardedModel sharded() {
        return shard(model, config);
    }

    static ShardedModel shard(ModelSpec model, SglangConfig config) {
        return new ShardedModel(model, config.tensorParallelSize(), 1, config.weightBytesPerElement(),
                config.kvCacheBytesPerElement());
    }

    /** Memory SGLang may use per GPU for weights and KV: {@code mem_fraction_static} of the total, bytes. */
    static double budgetBytes(SglangConfig config, HardwareSpec hardware) {
        return config.memFractionStatic() * hardware.cudaMemoryGib() * GIB;
    }

    /**
     * KV slots of the pool, whole pages.
     *
     * @throws ServesimException (CONFIG) if the weights leave no KV memory
     */
    static int poolTokens(SglangConfig config, ModelSpec model, HardwareSpec hardware) {
        ShardedModel sharded = shard(model, config);
        double budget = budgetBytes(config, hardware);
        double weights = sharded.weightBytesPerRank();
        double kvBytes = budget - weights;
        long perToken = sharded.kvBytesPerTokenPerRank();
        long tokens = kvBytes <= 0 ? 0 : (long) Math.floor(kvBytes / perToken);
        tokens = tokens / config.pageSize() * config.pageSize();
        if (tokens < config.pageSize()) {
            throw ServesimException.config("model", "the weights of " + model.name() + " take " + gib(weights)
                    + " GiB per GPU at tensor_parallel_size " + config.tensorParallelSize() + ", which leaves no KV"
                    + " cache memory within the " + gib(budget) + " GiB that mem_fraction_static "
                    + config.memFractionStatic() + " of " + hardware.name() + " allows");
        }
        return (int) Math.min(tokens, Integer.MAX_VALUE / 2);
    }

    /** How one GPU's memory is planned: budget {@code mem_fraction_static} x total, no reserve, KV the rest. */
    GpuMemory memory() {
        HardwareSpec hardware = hardware();
        ShardedModel sharded = sharded();
        double budget = budgetBytes(config, hardware);
        double weights = sharded.weightBytesPerRank();
        return new GpuMemory(hardware.name(), config.tensorParallelSize(), hardware.cudaMemoryGib(), budget / GIB,
                weights / GIB, 0, (budget - weights) / GIB);
    }

    static String gib(double bytes) {
        return String.format(Locale.ROOT, "%.2f", bytes / GIB);
    }
}
