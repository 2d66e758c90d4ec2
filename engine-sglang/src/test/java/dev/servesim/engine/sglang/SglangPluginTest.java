package dev.servesim.engine.sglang;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import dev.servesim.api.ServesimException;
import dev.servesim.api.ServesimPlugin;
import dev.servesim.api.engine.EngineInfo;
import dev.servesim.api.engine.ServingEngine;
import dev.servesim.api.engine.ServingEngineFactory;
import dev.servesim.api.request.PromptContent;
import dev.servesim.api.request.Request;
import dev.servesim.engine.sglang.config.SglangConfig;
import dev.servesim.testing.RecordingRequestListener.Type;
import dev.servesim.testing.TestingEngineContext;
import dev.servesim.testing.TestingPlugins;
import java.util.List;
import org.junit.jupiter.api.Test;

class SglangPluginTest {

    @SuppressWarnings("unchecked")
    private static ServingEngineFactory<SglangConfig> factory() {
        return (ServingEngineFactory<SglangConfig>) TestingPlugins.factory(TestingPlugins.plugin("sglang"),
                ServesimPlugin::engineFactories, "sglang");
    }

    @Test
    void servesRequestsToCompletionWithTheDefaultConfiguration() {
        ServingEngineFactory<SglangConfig> factory = factory();
        assertThat(factory.configType()).isEqualTo(SglangConfig.class);
        assertThat(factory.description()).isNotBlank().doesNotContain("\n");
        TestingEngineContext context = new TestingEngineContext();
        ServingEngine engine = factory.create(TestingPlugins.defaultConfig(SglangConfig.class), context);
        List<Request> requests = List.of(
                Request.single(1, 0.0, PromptContent.single(101, 500), 20),
                Request.single(2, 0.0, PromptContent.single(102, 1200), 5),
                Request.single(3, 0.01, PromptContent.single(103, 40), 30));
        for (Request request : requests) {
            context.simulation().scheduleAt(request.arrivalTime(), () -> engine.submit(request));
        }

        context.simulation().run(Double.MAX_VALUE);

        for (Request request : requests) {
            assertThat(context.recorded().events(request.id())).extracting(event -> event.type())
                    .startsWith(Type.QUEUED, Type.SCHEDULED).endsWith(Type.FINISHED);
            assertThat(context.recorded().outputTokens(request.id())).isEqualTo(request.maxOutputTokens());
        }
        assertThat(engine.load().running()).isZero();
        assertThat(engine.load().waiting()).isZero();

        EngineInfo info = engine.info();
        assertThat(info.blockSizeTokens()).isEqualTo(1);
        assertThat(info.maxModelLen()).isEqualTo(131072);
        // (0.88 x 79.19 GiB - the weights) / 128 KiB per token
        assertThat(info.kvBlocks()).isBetween(400_000, 450_000);
        assertThat(info.memory().budgetGib()).isCloseTo(0.88 * info.memory().totalGib(),
                offset(1e-9));
        assertThat(info.memory().reserveGib()).isZero();
        assertThat(info.properties()).containsEntry("model", "llama-3.1-8b")
                .containsEntry("hardware", "H100-SXM-80GB")
                .containsEntry("chunked_prefill_size", "8192")
                .containsEntry("schedule_policy", "fcfs")
                .containsEntry("radix_eviction_policy", "lru")
                .containsEntry("step_time_model", "physics")
                .containsEntry("kv_tokens", Integer.toString(info.kvBlocks()))
                .containsKeys("roofline_prefill_tokens_per_s", "roofline_decode_tokens_per_s");
        assertThat(engine.counters()).containsOnlyKeys("retractions", "radix_hit_tokens", "radix_evicted_tokens",
                "prefill_steps", "decode_steps");
    }

    @Test
    void refusesAModelWhoseWeightsDoNotFitWithOneLine() {
        SglangConfig config = SglangEngineGoldenTest.config(0, "llama-3.1-70b");
        assertThatThrownBy(() -> factory().resolve(config)).isInstanceOf(ServesimException.class)
                .hasMessageContaining("model").hasMessageContaining("mem_fraction_static")
                .hasMessageNotContaining("\n");
    }
}
