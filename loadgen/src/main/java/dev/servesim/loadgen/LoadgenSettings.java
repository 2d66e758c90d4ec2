package dev.servesim.loadgen;

import static java.util.Objects.requireNonNull;

import dev.servesim.api.ConfigValues;
import dev.servesim.api.ServesimException;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * What {@code servesim loadgen} is asked to do.
 *
 * @param target the server's base URL ({@code --target})
 * @param workload the configuration whose workload drives the server; its {@code framework}, {@code cluster} and
 *     {@code cache} sections are replaced
 * @param overrides {@code --set key=value} overrides, applied after loadgen's own (so {@code framework.request_timeout}
 *     and the other keys of the {@code remote} framework can be set)
 * @param model the served model to use; empty: the first that {@code GET /v1/models} lists
 * @param apiKey sent as {@code Authorization: Bearer}; empty for none
 * @param maxRequests requests sent at most; the run stops once they have ended
 * @param maxSeconds the run stops after this many seconds (the {@code horizon}, if the configuration's is longer)
 * @param traceName file name of the trace in the output folder ({@code .gz}: gzip)
 * @param warmupRequests requests sent before the run and left out of its results ({@link Warmup})
 */
public record LoadgenSettings(String target, Path workload, List<String> overrides, String model, String apiKey,
        OptionalLong maxRequests, OptionalDouble maxSeconds, String traceName, int warmupRequests) {

    /** The trace's default file name. */
    public static final String DEFAULT_TRACE = "trace.jsonl";

    public LoadgenSettings {
        requireNonNull(target, "target is null");
        requireNonNull(workload, "workload is null");
        overrides = List.copyOf(overrides);
        requireNonNull(model, "model is null");
        requireNonNull(apiKey, "apiKey is null");
        requireNonNull(maxRequests, "maxRequests is null");
        requireNonNull(maxSeconds, "maxSeconds is null");
        requireNonNull(traceName, "traceName is null");
        if (maxRequests.isPresent() && maxRequests.getAsLong() < 1) {
            throw ServesimException.config("--max-requests", "must be at least 1, got " + maxRequests.getAsLong());
        }
        if (maxSeconds.isPresent()) {
            ConfigValues.duration("--max-seconds", maxSeconds.getAsDouble());
        }
        if (warmupRequests < 0) {
            throw ServesimException.config("--warmup", "must be at least 0, got " + warmupRequests);
        }
        if (traceName.isBlank() || traceName.contains("/") || traceName.contains("\\") || traceName.equals(".")
                || traceName.equals("..")) {
            throw ServesimException.config("--trace", "must be a file name (written into the output folder), got '"
                    + traceName + "'");
        }
    }

    /**
     * Loadgen of {@code workload} against {@code target}, with the defaults: no limits, no key, the first model, no
     * warm-up.
     */
    public static LoadgenSettings of(String target, Path workload) {
        return new LoadgenSettings(target, workload, List.of(), "", "", OptionalLong.empty(), OptionalDouble.empty(),
                DEFAULT_TRACE, 0);
    }
}
