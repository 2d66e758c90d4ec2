package dev.servesim.calibration;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The loss {@code calibrate --traces} minimises on one trace, or on a range of its requests (in arrival order), and
 * the figures it reports. For each metric (TTFT, ITL: a request's mean gap between output chunks, E2E), over the
 * requests of the range that the replay completed, paired by arrival rank, it takes sets of requests: all of them,
 * and, when at least two groups have {@link #MIN_GROUP_REQUESTS} requests or more, each such concurrency group. A
 * request's concurrency is the number of measured requests in flight when it arrived, itself included (arrival to
 * arrival + E2E); the groups are 1, 2, 3-4, 5-8, 9-16, ... So the quiet requests, whose TTFT is the floor (arrival and
 * output overheads, one prefill), weigh as a set of their own, and so do the decode gaps at each batch size (the
 * per-step and per-request costs). A set's loss is the mean of
 * <ul>
 *   <li><b>request by request</b>: |median over its requests of ln(simulated / measured)|, the typical error of a
 *       request against its own measurement;
 *   <li><b>in aggregate</b>: |ln(simulated median / measured median)|.
 * </ul>
 * The metric's loss is the mean over its sets, the trace's the mean over the metrics it has. Log ratios are symmetric
 * (twice as slow costs as much as twice as fast) and medians robust to stray requests. The signed median, rather
 * than the median of absolute errors, lets a request's step-boundary jitter (a request that joins the next step when
 * a cost changes slightly) cancel out, where the absolute errors keep a floor of jitter even near the right
 * coefficients.
 */
final class TraceLoss {

    /** Fewest requests of a concurrency group for its medians to enter the loss. */
    static final int MIN_GROUP_REQUESTS = 5;

    private TraceLoss() {}

    /**
     * The concurrency group of each measured request: 0 for 1 request in flight, 1 for 2, 2 for 3-4, 3 for 5-8, ...
     * (requests in arrival order).
     */
    static int[] groups(List<MeasuredTrace.Measured> measured) {
        int n = measured.size();
        double[] arrivals = new double[n];
        double[] ends = new double[n];
        for (int k = 0; k < n; k++) {
            arrivals[k] = measured.get(k).arrivalMs();
            ends[k] = arrivals[k] + measured.get(k).e2eMs();
        }
        double[] sortedArrivals = arrivals.clone();
        double[] sortedEnds = ends.clone();
        Arrays.sort(sortedArrivals);
        Arrays.sort(sortedEnds);
        int[] groups = new int[n];
        for (int k = 0; k < n; k++) {
            // arrived by then (itself included), less those already finished
            int inFlight = Math.max(1, upperBound(sortedArrivals, arrivals[k]) - upperBound(sortedEnds, arrivals[k]));
            groups[k] = 32 - Integer.numberOfLeadingZeros(inFlight - 1);
        }
        return groups;
    }

    /** The number of values at most {@code value} in the sorted {@code values}. */
    private static int upperBound(double[] values, double value) {
        int low = 0;
        int high = values.length;
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (values[middle] <= value) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        return low;
    }

    /** The loss on requests {@code from} (inclusive) to {@code to} (exclusive); infinite when none was compared. */
    static double loss(List<MeasuredTrace.Measured> measured, int[] groups, TraceReplay.Simulated simulated, int from,
            int to) {
        double sum = 0;
        int metrics = 0;
        for (int metric = 0; metric < TraceReplay.METRICS.size(); metric++) {
            List<double[]> pairs = new ArrayList<>();
            for (int k = from; k < to; k++) {
                double real = TraceReplay.measured(measured.get(k), metric);
                double predicted = simulated.value(metric, k);
                if (real > 0 && predicted > 0 && Double.isFinite(real) && Double.isFinite(predicted)) {
                    pairs.add(new double[] {real, predicted, groups[k], Math.log(predicted / real)});
                }
            }
            if (!pairs.isEmpty()) {
                sum += metricLoss(pairs);
                metrics++;
            }
        }
        return metrics == 0 ? Double.POSITIVE_INFINITY : sum / metrics;
    }

    /** The mean over the sets (all pairs, and each large enough group) of the set's loss. */
    private static double metricLoss(List<double[]> pairs) {
        List<List<double[]>> sets = new ArrayList<>();
        sets.add(pairs);
        int largest = 0;
        for (double[] pair : pairs) {
            largest = Math.max(largest, (int) pair[2]);
        }
        List<List<double[]>> groups = new ArrayList<>();
        for (int group = 0; group <= largest; group++) {
            List<double[]> members = new ArrayList<>();
            for (double[] pair : pairs) {
                if ((int) pair[2] == group) {
                    members.add(pair);
                }
            }
            if (members.size() >= MIN_GROUP_REQUESTS) {
                groups.add(members);
            }
        }
        if (groups.size() >= 2) {
            sets.addAll(groups);
        }
        double sum = 0;
        for (List<double[]> set : sets) {
            double perRequest = Math.abs(Stats.median(column(set, 3)));
            double aggregate = Math.abs(Math.log(Stats.median(column(set, 1)) / Stats.median(column(set, 0))));
            sum += (perRequest + aggregate) / 2;
        }
        return sum / sets.size();
    }

    private static double[] column(List<double[]> pairs, int column) {
        double[] values = new double[pairs.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = pairs.get(i)[column];
        }
        return values;
    }

    /** Per metric, the figures on requests {@code from} to {@code to} (exclusive). */
    static List<TraceScore> score(List<MeasuredTrace.Measured> measured, TraceReplay.Simulated simulated, int from,
            int to) {
        List<TraceScore> scores = new ArrayList<>();
        for (int metric = 0; metric < TraceReplay.METRICS.size(); metric++) {
            List<Double> real = new ArrayList<>();
            List<Double> predicted = new ArrayList<>();
            List<Double> apes = new ArrayList<>();
            for (int k = from; k < to; k++) {
                double value = TraceReplay.measured(measured.get(k), metric);
                double simulatedValue = simulated.value(metric, k);
                if (Double.isNaN(value) || Double.isNaN(simulatedValue)) {
                    continue;
                }
                real.add(value);
                predicted.add(simulatedValue);
                if (value > 0) {
                    apes.add(Stats.ape(simulatedValue, value));
                }
            }
            double measuredMedian = Stats.median(array(real));
            double simulatedMedian = Stats.median(array(predicted));
            scores.add(new TraceScore(TraceReplay.METRICS.get(metric), real.size(), measuredMedian, simulatedMedian,
                    Stats.ape(simulatedMedian, measuredMedian), Stats.median(array(apes))));
        }
        return List.copyOf(scores);
    }

    private static double[] array(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
