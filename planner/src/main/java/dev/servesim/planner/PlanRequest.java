package dev.servesim.planner;

import static java.util.Objects.requireNonNull;

import dev.servesim.api.ErrorKind;
import dev.servesim.api.ServesimException;
import dev.servesim.runner.Shard;
import java.nio.file.Path;
import java.util.List;

/**
 * What {@code servesim plan} is asked.
 *
 * @param config the run configuration the candidates start from
 * @param overrides {@code --set} overrides applied to every candidate
 * @param seed the seed of every run ({@code null}: the configuration's)
 * @param slo the objectives
 * @param targetRate the arrival rate to serve, in the workload's unit; {@code null} to find each candidate's highest
 *     sustainable rate instead
 * @param space the searched keys and replica counts
 * @param rateKey the configuration key of the arrival rate, e.g. {@code workload.rate}
 * @param seeds seeds run at each operating point (the band); at least 1
 * @param maxGpus the most GPUs a candidate may use ({@code null}: no limit)
 * @param maxUsdPerHour the most a candidate may cost per hour ({@code null}: no limit)
 * @param jobs candidates searched at once
 * @param out the output folder
 * @param shard the part of the candidates this process searches
 */
public record PlanRequest(Path config, List<String> overrides, Long seed, PlanSlo slo, Double targetRate,
        SearchSpace space, String rateKey, int seeds, Integer maxGpus, Double maxUsdPerHour, int jobs, Path out,
        Shard shard) {

    /** Default {@link #rateKey}. */
    public static final String DEFAULT_RATE_KEY = "workload.rate";
    /** Replica counts searched at a target rate when {@code --search} names none. */
    public static final int DEFAULT_MAX_REPLICAS = 64;

    public PlanRequest {
        requireNonNull(config, "config is null");
        overrides = List.copyOf(overrides);
        requireNonNull(slo, "slo is null");
        requireNonNull(space, "space is null");
        requireNonNull(rateKey, "rateKey is null");
        requireNonNull(out, "out is null");
        requireNonNull(shard, "shard is null");
        if (targetRate != null && !(targetRate > 0 && targetRate < 1e9)) {
            throw new ServesimException(ErrorKind.CONFIG, "--target: rate must be a positive number, got "
                    + targetRate);
        }
        if (seeds < 1 || seeds > 100) {
            throw new ServesimException(ErrorKind.CONFIG, "--seeds: must be 1 to 100, got " + seeds);
        }
        if (maxGpus != null && maxGpus < 1) {
            throw new ServesimException(ErrorKind.CONFIG, "--budget gpus: must be at least 1, got " + maxGpus);
        }
        if (maxUsdPerHour != null && !(maxUsdPerHour > 0)) {
            throw new ServesimException(ErrorKind.CONFIG, "--budget usd_per_hour: must be positive, got "
                    + maxUsdPerHour);
        }
        jobs = Math.max(1, jobs);
    }

    /** Whether a target rate is given (else each candidate's highest rate is searched). */
    public boolean targeted() {
        return targetRate != null;
    }
}
