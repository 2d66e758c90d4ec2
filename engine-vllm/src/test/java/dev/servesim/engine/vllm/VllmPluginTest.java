package dev.servesim.engine.vllm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servesim.api.ServesimPlugin;
import dev.servesim.api.engine.EngineInfo;
import dev.servesim.api.engine.ServingEngine;
import dev.servesim.api.engine.ServingEngineFactory;
import dev.servesim.api.request.PromptContent;
import dev.servesim.api.request.Request;
import dev.servesim.api.request.StepRecord;
import dev.servesim.engine.vllm.config.TestingVllmConfig;
import dev.servesim.engine.vllm.config.VllmConfig;
import dev.servesim.testing.RecordingRequestListener.Type;
import dev.servesim.testing.TestingEngineContext;
import dev.servesim.testing.TestingPlugins;
import java.util.List;
import org.junit.jupiter.api.Test;

class VllmPluginTest {

    @Test
    void servesThreeRequestsToCompletionWithTheDefaultConfiguration() {
        ServesimPlugin plugin = TestingPlugins.plugin("vllm");
        assertThat(plugin.engineFactories()).hasSize(1);
        @SuppressWarnings("unchecked")
        ServingEngineFactory<VllmConfig> factory =
                (ServingEngineFactory<VllmConfig>) TestingPlugins.factory(plugin, ServesimPlugin::engineFactories, "vllm");
        assertThat(factory.configType()).isEqualTo(VllmConfig.class);
        assertThat(factory.description()).isNotBlank().doesNotContain("\n");

        TestingEngineContext context = new TestingEngineContext();
        ServingEngine engine = factory.create(TestingPlugins.defaultConfig(VllmConfig.class), context);
        List<Request> requests = List.of(
                Request.single(1, 0.0, PromptContent.single(101, 500), 20),
                Request.single(2, 0.0, PromptContent.single(102, 1200), 5),
                Request.single(3, 0.01, PromptContent.single(103, 40), 30));
        for (Request request : requests) {
            context.simulation().scheduleAt(request.arrivalTime(), () -> engine.submit(request));
        }

        context.simulation().run(Double.MAX_VALUE);

        for (Request request : requests) {
            assertThat(context.recorded().events(request.id()))
                    .extracting(event -> event.type())
                    .startsWith(Type.QUEUED, Type.SCHEDULED)
                    .endsWith(Type.FINISHED);
            assertThat(context.recorded().outputTokens(request.id())).isEqualTo(request.maxOutputTokens());
        }
        assertThat(context.recorded().events(Type.REJECTED)).isEmpty();
        List<StepRecord> steps = context.recordedSteps();
        assertThat(steps).isNotEmpty();
        assertThat(steps.stream().mapToInt(StepRecord::prefillTokens).sum()).isEqualTo(500 + 1200 + 40);
        assertThat(steps.get(steps.size() - 1).kvBlocksUsed()).isZero();
        assertThat(engine.load().running()).isZero();
        assertThat(engine.load().waiting()).isZero();
        // a decode step of an 8B model on one H100 takes milliseconds
        assertThat(steps.get(steps.size() - 1).duration()).isBetween(0.005, 0.008);

        EngineInfo info = engine.info();
        assertThat(info.blockSizeTokens()).isEqualTo(16);
        assertThat(info.kvBlocks()).isBetween(27_700, 28_300);
        assertThat(info.properties()).containsEntry("model", "llama-3.1-8b")
                .containsEntry("hardware", "H100-SXM-80GB")
                .containsEntry("max_num_seqs", "1024")
                .containsEntry("max_num_batched_tokens", "8192")
                .containsEntry("max_model_len", "131072");
        assertThat(info.properties().keySet()).startsWith("model", "model_id", "hardware", "tensor_parallel_size");
        assertThat(info.properties()).containsEntry("model_id", "meta-llama/Llama-3.1-8B-Instruct");
    }

    @Test
    void servesAMixtureOfExpertsModelOverTwoStagesWithPhysicsStepTimeAndACpuTier() {
        @SuppressWarnings("unchecked")
        ServingEngineFactory<VllmConfig> factory = (ServingEngineFactory<VllmConfig>) TestingPlugins.factory(
                TestingPlugins.plugin("vllm"), ServesimPlugin::engineFactories, "vllm");
        TestingEngineContext context = new TestingEngineContext(3, "block-hash");
        ServingEngine engine = factory.create(TestingVllmConfig.of("model", "mistralai/Mixtral-8x7B-Instruct-v0.1",
                "tensor_parallel_size", 2, "pipeline_parallel_size", 2, "step_time", "physics", "cpu_offload_gb", 16.0),
                context);
        for (int id = 1; id <= 3; id++) {
            Request request = Request.single(id, 0.5 * id, PromptContent.single(100, 800), 10);
            context.simulation().scheduleAt(request.arrivalTime(), () -> engine.submit(request));
        }

        context.simulation().run(Double.MAX_VALUE);

        assertThat(context.recorded().events(Type.FINISHED)).hasSize(3);
        // the GPU may hit 49 of the 50 blocks (one token must be computed); the CPU tier holds the 50th, so as vLLM's
        // connector it is loaded and only the last token is computed
        assertThat(context.recorded().events(Type.SCHEDULED)).extracting(event -> event.value())
                .containsExactly(0, 800, 800);
        assertThat(context.recorded().events(Type.SCHEDULED)).extracting(event -> event.detail())
                .containsExactly("MISS", "CPU_HIT", "CPU_HIT");
        assertThat(context.recorded().events(Type.PREFILL_CHUNK)).extracting(event -> event.value())
                .containsExactly(800, 1, 1);
        assertThat(engine.info().properties()).containsEntry("model", "mixtral-8x7b")
                .containsEntry("pipeline_parallel_size", "2")
                .containsEntry("step_time_model", "physics")
                .containsEntry("physics_coefficients", "physics-coefficients-v4.properties")
                .containsEntry("moe", "8 experts, 2 per token, 32 of 32 layers")
                .containsKey("cpu_load_ms_per_block");
        // 16 GiB over one 16-token block on 4 GPUs (2 * 16 * 4 * 128 * 2 B * 16 layers per GPU = 512 KiB each)
        assertThat(engine.info().properties()).containsEntry("cpu_kv_blocks", "8192");
    }
}
