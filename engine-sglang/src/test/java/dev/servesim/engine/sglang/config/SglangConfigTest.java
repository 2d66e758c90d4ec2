package dev.servesim.engine.sglang.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.servesim.api.ServesimException;
import dev.servesim.engine.common.hardware.HardwareSpec;
import dev.servesim.engine.common.model.Dtype;
import dev.servesim.engine.common.model.KvCacheDtype;
import dev.servesim.engine.common.model.ModelSpec;
import dev.servesim.engine.common.steptime.StepTime;
import org.junit.jupiter.api.Test;

class SglangConfigTest {

    private static SglangConfig empty() {
        return new SglangConfig(null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null);
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
        assertThat(config.maxRunningRequests()).isEqualTo((int) (400_000L / model.contextLength()));
        assertThat(config.completedFor(model, gpu, 400_000)).isEqualTo(config);
        SglangConfig huge = empty().completedFor(model, gpu, 1_000_000_000L);
        assertThat(huge.maxRunningRequests()).isEqualTo(SglangConfig.MAX_DERIVED_RUNNING_REQUESTS);
    }

    @Test
    void refusesBadValuesNamingTheKey() {
        assertThatThrownBy(() -> new SglangConfig(null, null, 9, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null))
                .isInstanceOf(ServesimException.class).hasMessageContaining("tensor_parallel_size");
        assertThatThrownBy(() -> new SglangConfig(null, null, null, null, null, 0, null, null, null, null, null, null,
                null, null, null, null, null))
                .isInstanceOf(ServesimException.class).hasMessageContaining("page_size");
        assertThatThrownBy(() -> new SglangConfig(null, null, null, null, null, null, 1.0, null, null, null, null, null,
                null, null, null, null, null))
                .isInstanceOf(ServesimException.class).hasMessageContaining("mem_fraction_static");
        assertThatThrownBy(() -> new SglangConfig(null, null, null, null, null, null, null, null, null, null, "sjf",
                null, null, null, null, null, null))
                .isInstanceOf(ServesimException.class).hasMessageContaining("schedule_policy");
        assertThatThrownBy(() -> new SglangConfig(null, null, null, null, null, null, null, null, null, null, null,
                null, "random", null, null, null, null))
                .isInstanceOf(ServesimException.class).hasMessageContaining("radix_eviction_policy");
        assertThatThrownBy(() -> new SglangConfig(null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, true, null, null))
                .isInstanceOf(ServesimException.class).hasMessageContaining("enable_mixed_chunk")
                .hasMessageContaining("not modelled yet");
        assertThatThrownBy(() -> new SglangConfig(null, null, null, null, null, null, null, null, null, null, null,
                0.0, null, null, null, null, null))
                .isInstanceOf(ServesimException.class).hasMessageContaining("schedule_conservativeness");
    }
}
