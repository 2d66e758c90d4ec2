package dev.servesim.calibration;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/** What became of one row of a runs file. */
public sealed interface RunOutcome {

    /** The note of a simulated row whose sustainable rate was not asked for. */
    String NOT_MEASURED = "not measured";

    String runId();

    /** A row the simulator could not model, with the reason. */
    record Skipped(String runId, String reason) implements RunOutcome {
        public Skipped {
            requireNonNull(runId, "runId is null");
            requireNonNull(reason, "reason is null");
        }
    }

    /**
     * A simulated row.
     *
     * @param predicted mean over the seeds of each figure
     * @param seeds every seed's simulation
     * @param derivedGpuBlocks the KV capacity derived from memory (null block included), when the row gives
     *     {@code total_kv_blocks} and the derivation worked
     * @param kvNote why there is no derived capacity, if there is none although the row gives blocks
     * @param sustainableRate the simulated server's sustainable rate, when measured
     * @param sustainableRateNote why there is no sustainable rate, if there is none
     */
    record Evaluated(RunSpec spec, Metrics predicted, List<SimulatedRun> seeds, OptionalLong derivedGpuBlocks,
            Optional<String> kvNote, Optional<SustainableRate> sustainableRate, Optional<String> sustainableRateNote)
            implements RunOutcome {

        public Evaluated {
            requireNonNull(spec, "spec is null");
            requireNonNull(predicted, "predicted is null");
            seeds = List.copyOf(seeds);
            requireNonNull(derivedGpuBlocks, "derivedGpuBlocks is null");
            requireNonNull(kvNote, "kvNote is null");
            requireNonNull(sustainableRate, "sustainableRate is null");
            requireNonNull(sustainableRateNote, "sustainableRateNote is null");
        }

        /** A simulated row whose sustainable rate was not measured. */
        public Evaluated(RunSpec spec, Metrics predicted, List<SimulatedRun> seeds, OptionalLong derivedGpuBlocks,
                Optional<String> kvNote) {
            this(spec, predicted, seeds, derivedGpuBlocks, kvNote, Optional.empty(), Optional.of(NOT_MEASURED));
        }

        @Override
        public String runId() {
            return spec.runId();
        }

        /** Absolute percentage error per metric, in {@link Metrics#NAMES} order. */
        public double[] ape() {
            double[] predictedValues = predicted.values();
            double[] actualValues = spec.actual().values();
            double[] errors = new double[predictedValues.length];
            for (int i = 0; i < errors.length; i++) {
                errors[i] = Stats.ape(predictedValues[i], actualValues[i]);
            }
            return errors;
        }

        /** Signed percentage error per metric (positive: the simulator is slower). */
        public double[] pe() {
            double[] predictedValues = predicted.values();
            double[] actualValues = spec.actual().values();
            double[] errors = new double[predictedValues.length];
            for (int i = 0; i < errors.length; i++) {
                errors[i] = Stats.pe(predictedValues[i], actualValues[i]);
            }
            return errors;
        }

        /** The median of this run's seven absolute percentage errors. */
        public double medianApe() {
            return Stats.median(ape());
        }

        /** Smallest and largest value of metric {@code index} over the seeds. */
        public double[] seedRange(int index) {
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            for (SimulatedRun run : seeds) {
                double value = run.predicted().values()[index];
                min = Math.min(min, value);
                max = Math.max(max, value);
            }
            return new double[] {min, max};
        }

        /** Whether the simulated and the measured TTFT means disagree about saturation ({@link Saturation}). */
        public Saturation saturation() {
            return Saturation.of(spec, predicted);
        }

        /**
         * Per load stage, in order, whether its rate exceeds the sustainable rate (the simulated server cannot keep up
         * with it); empty without a sustainable rate.
         */
        public Optional<List<Boolean>> stagesAboveSustainableRate() {
            return sustainableRate.map(rate -> spec.stageRates().stream()
                    .map(stageRate -> stageRate > rate.requestsPerSecond()).toList());
        }

        /** Signed percentage difference of the derived KV capacity from the row's {@code total_kv_blocks}. */
        public Optional<Double> kvCapacityErrorPercent() {
            if (derivedGpuBlocks.isEmpty() || spec.totalKvBlocks().isEmpty()) {
                return Optional.empty();
            }
            return Optional.of(Stats.pe(derivedGpuBlocks.getAsLong(), spec.totalKvBlocks().getAsLong()));
        }
    }
}
