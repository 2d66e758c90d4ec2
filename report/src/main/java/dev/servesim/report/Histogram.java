package dev.servesim.report;

import java.util.Arrays;
import java.util.List;

/**
 * Histograms of several samples over shared bins, as fractions of each sample. The bins span the pooled minimum to the
 * pooled 99.5th percentile; the last bin also holds everything above, so a few outliers (preempted requests) do not
 * squeeze the body into one bin.
 */
final class Histogram {
    static final int BINS = 40;
    private static final double UPPER_QUANTILE = 0.995;

    private Histogram() {
    }

    /** Writes {@code edges} (BINS + 1 numbers), {@code overflow} and one {@code fractions} array per sample. */
    static void write(List<Distribution> distributions, JsonWriter json) {
        double[] pooled = distributions.stream()
                .flatMapToDouble(distribution -> Arrays.stream(distribution.valuesView()))
                .sorted()
                .toArray();
        json.beginObject();
        if (pooled.length == 0) {
            json.name("edges").beginArray().endArray();
            json.name("overflow").value(false);
            json.name("cohorts").beginArray().endArray();
            json.endObject();
            return;
        }
        double low = pooled[0];
        double max = pooled[pooled.length - 1];
        double high = pooled[(int) Math.floor(UPPER_QUANTILE * (pooled.length - 1))];
        if (high <= low) {
            high = max > low ? max : low + 1;
        }
        double width = (high - low) / BINS;
        double[] edges = new double[BINS + 1];
        for (int i = 0; i <= BINS; i++) {
            edges[i] = low + i * width;
        }
        json.name("edges").values(edges, edges.length);
        json.name("overflow").value(max > high);
        json.name("cohorts").beginArray();
        for (Distribution distribution : distributions) {
            double[] values = distribution.valuesView();
            double[] fractions = new double[BINS];
            for (double value : values) {
                int bin = (int) Math.min(BINS - 1, Math.floor((value - low) / width));
                fractions[bin]++;
            }
            for (int i = 0; i < BINS; i++) {
                fractions[i] /= values.length;
            }
            json.beginObject();
            json.name("label").value(distribution.cohort());
            json.name("count").value(distribution.requests());
            json.name("fractions").values(fractions, values.length == 0 ? 0 : BINS);
            json.endObject();
        }
        json.endArray();
        json.endObject();
    }
}
