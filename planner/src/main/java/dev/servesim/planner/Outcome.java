package dev.servesim.planner;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;

/**
 * What the planner found for one candidate deployment.
 *
 * @param name the candidate's assignments joined, e.g. {@code framework.hardware=H200, framework.tensor_parallel_size=2}
 * @param assignments its {@code key=value} assignments
 * @param status whether it meets the objectives
 * @param reason why it was pruned or fails, one line; empty when it meets them
 * @param gpu the GPU of its first replica (empty if the engine does not say)
 * @param gpusPerReplica GPUs of one replica (0 if unknown)
 * @param result the run at the operating point: the fewest replicas meeting the objectives at the target rate, or the
 *     highest rate meeting them; for a failing candidate its best try; {@code null} when none ran
 * @param band per objective key, the lowest and highest figure (ms) over the seeds run at the operating point
 * @param seedsMeeting seeds of the operating point whose run meets the objectives
 * @param saturation where one replica stops meeting the objectives and why; {@code null} if not searched
 * @param rooflineRatePerReplica the physical upper bound of one replica's rate (NaN if the engine gives none)
 * @param calibration the engine's note when the deployment lies outside its calibrated range; empty otherwise
 * @param evaluations every run of the search, in the order run
 * @param modelBand per objective key, the figure (ms) at the operating point with the engine's coefficients at the
 *     fast and at the slow end of their fitted intervals (empty when the engine offers no such bounds)
 */
public record Outcome(String name, List<String> assignments, Status status, String reason, String gpu,
        int gpusPerReplica, Evaluation result, Map<String, double[]> band, int seedsMeeting, Saturation saturation,
        double rooflineRatePerReplica, String calibration, List<Evaluation> evaluations,
        Map<String, double[]> modelBand) implements Ranked {

    /** The verdict on a candidate. */
    public enum Status {
        /** Meets every objective (at the target rate, or at some rate). */
        MEETS,
        /** Simulated, and misses an objective even at the most replicas allowed. */
        FAILS,
        /** Discarded before simulating it at scale: the model does not fit, or physics rules the target out. */
        PRUNED,
        /** The plan was interrupted before this candidate was decided. */
        UNFINISHED;

        /** The name in plan.json. */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public Outcome {
        requireNonNull(name, "name is null");
        assignments = List.copyOf(assignments);
        requireNonNull(status, "status is null");
        requireNonNull(reason, "reason is null");
        requireNonNull(gpu, "gpu is null");
        band = Map.copyOf(band);
        requireNonNull(calibration, "calibration is null");
        evaluations = List.copyOf(evaluations);
        modelBand = Map.copyOf(modelBand);
    }

    /** An outcome without a model band. */
    public Outcome(String name, List<String> assignments, Status status, String reason, String gpu,
            int gpusPerReplica, Evaluation result, Map<String, double[]> band, int seedsMeeting, Saturation saturation,
            double rooflineRatePerReplica, String calibration, List<Evaluation> evaluations) {
        this(name, assignments, status, reason, gpu, gpusPerReplica, result, band, seedsMeeting, saturation,
                rooflineRatePerReplica, calibration, evaluations, Map.of());
    }

    /** This outcome with {@code figures} as its model band. */
    Outcome withModelBand(Map<String, double[]> figures) {
        return new Outcome(name, assignments, status, reason, gpu, gpusPerReplica, result, band, seedsMeeting,
                saturation, rooflineRatePerReplica, calibration, evaluations, figures);
    }

    @Override
    public boolean meets() {
        return status == Status.MEETS;
    }

    /** Replicas at the operating point (0 if none ran). */
    public int replicas() {
        return result == null ? 0 : result.replicas();
    }

    /** GPUs at the operating point: as its run counted them (a mixed fleet's groups may differ), else replicas x per replica. */
    @Override
    public int gpus() {
        if (result != null && result.summary().resources().gpus() > 0) {
            return result.summary().resources().gpus();
        }
        return replicas() * gpusPerReplica;
    }

    /** This outcome with its GPUs named {@code gpuLabel} (e.g. {@code H100-SXM-80GB+L40S} for a mixed fleet). */
    Outcome withGpu(String gpuLabel) {
        return new Outcome(name, assignments, status, reason, gpuLabel, gpusPerReplica, result, band, seedsMeeting,
                saturation, rooflineRatePerReplica, calibration, evaluations, modelBand);
    }

    /** Arrival rate at the operating point (NaN if none ran). */
    @Override
    public double rate() {
        return result == null ? Double.NaN : result.rate();
    }

    /** Cost per hour at the operating point (NaN if no price is known). */
    @Override
    public double usdPerHour() {
        return result == null ? Double.NaN : result.summary().resources().cost().usdPerHour();
    }

    /** Cost per million output tokens at the operating point (NaN if no price is known). */
    @Override
    public double usdPerMillionOutputTokens() {
        return result == null ? Double.NaN : result.summary().resources().cost().usdPerMillionOutputTokens();
    }

    /** The figure (ms) of objective {@code key} at the operating point (NaN if none ran). */
    @Override
    public double figureMs(String key) {
        return result == null ? Double.NaN : PlanSlo.figureMs(result.summary(), key);
    }
}
