package dev.servesim.routers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.servesim.api.ServesimException;
import dev.servesim.routers.config.LeastLoadedRouterConfig;
import dev.servesim.routers.config.PrefixAwareRouterConfig;
import dev.servesim.routers.config.SessionAffinityRouterConfig;
import dev.servesim.routers.config.WeightedRandomRouterConfig;
import dev.servesim.testing.TestingPlugins;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class RouterConfigTest {

    @Test
    void defaults() {
        assertThat(TestingPlugins.defaultConfig(SessionAffinityRouterConfig.class).idleTimeout()).isEqualTo(300.0);
        assertThat(TestingPlugins.defaultConfig(LeastLoadedRouterConfig.class).load()).isEqualTo("reported");
        assertThat(TestingPlugins.defaultConfig(LeastLoadedRouterConfig.class).inFlight()).isFalse();
        PrefixAwareRouterConfig prefix = TestingPlugins.defaultConfig(PrefixAwareRouterConfig.class);
        assertThat(prefix.cacheWeight()).isEqualTo(2.0);
        assertThat(prefix.loadWeight()).isEqualTo(1.0);
    }

    @Test
    void fullMapping() {
        assertThat(new SessionAffinityRouterConfig(12.5).idleTimeout()).isEqualTo(12.5);
        assertThat(new LeastLoadedRouterConfig("in_flight").inFlight()).isTrue();
        assertThat(new PrefixAwareRouterConfig(3.0, 0.5)).isEqualTo(new PrefixAwareRouterConfig(3.0, 0.5));
        assertThat(new PrefixAwareRouterConfig(3.0, 0.5).loadWeight()).isEqualTo(0.5);
        assertThat(new WeightedRandomRouterConfig(List.of(1.0, 0.0, 3.0)).weights()).containsExactly(1.0, 0.0, 3.0);
    }

    @Test
    void badValuesNameTheKey() {
        assertThatThrownBy(() -> new SessionAffinityRouterConfig(-1.0)).isInstanceOf(ServesimException.class)
                .hasMessageStartingWith("idle_timeout: ");
        assertThatThrownBy(() -> new LeastLoadedRouterConfig("queue"))
                .hasMessage("load: unknown 'queue'; one of reported, in_flight");
        assertThatThrownBy(() -> new PrefixAwareRouterConfig(-1.0, null)).hasMessageStartingWith("cache_weight: ");
        assertThatThrownBy(() -> new PrefixAwareRouterConfig(0.0, 0.0)).hasMessageStartingWith("load_weight: ");
        assertThatThrownBy(() -> new WeightedRandomRouterConfig(List.of(1.0, -2.0)))
                .hasMessage("weights[1]: must be zero or a positive number, got -2.0");
        assertThatThrownBy(() -> new WeightedRandomRouterConfig(Arrays.asList(1.0, null)))
                .hasMessageStartingWith("weights[1]: ");
        assertThatThrownBy(() -> new WeightedRandomRouterConfig(List.of(0.0, 0.0)))
                .hasMessage("weights: needs at least one positive weight");
    }
}
