package dev.servesim.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class HistogramTest {
    @Test
    void binsAreSharedAndOutliersFallInTheLastBin() {
        double[] body = new double[1000];
        for (int i = 0; i < body.length; i++) {
            body[i] = 8 + (i % 100) * 0.02;
        }
        body[0] = 500;
        JsonWriter json = new JsonWriter();

        Histogram.write(List.of(new Distribution("tpot", "turn 1", body),
                new Distribution("tpot", "turns 2+", new double[] {9, 9})), json);

        String text = json.toString();
        assertThat(text).startsWith("{\"edges\":[8,").contains("\"overflow\":true");
        assertThat(text).contains("{\"label\":\"turns 2+\",\"count\":2,\"fractions\":[");
        assertThat(text).doesNotContain("500");
    }

    @Test
    void singleValueGivesOneFullBin() {
        JsonWriter json = new JsonWriter();

        Histogram.write(List.of(new Distribution("tpot", "all", new double[] {5, 5, 5})), json);

        assertThat(json.toString()).startsWith("{\"edges\":[5,5.025,").contains("\"overflow\":false")
                .contains("\"fractions\":[1,0,");
    }

    @Test
    void emptyCohortHasNoFractions() {
        JsonWriter json = new JsonWriter();

        Histogram.write(List.of(new Distribution("tpot", "a", new double[] {1, 2}),
                new Distribution("tpot", "b", new double[0])), json);

        assertThat(json.toString()).contains("{\"label\":\"b\",\"count\":0,\"fractions\":[]}");
    }
}
