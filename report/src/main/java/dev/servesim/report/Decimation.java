package dev.servesim.report;

import java.util.stream.IntStream;

/**
 * Thins a long time series to at most {@link #MAX_POINTS} points by keeping, in each of {@code MAX_POINTS / 3} equal
 * runs of points, the lowest and the highest one (in time order), so peaks of queue length or KV usage survive.
 * A run with a gap ({@code NaN}) also keeps its first gap point, so the line stays broken there.
 */
final class Decimation {
    static final int MAX_POINTS = 1000;

    private Decimation() {
    }

    static void write(Series series, JsonWriter json) {
        double[] times = series.timesView();
        double[] values = series.valuesView();
        int n = times.length;
        if (n <= MAX_POINTS) {
            json.name("t").values(times, n);
            json.name("v").values(values, n);
            return;
        }
        double[] keptTimes = new double[MAX_POINTS];
        double[] keptValues = new double[MAX_POINTS];
        int kept = 0;
        int buckets = MAX_POINTS / 3;
        for (int bucket = 0; bucket < buckets; bucket++) {
            int start = (int) ((long) bucket * n / buckets);
            int end = (int) ((long) (bucket + 1) * n / buckets);
            int lowest = -1;
            int highest = -1;
            int gap = -1;
            for (int i = start; i < end; i++) {
                double value = values[i];
                if (Double.isNaN(value)) {
                    gap = gap < 0 ? i : gap;
                } else {
                    lowest = lowest < 0 || value < values[lowest] ? i : lowest;
                    highest = highest < 0 || value > values[highest] ? i : highest;
                }
            }
            for (int i : ascendingDistinct(lowest, highest, gap)) {
                keptTimes[kept] = times[i];
                keptValues[kept] = values[i];
                kept++;
            }
        }
        json.name("t").values(keptTimes, kept);
        json.name("v").values(keptValues, kept);
    }

    /** The non-negative indices among three, ascending and without repeats. */
    private static int[] ascendingDistinct(int a, int b, int c) {
        return IntStream.of(a, b, c).filter(i -> i >= 0).sorted().distinct().toArray();
    }
}
