package dev.servesim.loadgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.servesim.loadgen.config.RemoteConfig;
import dev.servesim.runner.ConfigLoader;
import dev.servesim.runner.ExtensionKind;
import dev.servesim.runner.PluginRegistry;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class RemoteConfigTest {

    private final ConfigLoader loader = new ConfigLoader(PluginRegistry.of(List.of(
            new RemotePlugin(new RemoteSession("", OptionalLong.empty())))));

    private RemoteConfig bind(Map<String, ?> settings) {
        return (RemoteConfig) loader.component(ExtensionKind.FRAMEWORK, "remote", settings, "test").config();
    }

    @Test
    void defaults() {
        assertThat(bind(Map.of("url", "http://127.0.0.1:8000", "model", "m")))
                .isEqualTo(new RemoteConfig("http://127.0.0.1:8000", "m", 0, 600.0, 10.0, 512));
    }

    @Test
    void everyKey() {
        assertThat(bind(Map.of("url", "https://gpu-box:443/v1/", "model", "llama", "max_model_len", 8192,
                "request_timeout", 30, "connect_timeout", 2.5, "max_connections", 64)))
                .isEqualTo(new RemoteConfig("https://gpu-box:443", "llama", 8192, 30.0, 2.5, 64));
    }

    @Test
    void unknownKeysAndBadValuesAreRefusedNamingTheKey() {
        assertThatThrownBy(() -> bind(Map.of("url", "http://h:1", "model", "m", "max_num_seqs", 8)))
                .hasMessageContaining("max_num_seqs: unknown key; known keys: connect_timeout, max_connections, "
                        + "max_model_len, model, request_timeout, url");
        assertThatThrownBy(() -> bind(Map.of("model", "m"))).hasMessageContaining("url: is required");
        assertThatThrownBy(() -> bind(Map.of("url", "ftp://h/x", "model", "m")))
                .hasMessageContaining("url: expected an http:// or https:// URL of a server");
        assertThatThrownBy(() -> bind(Map.of("url", "http://h:1", "model", "m", "max_connections", 0)))
                .hasMessageContaining("max_connections: must be positive");
        assertThatThrownBy(() -> bind(Map.of("url", "http://h:1", "model", "m", "request_timeout", -1)))
                .hasMessageContaining("request_timeout: must be a positive number, got -1.0");
    }
}
