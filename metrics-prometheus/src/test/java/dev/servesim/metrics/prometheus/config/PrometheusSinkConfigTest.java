package dev.servesim.metrics.prometheus.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.servesim.api.ErrorKind;
import dev.servesim.api.ServesimException;
import dev.servesim.testing.TestingPlugins;
import org.junit.jupiter.api.Test;

class PrometheusSinkConfigTest {

    // the runner's binding: snake_case keys, unknown keys fail, no coercion
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .build();

    private static PrometheusSinkConfig bind(String json) throws Exception {
        return MAPPER.readValue(json.replace('\'', '"'), PrometheusSinkConfig.class);
    }

    @Test
    void defaultsServeLoopbackOnTheDocumentedPortWithVllmNames() {
        PrometheusSinkConfig defaults = TestingPlugins.defaultConfig(PrometheusSinkConfig.class);

        assertThat(defaults).isEqualTo(new PrometheusSinkConfig("127.0.0.1", 9400, true, null));
        assertThat(PrometheusSinkConfig.DEFAULT_PORT).isEqualTo(9400);
    }

    @Test
    void bindsEveryKeyByItsSnakeCaseName() throws Exception {
        PrometheusSinkConfig config = bind("{'host': '0.0.0.0', 'port': 0, 'vllm_names': false, 'model_name': 'm'}");

        assertThat(config).isEqualTo(new PrometheusSinkConfig("0.0.0.0", 0, false, "m"));
    }

    @Test
    void rejectsUnknownKeys() {
        assertThatThrownBy(() -> bind("{'port': 1, 'vllm_name': true}"))
                .isInstanceOf(UnrecognizedPropertyException.class).hasMessageContaining("vllm_name");
    }

    @Test
    void rejectsBadValuesNamingTheKey() {
        assertThatThrownBy(() -> new PrometheusSinkConfig(null, 70000, null, null))
                .isInstanceOf(ServesimException.class)
                .hasMessage("port: must be between 0 and 65535, got 70000")
                .satisfies(e -> assertThat(((ServesimException) e).kind()).isEqualTo(ErrorKind.CONFIG));
        assertThatThrownBy(() -> new PrometheusSinkConfig(" ", null, null, null)).hasMessage("host: must not be empty");
        assertThatThrownBy(() -> new PrometheusSinkConfig(null, null, null, ""))
                .hasMessageStartingWith("model_name: must not be empty");
        assertThatThrownBy(() -> bind("{'port': -1}")).isInstanceOf(ValueInstantiationException.class)
                .hasMessageContaining("port: must be between 0 and 65535, got -1");
    }
}
