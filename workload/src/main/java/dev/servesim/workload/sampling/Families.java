package dev.servesim.workload.sampling;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/** The parametric families and the composite samplers. Draws use inverse transforms unless noted. */
final class Families {

    private Families() {}

    /** A uniform draw in (0, 1], safe for logarithms and negative powers. */
    static double openUniform(RandomGenerator random) {
        return 1.0 - random.nextDouble();
    }

    record Constant(double value) implements Sampler {
        @Override
        public double sample(RandomGenerator random) {
            return value;
        }

        @Override
        public double mean() {
            return value;
        }

        @Override
        public double variance() {
            return 0;
        }
    }

    record Exponential(double mean) implements Sampler {
        @Override
        public double sample(RandomGenerator random) {
            return mean * random.nextExponential();
        }

        @Override
        public double variance() {
            return mean * mean;
        }
    }

    /** Marsaglia and Tsang (2000), with the shape + 1 boost for shapes below 1. */
    record Gamma(double shape, double scale) implements Sampler {
        @Override
        public double sample(RandomGenerator random) {
            if (shape < 1) {
                return draw(shape + 1, random) * Math.pow(openUniform(random), 1 / shape) * scale;
            }
            return draw(shape, random) * scale;
        }

        private static double draw(double shape, RandomGenerator random) {
            double d = shape - 1.0 / 3.0;
            double c = 1 / Math.sqrt(9 * d);
            while (true) {
                double x = random.nextGaussian();
                double v = 1 + c * x;
                if (v <= 0) {
                    continue;
                }
                v = v * v * v;
                double u = openUniform(random);
                double x2 = x * x;
                if (u < 1 - 0.0331 * x2 * x2 || Math.log(u) < 0.5 * x2 + d * (1 - v + Math.log(v))) {
                    return d * v;
                }
            }
        }

        @Override
        public double mean() {
            return shape * scale;
        }

        @Override
        public double variance() {
            return shape * scale * scale;
        }
    }

    record Weibull(double shape, double scale) implements Sampler {
        @Override
        public double sample(RandomGenerator random) {
            return scale * Math.pow(-Math.log(openUniform(random)), 1 / shape);
        }

        @Override
        public double mean() {
            return scale * GammaFunction.gamma(1 + 1 / shape);
        }

        @Override
        public double variance() {
            double g1 = GammaFunction.gamma(1 + 1 / shape);
            return scale * scale * (GammaFunction.gamma(1 + 2 / shape) - g1 * g1);
        }
    }

    /** Parameterised by its own mean m and standard deviation s: sigma^2 = ln(1 + s^2/m^2), mu = ln m - sigma^2/2. */
    record LogNormal(double mean, double stddev, double mu, double sigma) implements Sampler {
        static LogNormal of(double mean, double stddev) {
            double sigma2 = Math.log1p((stddev / mean) * (stddev / mean));
            return new LogNormal(mean, stddev, Math.log(mean) - sigma2 / 2, Math.sqrt(sigma2));
        }

        @Override
        public double sample(RandomGenerator random) {
            return Math.exp(mu + sigma * random.nextGaussian());
        }

        @Override
        public double variance() {
            return stddev * stddev;
        }
    }

    /** Pareto type I: minimum {@code scale}, tail index {@code shape}. */
    record Pareto(double shape, double scale) implements Sampler {
        @Override
        public double sample(RandomGenerator random) {
            return scale * Math.pow(openUniform(random), -1 / shape);
        }

        @Override
        public double mean() {
            return shape > 1 ? shape * scale / (shape - 1) : Double.POSITIVE_INFINITY;
        }

        @Override
        public double variance() {
            return shape > 2 ? scale * scale * shape / ((shape - 1) * (shape - 1) * (shape - 2))
                    : Double.POSITIVE_INFINITY;
        }
    }

    record Uniform(double min, double max) implements Sampler {
        @Override
        public double sample(RandomGenerator random) {
            return min + (max - min) * random.nextDouble();
        }

        @Override
        public double mean() {
            return (min + max) / 2;
        }

        @Override
        public double variance() {
            return (max - min) * (max - min) / 12;
        }
    }

    record Normal(double mean, double stddev) implements Sampler {
        @Override
        public double sample(RandomGenerator random) {
            return mean + stddev * random.nextGaussian();
        }

        @Override
        public double variance() {
            return stddev * stddev;
        }
    }

    /** A draw times a fixed factor (rescales a shape to a wanted mean). */
    record Scaled(Sampler inner, double factor) implements Sampler {
        @Override
        public double sample(RandomGenerator random) {
            return inner.sample(random) * factor;
        }

        @Override
        public double mean() {
            return inner.mean() * factor;
        }

        @Override
        public double variance() {
            return inner.variance() * factor * factor;
        }
    }

    /** Picks a component by weight (one uniform draw), then draws from it. */
    record Mixture(double[] cumulative, Sampler[] components) implements Sampler {
        @Override
        public double sample(RandomGenerator random) {
            return components[pick(cumulative, random)].sample(random);
        }

        @Override
        public double mean() {
            double mean = 0;
            for (int i = 0; i < components.length; i++) {
                mean += probability(cumulative, i) * components[i].mean();
            }
            return mean;
        }

        @Override
        public double variance() {
            // law of total variance: E[Var] + Var[E]
            double mean = mean();
            double variance = 0;
            for (int i = 0; i < components.length; i++) {
                double deviation = components[i].mean() - mean;
                variance += probability(cumulative, i) * (components[i].variance() + deviation * deviation);
            }
            return variance;
        }
    }

    /** Draws one of the values with probability proportional to its weight. */
    record Empirical(double[] values, double[] cumulative) implements Sampler {
        @Override
        public double sample(RandomGenerator random) {
            return values[pick(cumulative, random)];
        }

        @Override
        public double mean() {
            double mean = 0;
            for (int i = 0; i < values.length; i++) {
                mean += probability(cumulative, i) * values[i];
            }
            return mean;
        }

        @Override
        public double variance() {
            double mean = mean();
            double variance = 0;
            for (int i = 0; i < values.length; i++) {
                variance += probability(cumulative, i) * (values[i] - mean) * (values[i] - mean);
            }
            return variance;
        }
    }

    /** Cumulative probabilities of the weights; the last is exactly 1. */
    static double[] cumulative(double[] weights) {
        double total = 0;
        for (double weight : weights) {
            total += weight;
        }
        double[] cumulative = new double[weights.length];
        double running = 0;
        for (int i = 0; i < weights.length; i++) {
            running += weights[i];
            cumulative[i] = running / total;
        }
        cumulative[weights.length - 1] = 1.0;
        return cumulative;
    }

    private static int pick(double[] cumulative, RandomGenerator random) {
        double u = random.nextDouble();
        int index = Arrays.binarySearch(cumulative, u);
        // an exact hit on a boundary belongs to the next bucket; skip zero-weight buckets
        index = index >= 0 ? index + 1 : -index - 1;
        while (index < cumulative.length - 1 && cumulative[index] == (index == 0 ? 0 : cumulative[index - 1])) {
            index++;
        }
        return Math.min(index, cumulative.length - 1);
    }

    private static double probability(double[] cumulative, int index) {
        return cumulative[index] - (index == 0 ? 0 : cumulative[index - 1]);
    }
}
