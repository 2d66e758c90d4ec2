package dev.servesim.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ValuesTest {
    @Test
    void seriesRejectsUnknownChartsAndBadPoints() {
        assertThatThrownBy(() -> new Series("latency", "x", "ms", new double[0], new double[0]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown chart 'latency'").hasMessageContaining("hit-rate");
        assertThatThrownBy(() -> new Series("kv", "x", "", new double[] {0, 1}, new double[] {0}))
                .hasMessageContaining("2 times but 1 values");
        assertThatThrownBy(() -> new Series("kv", "x", "", new double[] {1, 0}, new double[] {0, 0}))
                .hasMessageContaining("times[1] is 0.0");
        assertThatThrownBy(() -> new Series("kv", "x", "", new double[] {0}, new double[] {Double.POSITIVE_INFINITY}))
                .hasMessageContaining("values[0] is infinite");
    }

    @Test
    void seriesCopiesItsArraysAndComparesTheirContent() {
        double[] times = {0, 1};
        double[] values = {2, Double.NaN};
        Series series = new Series("queue", "waiting", "requests", times, values);
        times[0] = 5;
        series.values()[0] = 7;

        assertThat(series.times()).containsExactly(0, 1);
        assertThat(series.values()[0]).isEqualTo(2);
        assertThat(series).isEqualTo(new Series("queue", "waiting", "requests", new double[] {0, 1},
                new double[] {2, Double.NaN}));
        assertThat(series).hasSameHashCodeAs(new Series("queue", "waiting", "requests", new double[] {0, 1},
                new double[] {2, Double.NaN}));
        assertThat(series.toString()).isEqualTo("Series[chart=queue, label=waiting, unit=requests, points=2]");
    }

    @Test
    void distributionRejectsUnknownMetricsAndBadValues() {
        assertThatThrownBy(() -> new Distribution("itl", "all", new double[0]))
                .hasMessageContaining("unknown metric 'itl'");
        assertThatThrownBy(() -> new Distribution("ttft", " ", new double[0])).hasMessageContaining("blank");
        assertThatThrownBy(() -> new Distribution("ttft", "all", new double[] {1, -1}))
                .hasMessageContaining("ttft (all)").hasMessageContaining("values[1] is -1.0");
        assertThatThrownBy(() -> new Distribution("e2e", "all", new double[] {Double.NaN}))
                .hasMessageContaining("values[0] is NaN");
    }

    @Test
    void distributionCopiesItsValues() {
        double[] values = {1, 2};
        Distribution distribution = new Distribution("tpot", "all", values);
        values[0] = 9;

        assertThat(distribution.values()).containsExactly(1, 2);
        assertThat(distribution).isEqualTo(new Distribution("tpot", "all", new double[] {1, 2}));
        assertThat(distribution.toString()).isEqualTo("Distribution[metric=tpot, cohort=all, count=2, requests=2]");
    }

    @Test
    void comparisonNeedsDistinctVariants() {
        ComparisonReport.Variant a = new ComparisonReport.Variant("a", "{}", List.of());

        assertThatThrownBy(() -> new ComparisonReport("t", List.of()))
                .hasMessageContaining("at least one variant");
        assertThatThrownBy(() -> new ComparisonReport("t", List.of(a, a)))
                .hasMessageContaining("duplicate variant name 'a'");
        assertThatThrownBy(() -> new ComparisonReport.Variant(" ", "{}", List.of())).hasMessageContaining("blank");
    }

    @Test
    void distributionCountsRequestsApartFromValues() {
        Distribution quantiles = new Distribution("e2e", "all", new double[] {10, 20, 30}, 2000);

        assertThat(quantiles.requests()).isEqualTo(2000);
        assertThat(quantiles).isNotEqualTo(new Distribution("e2e", "all", new double[] {10, 20, 30}));
        assertThatThrownBy(() -> new Distribution("e2e", "all", new double[0], -1))
                .hasMessageContaining("requests is negative");
    }

    @Test
    void comparisonParametersAreNamedAndDistinct() {
        ComparisonReport.Variant a = new ComparisonReport.Variant("a", "{}", List.of());
        ComparisonReport.Parameter seqs = new ComparisonReport.Parameter("framework.max_num_seqs", List.of("64", "128"));

        assertThat(new ComparisonReport("t", List.of(seqs), List.of(a)).parameters()).containsExactly(seqs);
        assertThat(a.settings()).isEmpty();
        assertThatThrownBy(() -> new ComparisonReport("t", List.of(seqs, seqs), List.of(a)))
                .hasMessageContaining("duplicate parameter 'framework.max_num_seqs'");
        assertThatThrownBy(() -> new ComparisonReport.Parameter("k", List.of())).hasMessageContaining("no values");
        assertThatThrownBy(() -> new ComparisonReport.Parameter(" ", List.of("1"))).hasMessageContaining("blank");
    }

    @Test
    void nullsAreRejectedByName() {
        assertThatThrownBy(() -> new RunReport("t", "", null, "", List.of(), List.of()))
                .isInstanceOf(NullPointerException.class).hasMessage("summaryJson is null");
        assertThatThrownBy(() -> new Series("kv", "x", "", null, new double[0])).hasMessage("times is null");
    }
}
