package dev.servesim.workload.trace;

import dev.servesim.workload.sampling.Sampler;
import dev.servesim.workload.sampling.Samplers;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * Arrival times, in seconds of trace time, for traces that record none: the first at 0, then gaps drawn as vLLM's
 * benchmarks/benchmark_serving.py get_request() draws them, Gamma(shape = burstiness, scale = 1 / (rate x
 * burstiness)): exponential, so a Poisson process, for burstiness 1. An infinite rate sends everything at 0, as the
 * benchmark does. The random stream is asked for on the first gap only.
 */
final class DrawnArrivals {

    private final Supplier<RandomGenerator> streams;
    private final double rate;
    private final Sampler gaps;
    private RandomGenerator random;
    private double time = Double.NaN;

    /**
     * @param rate arrivals per second of trace time, positive (infinite: all at 0)
     * @param burstiness the gamma shape, positive
     */
    DrawnArrivals(Supplier<RandomGenerator> streams, double rate, double burstiness) {
        this.streams = streams;
        this.rate = rate;
        this.gaps = burstiness == 1 || Double.isInfinite(rate) ? null
                : Samplers.gamma(burstiness, 1 / (rate * burstiness));
    }

    /** The next arrival. */
    double next() {
        if (Double.isNaN(time)) {
            time = 0;
        } else if (Double.isFinite(rate)) {
            if (random == null) {
                random = streams.get();
            }
            time += gaps == null ? random.nextExponential() / rate : gaps.seconds(random);
        }
        return time;
    }
}
