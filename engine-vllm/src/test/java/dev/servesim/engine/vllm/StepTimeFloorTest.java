package dev.servesim.engine.vllm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servesim.api.ServesimException;
import dev.servesim.engine.common.hardware.HardwareSpec;
import dev.servesim.engine.common.model.ModelSpec;
import dev.servesim.engine.common.steptime.ForwardPass;
import dev.servesim.engine.common.steptime.PhysicsCoefficients;
import dev.servesim.engine.common.steptime.ShardedModel;
import dev.servesim.engine.common.steptime.StepBatch;
import dev.servesim.engine.common.steptime.StepCoefficients;
import dev.servesim.engine.common.steptime.StepTimeFormula;
import dev.servesim.engine.common.steptime.StepTimeTerm;
import dev.servesim.engine.vllm.config.TestingVllmConfig;
import dev.servesim.engine.vllm.config.VllmConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Property: no simulated step is shorter than its hardware lower bound - every FLOP at the GPU's highest tensor-core
 * peak or every byte (weights, touched experts, KV) at its peak bandwidth, whichever is longer, plus the
 * collectives' bytes at the link's peak - for every catalog model on every catalog GPU at every tensor-parallel size
 * the model allows (and two pipeline stages, and FP8 weights and KV), under random batches of prefill chunks over
 * cached context, decodes at various context lengths and mixes of both, for both step-time models and every
 * coefficient set the engine ships. The bound is computed here from the model's shapes, independently of
 * {@link ForwardPass}, and loosely (fractional heads, the lowest weight bytes), so it is a true lower bound.
 *
 * <p>Random batches come from a generator seeded by the configuration's name: a failure names the configuration,
 * the batch and both times, and reproduces on every run.
 */
class StepTimeFloorTest {

    private static final int BATCHES_PER_CONFIGURATION = 60;
    private static final int[] TENSOR_PARALLEL = {1, 2, 4, 8};

    @TestFactory
    Stream<DynamicTest> noStepBeatsTheHardwareFloor() {
        List<DynamicTest> tests = new ArrayList<>();
        for (ModelSpec model : ModelSpec.catalog()) {
            for (HardwareSpec gpu : HardwareSpec.catalog()) {
                tests.add(DynamicTest.dynamicTest(model.name() + " on " + gpu.name(), () -> checkAll(model, gpu)));
            }
        }
        return tests.stream();
    }

    private static void checkAll(ModelSpec model, HardwareSpec gpu) {
        int checked = 0;
        for (int tp : TENSOR_PARALLEL) {
            for (int pp : new int[] {1, 2}) {
                for (String dtype : new String[] {"bf16", "fp8"}) {
                    VllmConfig config;
                    try {
                        config = TestingVllmConfig.of("model", model.name(), "hardware", gpu.name(),
                                "tensor_parallel_size", tp, "pipeline_parallel_size", pp, "dtype", dtype,
                                "async_scheduling", false);
                    } catch (ServesimException invalid) {
                        continue; // a TP size the model's heads do not allow
                    }
                    check(model, gpu, config);
                    checked++;
                }
            }
        }
        assertThat(checked).as("configurations of " + model.name() + " on " + gpu.name()).isGreaterThanOrEqualTo(2);
    }

    private static void check(ModelSpec model, HardwareSpec gpu, VllmConfig config) {
        ShardedModel sharded = VllmSetup.shard(model, config);
        VllmConfig tightest = TestingVllmConfig.of("model", model.name(), "hardware", gpu.name(),
                "tensor_parallel_size", config.tensorParallelSize(), "pipeline_parallel_size",
                config.pipelineParallelSize(), "dtype", config.dtype(), "async_scheduling", false, "step_time",
                "roofline", "mfu", 1.0, "mbu", 1.0, "step_overhead", 0.0);
        List<StepTimeFormula> models = List.of(
                new StepTimeFormula(new ForwardPass(sharded, gpu, config.dtype()), StepCoefficients.roofline(gpu, config.mfu(), config.mbu(), config.stepOverhead()),
                        "roofline"),
                new StepTimeFormula(new ForwardPass(sharded, gpu, tightest.dtype()), StepCoefficients.roofline(gpu, tightest.mfu(), tightest.mbu(), tightest.stepOverhead()),
                        "roofline at 100% of every peak"),
                new StepTimeFormula(new ForwardPass(sharded, gpu, config.dtype()), PhysicsCoefficients.load(null).on(gpu),
                        "physics (" + StepTimeTerm.BUILT_IN_FILE + ")"));
        String name = String.format(Locale.ROOT, "%s on %s, tp %d, pp %d, %s", model.name(), gpu.name(),
                config.tensorParallelSize(), config.pipelineParallelSize(), config.dtype());
        SplittableRandom random = new SplittableRandom(name.hashCode());
        for (int i = 0; i < BATCHES_PER_CONFIGURATION; i++) {
            List<int[]> batch = randomBatch(random, config.maxModelLen());
            double floor = floorSeconds(model, gpu, config, batch);
            for (StepTimeFormula stepTime : models) {
                double seconds = stepTime.stepSeconds(toStepBatch(batch));
                assertThat(seconds).as("%s, %s, batch %s: step %.9g s against the floor %.9g s", name, stepTime.name(),
                        describe(batch), seconds, floor).isGreaterThanOrEqualTo(floor);
            }
        }
    }

    /** The hardware lower bound of one step on one tensor-parallel slice, from the model's shapes. */
    static double floorSeconds(ModelSpec model, HardwareSpec gpu, VllmConfig config, List<int[]> batch) {
        double tp = config.tensorParallelSize();
        double layers = model.layers();
        double tokens = 0;
        double pairs = 0;
        double kvTokens = 0;
        for (int[] request : batch) {
            double fresh = request[0];
            double before = request[1];
            tokens += fresh;
            pairs += ((before + fresh) * (before + fresh + 1) - before * (before + 1)) / 2;
            kvTokens += before + fresh;
        }
        long lmHead = model.embeddingParameters();
        long norms = 2L * model.hiddenSize() * model.layers() + model.hiddenSize();
        // every parameter a token multiplies, but the embedding and the LM head and the norms
        double active = model.activeParameters() - model.embeddingParameters()
                - (model.tiedEmbeddings() ? 0 : lmHead) - norms;
        double flops = 2 * active * tokens / tp + 2.0 * lmHead * batch.size() / tp
                + 4.0 * model.attentionHeads() * model.headDim() * layers * pairs / tp;
        double peak = Math.max(gpu.bf16FlopsPerSecond(), gpu.peakFlopsPerSecond(config.dtype()));

        double weightBytes = config.weightBytesPerElement();
        double perLayerDense = model.attentionParameters();
        double weights = model.layers() * perLayerDense + (double) model.denseLayers() * model.denseMlpParameters()
                + (double) model.moe().layers() * (model.sharedExpertParameters() + model.routerParameters());
        double experts = 0;
        if (model.isMoe()) {
            double e = model.moe().experts();
            double touched = e * (1 - Math.pow(1 - model.moe().expertsPerToken() / e, tokens));
            experts = touched * model.expertParameters() * model.moe().layers();
        }
        double kvPerToken = 2.0 * model.kvHeads() * model.headDim() * config.kvCacheBytesPerElement() * layers;
        double bytes = ((weights + experts) * weightBytes + 2.0 * lmHead + kvTokens * kvPerToken) / tp;

        double link = 0;
        if (config.tensorParallelSize() > 1) {
            link += 2 * layers * tokens * model.hiddenSize() * 2 * 2 * (tp - 1) / tp
                    / gpu.linkBytesPerSecond(config.tensorParallelSize());
        }
        link += (config.pipelineParallelSize() - 1) * tokens * model.hiddenSize() * 2
                / gpu.linkBytesPerSecond(config.tensorParallelSize());
        return Math.max(flops / peak, bytes / gpu.memoryBytesPerSecond()) + link;
    }

    /** Decodes only, prefill chunks only, or both; contexts up to {@code maxModelLen}. */
    private static List<int[]> randomBatch(SplittableRandom random, int maxModelLen) {
        int limit = Math.min(maxModelLen - 1, 131_072);
        List<int[]> batch = new ArrayList<>();
        int kind = random.nextInt(3);
        if (kind != 1) {
            int decodes = 1 + random.nextInt(random.nextBoolean() ? 8 : 512);
            for (int i = 0; i < decodes; i++) {
                batch.add(new int[] {1, random.nextInt(Math.max(1, limit))});
            }
        }
        if (kind != 0) {
            int chunks = 1 + random.nextInt(3);
            for (int i = 0; i < chunks; i++) {
                int tokens = 2 + random.nextInt(Math.max(1, Math.min(8191, limit - 2)));
                int context = random.nextBoolean() ? 0 : random.nextInt(Math.max(1, Math.min(32_768, limit - tokens)));
                batch.add(new int[] {tokens, context});
            }
        }
        return batch;
    }

    private static StepBatch toStepBatch(List<int[]> requests) {
        StepBatch batch = new StepBatch();
        for (int[] request : requests) {
            batch.add(request[0], request[1]);
        }
        return batch;
    }

    private static String describe(List<int[]> batch) {
        int decodes = 0;
        long context = 0;
        StringBuilder chunks = new StringBuilder();
        for (int[] request : batch) {
            if (request[0] == 1) {
                decodes++;
                context += request[1];
            } else {
                chunks.append(' ').append(request[0]).append('@').append(request[1]);
            }
        }
        return decodes + " decodes over " + context + " context tokens, chunks" + (chunks.length() == 0 ? " none"
                : chunks);
    }
}
