package dev.servesim.engine.common.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonReaderTest {

    @Test
    void parsesIntoPlainValuesKeepingKeyOrder() {
        Object value = JsonReader.parse(" {\"b\": [1, -2.5e3, 0.25, true, false, null], \"a\": {\"x\": \"q\\\"\\\\\\/"
                + "\\n\\u00e9\"}, \"big\": 12345678901234567890, \"rope\": NaN} ");

        assertThat(value).isInstanceOf(Map.class);
        Map<?, ?> map = (Map<?, ?>) value;
        assertThat(List.copyOf(map.keySet())).isEqualTo(List.of("b", "a", "big", "rope"));
        assertThat((List<?>) map.get("b")).hasSize(6).element(1)
                .satisfies(number -> assertThat(((Number) number).doubleValue()).isEqualTo(-2500.0));
        assertThat(map.get("a")).isEqualTo(Map.of("x", "q\"\\/\n\u00e9"));
        assertThat(((Number) map.get("big")).doubleValue()).isEqualTo(1.2345678901234567e19);
        assertThat(((Number) map.get("rope")).doubleValue()).isNaN();
    }

    @Test
    void rejectsMalformedJsonWithThePosition() {
        assertThatThrownBy(() -> JsonReader.parse("{\"a\": 1,}")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("line 1, column 9: ");
        assertThatThrownBy(() -> JsonReader.parse("[1 2]")).hasMessageStartingWith("line 1, column 4: ");
        assertThatThrownBy(() -> JsonReader.parse("{} x")).hasMessageStartingWith("line 1, column 4: ");
    }
}
