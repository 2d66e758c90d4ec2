package dev.servesim.report;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JsonWriterTest {
    @Test
    void writesNestedValuesWithCommas() {
        String json = new JsonWriter().beginObject()
                .name("a").value(1)
                .name("b").beginArray().value("x").value(true).beginObject().endObject().endArray()
                .name("c").values(new double[] {1, 2, 3}, 2)
                .endObject().toString();

        assertThat(json).isEqualTo("{\"a\":1,\"b\":[\"x\",true,{}],\"c\":[1,2]}");
    }

    @Test
    void escapesTextThatCouldEndAScriptElement() {
        String json = new JsonWriter().value("</script><!-- & \"q\" \\ \n\t\u0001 \u2028 é").toString();

        assertThat(json).isEqualTo(
                "\"\\u003c/script\\u003e\\u003c!-- \\u0026 \\\"q\\\" \\\\ \\n\\t\\u0001 \\u2028 é\"");
    }

    @Test
    void numbersKeepSixSignificantDigitsAndGapsBecomeNull() {
        assertThat(JsonWriter.number(42)).isEqualTo("42");
        assertThat(JsonWriter.number(-0.0)).isEqualTo("0");
        assertThat(JsonWriter.number(36.101852182254035)).isEqualTo("36.1019");
        assertThat(JsonWriter.number(0.000123456789)).isEqualTo("0.000123457");
        assertThat(JsonWriter.number(1.0 / 3e9)).isEqualTo("3.33333E-10");
        assertThat(JsonWriter.number(1234567.89)).isEqualTo("1.23457E+6");
        assertThat(JsonWriter.number(Double.NaN)).isEqualTo("null");
        assertThat(JsonWriter.number(Double.POSITIVE_INFINITY)).isEqualTo("null");
    }
}
