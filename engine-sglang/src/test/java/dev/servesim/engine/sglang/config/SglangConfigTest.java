package dev.servesim.engine.sglang.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.servesim.api.ServesimException;
import dev.servesim.engine.common.hardware.HardwareSpec;
import dev.servesim.engine.common.model.Dtype;
import dev.servesim.engine.common.model.KvCacheDtype;
import dev.servesim.engine.common.model.ModelSpec;
import dev.servesim.engine.common.steptime.StepTime;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SglangConfigTest {

    private static SglangConfig empty() {
        return new SglangConfig(null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null);
    }

    @Test
    void fillsDefaults() {
        SglangConfig config = empty();
        assertThat(config.model()).isEqualTo("llama-3.1-8b");
        assertThat(config.tensorParallelSize()).isEqualTo(1);
        assertThat(config.dtype()).isEqualTo(Dtype.BF16);
        assertThat(config.kvCacheDtype()).isEqualTo(KvCacheDtype.AUTO);
        assertThat(config.pageSize()).isEqualTo(1);
        assertThat(config.memFractionStatic()).isEqualTo(0.88);
        assertThat(config.maxRunningRequests()).isNull();
        assertThat(config.maxPrefillTokens()).isEqualTo(16384);
        assertThat(config.chunkedPrefillSize()).isNull();
        assertThat(config.schedulePolicy()).isEqualTo("fcfs");
        assertThat(config.scheduleConservativeness()).isEqualTo(1.0);
        assertThat(config.radixEvictionPolicy()).isEqualTo("lru");
        assertThat(config.disableRadixCache()).isFalse();
        assertThat(config.enableMixedChunk()).isFalse();
        assertThat(config.stepTime()).isEqualTo(StepTime.PHYSICS);
        assertThat(config.disableOverlapSchedule()).isFalse();
        assertThat(config.overheads()).isEqualTo(SglangOverheads.ESTIMATES);
        assertThat(config.overheads().schedulerSeconds(10)).isCloseTo(1e-3 + 10 * 1.5e-5, within(1e-15));
    }

    @Test
    void refusesNegativeOrInfiniteOverheadsNamingTheKey() {
        assertThatThrownBy(() -> new SglangOverheads(null, null, -0.001, null))
                .isInstanceOf(ServesimException.class).hasMessageContaining("overheads.arrival_overhead_seconds");
        assertThatThrownBy(() -> new SglangOverheads(Double.POSITIVE_INFINITY, null, null, null))
                .isInstanceOf(ServesimException.class).hasMessageContaining("overheads.scheduler_overhead_seconds");
        assertThatThrownBy(() -> new SglangOverheads(null, Double.NaN, null, null)).isInstanceOf(
                ServesimException.class).hasMessageContaining("overheads.scheduler_overhead_seconds_per_request");
    }

    @Test
    void memFractionStaticFollowsTensorParallelSize() {
        assertThat(SglangConfig.defaultMemFractionStatic(1)).isEqualTo(0.88);
        assertThat(SglangConfig.defaultMemFractionStatic(2)).isEqualTo(0.87);
        assertThat(SglangConfig.defaultMemFractionStatic(4)).isEqualTo(0.85);
        assertThat(SglangConfig.defaultMemFractionStatic(8)).isEqualTo(0.81);
        assertThat(SglangConfig.defaultMemFractionStatic(16)).isEqualTo(0.79);
    }

    @Test
    void chunkedPrefillSizeFollowsGpuMemory() {
        assertThat(SglangConfig.defaultChunkedPrefillSize(HardwareSpec.named("L4"))).isEqualTo(2048);
        assertThat(SglangConfig.defaultChunkedPrefillSize(HardwareSpec.named("A100-SXM-80GB"))).isEqualTo(8192);
        assertThat(SglangConfig.defaultChunkedPrefillSize(HardwareSpec.named("H100-SXM-80GB"))).isEqualTo(8192);
        assertThat(SglangConfig.defaultChunkedPrefillSize(HardwareSpec.named("MI300X"))).isEqualTo(16384);
    }

    @Test
    void completesForModelGpuAndPool() {
        ModelSpec model = ModelSpec.resolve("llama-3.1-8b");
        HardwareSpec gpu = HardwareSpec.resolve(HardwareSpec.named("H100-SXM-80GB"));
        SglangConfig config = empty().completedFor(model, gpu, 400_000);
        assertThat(config.contextLength()).isEqualTo(model.contextLength());
        assertThat(config.chunkedPrefillSize()).isEqualTo(8192);
        // slots: 400,000 / 131,072 x 512 = 1,562, raised to 2,048; half the pool is 200,000: min is 2,048
        assertThat(config.maxRunningRequests()).isEqualTo(2048);
        // a small pool: 3,000 tokens hold 1,500 requests of 2 tokens at most, fewer than the 2,048 slots
        assertThat(empty().completedFor(model, gpu, 3_000).maxRunningRequests()).isEqualTo(1500);
        assertThat(config.completedFor(model, gpu, 400_000)).isEqualTo(config);
        SglangConfig huge = empty().completedFor(model, gpu, 1_000_000_000L);
        assertThat(huge.maxRunningRequests()).isEqualTo(SglangConfig.MAX_DERIVED_RUNNING_REQUESTS);
    }

    @Test
    void refusesBadValuesNamingTheKey() {
        assertThatThrownBy(() -> new SglangConfig(null, null, 9, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null))
                .isInstanceOf(ServesimException.class).hasMessageContaining("tensor_parallel_size");
        assertThatThrownBy(() -> new SglangConfig(null, null, null, null, null, 0, null, null, null, null, null, null,
                null, null, null, null, null, null, null))
                .isInstanceOf(ServesimException.class).hasMessageContaining("page_size");
        assertThatThrownBy(() -> new SglangConfig(null, null, null, null, null, null, 1.0, null, null, null, null, null,
                null, null, null, null, null, null, null))
                .isInstanceOf(ServesimException.class).hasMessageContaining("mem_fraction_static");
        assertThatThrownBy(() -> new SglangConfig(null, null, null, null, null, null, null, null, null, null, "sjf",
                null, null, null, null, null, null, null, null))
                .isInstanceOf(ServesimException.class).hasMessageContaining("schedule_policy");
        assertThatThrownBy(() -> new SglangConfig(null, null, null, null, null, null, null, null, null, null, null,
                null, "random", null, null, null, null, null, null))
                .isInstanceOf(ServesimException.class).hasMessageContaining("radix_eviction_policy");
        assertThatThrownBy(() -> new SglangConfig(null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, true, null, null, null, null))
                .isInstanceOf(ServesimException.class).hasMessageContaining("enable_mixed_chunk")
                .hasMessageContaining("not modelled yet");
        assertThatThrownBy(() -> new SglangConfig(null, null, null, null, null, null, null, null, null, null, null,
                0.0, null, null, null, null, null, null, null))
                .isInstanceOf(ServesimException.class).hasMessageContaining("schedule_conservativeness");
        assertThatThrownBy(() -> new SglangConfig(null, null, null, null, null, 16, null, null, null, 8, null, null,
                null, null, null, null, null, null, null))
                .isInstanceOf(ServesimException.class).hasMessageContaining("chunked_prefill_size")
                .hasMessageContaining("page_size");
        ModelSpec model = ModelSpec.resolve("llama-3.1-8b");
        HardwareSpec gpu = HardwareSpec.resolve(HardwareSpec.named("H100-SXM-80GB"));
        assertThatThrownBy(() -> new SglangConfig(null, null, 3, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, null, null).completedFor(model, gpu, 1000))
                .isInstanceOf(ServesimException.class).hasMessageContaining("tensor_parallel_size");
        assertThatThrownBy(() -> new SglangConfig(null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null, model.contextLength() + 1, null, null).completedFor(model, gpu, 1000))
                .isInstanceOf(ServesimException.class).hasMessageContaining("context_length");
    }

    @Test
    void bindsEverySnakeCaseKeyAsTheRunnerDoesAndRefusesUnknownKeys() throws Exception {
        ObjectMapper mapper = JsonMapper.builder().propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE).build();

        SglangConfig bound = mapper.readValue("""
                {"model": "qwen3-8b", "tensor_parallel_size": 2, "dtype": "fp8", "kv_cache_dtype": "fp8",
                 "page_size": 16, "mem_fraction_static": 0.8, "max_running_requests": 64, "max_prefill_tokens": 4096,
                 "chunked_prefill_size": 1024, "schedule_policy": "lpm", "schedule_conservativeness": 0.5,
                 "radix_eviction_policy": "lfu", "disable_radix_cache": true, "enable_mixed_chunk": false,
                 "step_time": "roofline", "context_length": 8192, "disable_overlap_schedule": true,
                 "overheads": {"scheduler_overhead_seconds": 0.002, "output_overhead_seconds": 0}}
                """, SglangConfig.class);

        assertThat(bound).isEqualTo(new SglangConfig("qwen3-8b", null, 2, Dtype.FP8, KvCacheDtype.FP8, 16, 0.8, 64,
                4096, 1024, "lpm", 0.5, "lfu", true, false, StepTime.ROOFLINE, 8192, true,
                new SglangOverheads(0.002, null, null, 0.0)));
        assertThat(bound.overheads().arrivalOverheadSeconds()).isEqualTo(5e-3);
        assertThat(bound.overheads().outputOverheadSeconds()).isZero();
        assertThatThrownBy(() -> mapper.readValue("{\"overheads\": {\"arrival_overhead\": 1}}", SglangConfig.class))
                .isInstanceOf(UnrecognizedPropertyException.class).hasMessageContaining("arrival_overhead");
        assertThatThrownBy(() -> mapper.readValue("{\"max_running_request\": 4}", SglangConfig.class))
                .isInstanceOf(UnrecognizedPropertyException.class).hasMessageContaining("max_running_request");
        List<String> keys = new ArrayList<>();
        for (RecordComponent component : SglangConfig.class.getRecordComponents()) {
            keys.add(PropertyNamingStrategies.SnakeCaseStrategy.INSTANCE.translate(component.getName()));
        }
        assertThat(keys).containsExactly("model", "hardware", "tensor_parallel_size", "dtype", "kv_cache_dtype",
                "page_size", "mem_fraction_static", "max_running_requests", "max_prefill_tokens",
                "chunked_prefill_size", "schedule_policy", "schedule_conservativeness", "radix_eviction_policy",
                "disable_radix_cache", "enable_mixed_chunk", "step_time", "context_length", "disable_overlap_schedule",
                "overheads");
    }
}
