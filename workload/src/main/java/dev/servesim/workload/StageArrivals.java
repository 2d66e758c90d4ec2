package dev.servesim.workload;

import dev.servesim.workload.config.StageConfig;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Arrival times of back-to-back load stages, generated one at a time.
 * <ul>
 *   <li>{@code constant} (inference-perf's ConstantLoadTimer): a stage of rate r and duration D sends
 *       N = int(r x D) requests; N exponential gaps are rescaled to sum to exactly D, so request k goes at the stage
 *       start plus D times the k-th normalised partial sum and the last one at the end of the stage. The normalised
 *       partial sums of N exponentials are distributed as the order statistics of N-1 uniforms, which are drawn here
 *       in increasing order (Renyi's representation), so no stage is held in memory.
 *   <li>{@code poisson}: a Poisson process of rate r over [start, start + D).
 *   <li>{@code burst}: the stage's N = int(r x D) requests in bursts of {@code burstSize} (default all N), the bursts
 *       evenly spaced from the stage start.
 * </ul>
 */
final class StageArrivals {

    private final List<StageConfig> stages;
    private final boolean poisson;
    private final boolean burst;
    private final Integer burstSize;
    private final RandomGenerator random;

    private int stage = -1;
    private double stageStart;
    private double stageDuration;
    private long count;      // requests in the stage (constant, burst)
    private long sent;       // requests of the stage returned so far
    private double position; // constant: last order statistic in [0, 1]; poisson: last arrival time
    private long perBurst;
    private long bursts;

    StageArrivals(List<StageConfig> stages, String loadType, Integer burstSize, RandomGenerator random) {
        this.stages = stages;
        this.poisson = loadType.equals("poisson");
        this.burst = loadType.equals("burst");
        this.burstSize = burstSize;
        this.random = random;
        nextStage(0);
    }

    /** Index of the stage of the arrival last returned by {@link #next()}. */
    int stage() {
        return stage;
    }

    /** The next arrival time, or {@code NaN} after the last stage. */
    double next() {
        while (stage < stages.size()) {
            double time = poisson ? nextPoisson() : burst ? nextBurst() : nextConstant();
            if (!Double.isNaN(time)) {
                return time;
            }
            nextStage(stageStart + stageDuration);
        }
        return Double.NaN;
    }

    private void nextStage(double start) {
        stage++;
        if (stage >= stages.size()) {
            return;
        }
        StageConfig config = stages.get(stage);
        stageStart = start;
        stageDuration = config.duration();
        // as Python's int(rate * duration)
        count = (long) (config.rate() * config.duration());
        sent = 0;
        position = poisson ? start : 0;
        perBurst = burstSize == null ? Math.max(count, 1) : burstSize;
        bursts = (count + perBurst - 1) / perBurst;
    }

    private double nextConstant() {
        if (sent >= count) {
            return Double.NaN;
        }
        sent++;
        if (sent == count) {
            return stageStart + stageDuration;
        }
        // the minimum of the (count - sent) uniforms still to come, all above position
        long remaining = count - sent;
        double v = 1.0 - random.nextDouble();
        position += (1 - position) * -Math.expm1(Math.log(v) / remaining);
        return stageStart + stageDuration * position;
    }

    private double nextPoisson() {
        double rate = stages.get(stage).rate();
        position += random.nextExponential() / rate;
        return position < stageStart + stageDuration ? position : Double.NaN;
    }

    private double nextBurst() {
        if (sent >= count) {
            return Double.NaN;
        }
        long burstIndex = sent / perBurst;
        sent++;
        return stageStart + stageDuration * burstIndex / bursts;
    }
}
