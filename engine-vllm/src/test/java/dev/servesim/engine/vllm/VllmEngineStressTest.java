package dev.servesim.engine.vllm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servesim.api.request.PromptContent;
import dev.servesim.api.request.Request;
import dev.servesim.api.request.Segment;
import dev.servesim.api.request.StepRecord;
import dev.servesim.engine.vllm.config.TestingVllmConfig;
import dev.servesim.engine.vllm.config.VllmConfig;
import dev.servesim.testing.RecordingRequestListener.Event;
import dev.servesim.testing.RecordingRequestListener.Type;
import dev.servesim.testing.TestingEngineContext;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Overloads small pools with a seeded random mix of shared-prefix prompts under every policy, with and without a CPU
 * tier: no request may be lost, every request ends exactly once, and outputs and block counts add up.
 */
class VllmEngineStressTest {

    @Test
    void fcfsWithPrefixCacheAndCpuTierLosesNoRequest() {
        Run run = runAndCheck(TestingVllmConfig.of("num_gpu_blocks", 40, "cpu_offload_blocks", 60,
                "max_num_batched_tokens", 96, "max_num_seqs", 12, "max_model_len", 512), 11);

        assertThat(run.engine().cpuTier().loads()).isPositive();
    }

    @Test
    void releasesBlocksHeldForFinishedCopiesWhenNothingElseCanRun() {
        // a pool this small stalls vLLM: requests holding loaded blocks queue behind one that cannot get blocks
        Run run = runAndCheck(TestingVllmConfig.of("num_gpu_blocks", 40, "cpu_offload_blocks", 16, "max_model_len", 512,
                "max_num_batched_tokens", 128), 5);

        assertThat(run.engine().scheduler().loads().stallReleases()).isPositive();
    }

    @Test
    void priorityWithLongPrefillThresholdLosesNoRequest() {
        runAndCheck(TestingVllmConfig.of("num_gpu_blocks", 30, "scheduling_policy", "priority",
                "long_prefill_token_threshold", 24, "max_num_batched_tokens", 64, "max_model_len", 512), 12);
    }

    @Test
    void sameSeedGivesTheSameSteps() {
        VllmConfig config = TestingVllmConfig.of("num_gpu_blocks", 40, "cpu_offload_blocks", 16, "max_model_len", 512,
                "max_num_batched_tokens", 128);
        assertThat(runAndCheck(config, 5).steps()).isEqualTo(runAndCheck(config, 5).steps());
    }

    private record Run(VllmEngine engine, List<StepRecord> steps) {}

    private static Run runAndCheck(VllmConfig config, long seed) {
        TestingEngineContext context = new TestingEngineContext(seed, "block-hash");
        VllmEngine engine = new VllmEngine(VllmSetup.of(config), context);
        SplittableRandom random = new SplittableRandom(seed);
        List<Request> requests = new ArrayList<>();
        double time = 0;
        for (int id = 1; id <= 300; id++) {
            time += random.nextDouble() * 0.01;
            int shared = random.nextInt(4);
            PromptContent prompt = PromptContent.of(new Segment(1000 + shared, 16 + 16 * shared),
                    new Segment(id, 1 + random.nextInt(200)));
            // a few requests can never fit the pool and are rejected; the others must all complete
            int outputs = random.nextInt(50) == 0 ? 1000 : 1 + random.nextInt(80);
            requests.add(new Request(id, id, 1, time, prompt, outputs, random.nextInt(3), ""));
        }
        for (Request request : requests) {
            context.simulation().scheduleAt(request.arrivalTime(), () -> engine.submit(request));
        }

        context.simulation().run(Double.MAX_VALUE);

        int completed = 0;
        int rejected = 0;
        for (Request request : requests) {
            List<Event> events = context.recorded().events(request.id());
            long endings = events.stream()
                    .filter(e -> e.type() == Type.FINISHED || e.type() == Type.REJECTED).count();
            assertThat(endings).as("request " + request.id()).isEqualTo(1);
            if (events.get(events.size() - 1).type() == Type.FINISHED) {
                completed++;
                int expected = Math.min(request.maxOutputTokens(), config.maxModelLen() - request.promptTokens());
                assertThat(context.recorded().outputTokens(request.id())).isEqualTo(expected);
            } else {
                rejected++;
            }
        }
        assertThat(completed + rejected).isEqualTo(requests.size());
        assertThat(completed).isGreaterThan(250);
        List<StepRecord> steps = context.recordedSteps();
        assertThat(steps.stream().mapToInt(StepRecord::preemptions).sum()).as("the pools are small enough to preempt")
                .isPositive();
        assertThat(steps.get(steps.size() - 1).kvBlocksUsed()).isZero();
        assertThat(engine.load().running() + engine.load().waiting()).isZero();
        return new Run(engine, steps);
    }
}
