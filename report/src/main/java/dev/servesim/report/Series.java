package dev.servesim.report;

import static java.util.Objects.requireNonNull;

import java.util.Arrays;
import java.util.List;

/**
 * One line on a time chart of a run report.
 *
 * @param chart the chart the line belongs to, one of {@link #CHARTS}: {@code throughput} (tokens/s or requests/s),
 *     {@code queue} (waiting requests), {@code batch} (running requests), {@code kv} (KV cache usage, 0 to 1) and
 *     {@code hit-rate} (prefix cache token hit rate, 0 to 1)
 * @param label the legend entry, for example {@code output tokens/s}
 * @param unit the unit of the values, for example {@code tokens/s}; lines of one chart with different units get
 *     separate y axes
 * @param times simulated seconds, finite and non-decreasing; copied
 * @param values one value per time, finite or {@code NaN} for a gap in the line; copied
 */
public record Series(String chart, String label, String unit, double[] times, double[] values) {
    /** The chart ids, in the order the run report shows them. */
    public static final List<String> CHARTS = List.of("throughput", "queue", "batch", "kv", "hit-rate");

    public Series {
        requireNonNull(chart, "chart is null");
        requireNonNull(label, "label is null");
        requireNonNull(unit, "unit is null");
        requireNonNull(times, "times is null");
        requireNonNull(values, "values is null");
        if (!CHARTS.contains(chart)) {
            throw new IllegalArgumentException("unknown chart '" + chart + "' of series '" + label + "'; known: " + CHARTS);
        }
        if (times.length != values.length) {
            throw new IllegalArgumentException("series '" + label + "' has " + times.length + " times but "
                    + values.length + " values");
        }
        times = times.clone();
        values = values.clone();
        for (int i = 0; i < times.length; i++) {
            if (!Double.isFinite(times[i]) || (i > 0 && times[i] < times[i - 1])) {
                throw new IllegalArgumentException("series '" + label + "': times must be finite and non-decreasing, "
                        + "but times[" + i + "] is " + times[i]);
            }
            if (Double.isInfinite(values[i])) {
                throw new IllegalArgumentException("series '" + label + "': values[" + i + "] is infinite");
            }
        }
    }

    @Override
    public double[] times() {
        return times.clone();
    }

    @Override
    public double[] values() {
        return values.clone();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Series that
                && chart.equals(that.chart)
                && label.equals(that.label)
                && unit.equals(that.unit)
                && Arrays.equals(times, that.times)
                && Arrays.equals(values, that.values);
    }

    @Override
    public int hashCode() {
        int result = chart.hashCode();
        result = 31 * result + label.hashCode();
        result = 31 * result + unit.hashCode();
        result = 31 * result + Arrays.hashCode(times);
        return 31 * result + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return "Series[chart=" + chart + ", label=" + label + ", unit=" + unit + ", points=" + times.length + "]";
    }

    /** The points without copying, for the renderer. */
    double[] timesView() {
        return times;
    }

    double[] valuesView() {
        return values;
    }
}
