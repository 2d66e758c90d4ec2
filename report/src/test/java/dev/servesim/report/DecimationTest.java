package dev.servesim.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class DecimationTest {
    @Test
    void shortSeriesIsKeptWhole() {
        JsonWriter json = new JsonWriter().beginObject();

        Decimation.write(new Series("queue", "q", "requests", new double[] {0, 1, 2}, new double[] {3, Double.NaN, 5}),
                json);

        assertThat(json.endObject().toString()).isEqualTo("{\"t\":[0,1,2],\"v\":[3,null,5]}");
    }

    @Test
    void longSeriesKeepsPeaksAndGapsWithinTheLimit() {
        int size = 1_000_000;
        double[] times = new double[size];
        double[] values = new double[size];
        Arrays.setAll(times, i -> i * 0.5);
        Arrays.setAll(values, i -> i % 7);
        values[123_457] = 999;
        values[654_321] = Double.NaN;
        JsonWriter json = new JsonWriter().beginObject();

        Decimation.write(new Series("queue", "q", "requests", times, values), json);

        String text = json.endObject().toString();
        String timesJson = text.substring(text.indexOf('[') + 1, text.indexOf(']'));
        String valuesJson = text.substring(text.lastIndexOf('[') + 1, text.lastIndexOf(']'));
        assertThat(timesJson.split(",")).hasSizeLessThanOrEqualTo(Decimation.MAX_POINTS);
        assertThat(valuesJson.split(",")).contains("999", "null", "0", "6");
        // the peak at 61728.5 s and the gap at 327160.5 s, written with six significant digits
        assertThat(timesJson).startsWith("0,").contains(",61728.5,", ",327161,");
    }
}
