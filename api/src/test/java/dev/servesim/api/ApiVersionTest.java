package dev.servesim.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servesim.api.router.RouterFactory;
import java.util.List;
import org.junit.jupiter.api.Test;

class ApiVersionTest {

    @Test
    void currentIsZeroSixAndAcceptsPluginsBuiltAgainstOlderMinorsOfTheSameMajor() {
        assertThat(ApiVersion.CURRENT).isEqualTo(new ApiVersion(0, 6));
        assertThat(ApiVersion.CURRENT.accepts(new ApiVersion(0, 1))).isTrue();
        assertThat(ApiVersion.CURRENT.accepts(new ApiVersion(0, 3))).isTrue();
        assertThat(ApiVersion.CURRENT.accepts(new ApiVersion(0, 4))).isTrue();
        assertThat(ApiVersion.CURRENT.accepts(new ApiVersion(0, 5))).isTrue();
        assertThat(ApiVersion.CURRENT.accepts(new ApiVersion(0, 6))).isTrue();
        assertThat(ApiVersion.CURRENT.accepts(new ApiVersion(0, 7))).isFalse();
        assertThat(ApiVersion.CURRENT.accepts(new ApiVersion(1, 0))).isFalse();
    }

    @Test
    void aPluginThatPredatesRoutersOffersNone() {
        ServesimPlugin old = () -> "old";
        List<RouterFactory<?>> routers = old.routerFactories();
        assertThat(routers).isEmpty();
    }
}
