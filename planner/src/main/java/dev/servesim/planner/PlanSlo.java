package dev.servesim.planner;

import static java.util.Objects.requireNonNull;

import dev.servesim.api.ErrorKind;
import dev.servesim.api.ServesimException;
import dev.servesim.api.metrics.LatencyStats;
import dev.servesim.api.metrics.RunSummary;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The objectives of a plan ({@code --slo ttft_p99=0.5,tpot_p99=0.05}): latency statistics of the whole run, each at
 * most a threshold in seconds. A run also has to keep up with its load: at most {@value #MAX_LOST_SHARE} of its
 * requests may be rejected or still unfinished when it ends, since a saturated run's percentiles cover only
 * the requests it got to.
 *
 * @param thresholds statistic key ({@code ttft_p99}, {@code tpot_mean}, ...) to seconds, in the order given
 */
public record PlanSlo(Map<String, Double> thresholds) {

    /** Largest share of measured requests a run that meets the SLOs may leave rejected or unfinished. */
    public static final double MAX_LOST_SHARE = 0.01;

    private static final List<String> METRICS = List.of("ttft", "tpot", "itl", "e2e");
    private static final List<String> STATISTICS = List.of("p50", "p90", "p95", "p99", "mean", "max");

    public PlanSlo {
        requireNonNull(thresholds, "thresholds is null");
        if (thresholds.isEmpty()) {
            throw new ServesimException(ErrorKind.CONFIG, "--slo: give at least one objective, e.g. ttft_p99=0.5");
        }
        thresholds = Collections.unmodifiableMap(new LinkedHashMap<>(thresholds));
    }

    /** Parses {@code key=seconds,...}; a value may end in {@code ms} or {@code s}. */
    public static PlanSlo parse(String text) {
        requireNonNull(text, "text is null");
        Map<String, Double> thresholds = new LinkedHashMap<>();
        for (String part : text.split(",")) {
            String item = part.trim();
            int equals = item.indexOf('=');
            if (equals <= 0) {
                throw new ServesimException(ErrorKind.CONFIG, "--slo " + text + ": expected key=seconds,..., e.g. "
                        + "ttft_p99=0.5,tpot_p99=0.05");
            }
            String key = item.substring(0, equals).trim().toLowerCase(Locale.ROOT);
            checkKey(key);
            double seconds = seconds(key, item.substring(equals + 1).trim());
            if (thresholds.put(key, seconds) != null) {
                throw new ServesimException(ErrorKind.CONFIG, "--slo: " + key + " is given twice");
            }
        }
        return new PlanSlo(thresholds);
    }

    private static void checkKey(String key) {
        int underscore = key.indexOf('_');
        if (underscore < 0 || !METRICS.contains(key.substring(0, underscore))
                || !STATISTICS.contains(key.substring(underscore + 1))) {
            throw new ServesimException(ErrorKind.CONFIG, "--slo: unknown objective '" + key + "'; expected "
                    + String.join("|", METRICS) + " _ " + String.join("|", STATISTICS) + ", e.g. ttft_p99");
        }
    }

    private static double seconds(String key, String value) {
        double scale = 1;
        String number = value;
        if (value.endsWith("ms")) {
            scale = 1e-3;
            number = value.substring(0, value.length() - 2);
        } else if (value.endsWith("s")) {
            number = value.substring(0, value.length() - 1);
        }
        double seconds;
        try {
            seconds = Double.parseDouble(number.trim()) * scale;
        } catch (NumberFormatException e) {
            seconds = Double.NaN;
        }
        if (!(seconds > 0) || Double.isInfinite(seconds)) {
            throw new ServesimException(ErrorKind.CONFIG, "--slo: " + key + " must be a positive number of seconds"
                    + " (or end in ms), got '" + value + "'");
        }
        return seconds;
    }

    /** The keys, e.g. {@code ttft_p99}, in the order given. */
    public List<String> keys() {
        return List.copyOf(thresholds.keySet());
    }

    /** The statistic {@code key} of a run, in milliseconds (NaN if the run has no such sample). */
    public static double figureMs(RunSummary summary, String key) {
        int underscore = key.indexOf('_');
        LatencyStats stats = switch (key.substring(0, underscore)) {
            case "ttft" -> summary.latencyMs().ttft();
            case "tpot" -> summary.latencyMs().tpot();
            case "itl" -> summary.latencyMs().itl();
            case "e2e" -> summary.latencyMs().e2e();
            default -> throw new IllegalArgumentException("unknown metric in " + key);
        };
        return switch (key.substring(underscore + 1)) {
            case "p50" -> stats.p50();
            case "p90" -> stats.p90();
            case "p95" -> stats.p95();
            case "p99" -> stats.p99();
            case "mean" -> stats.mean();
            case "max" -> stats.max();
            default -> throw new IllegalArgumentException("unknown statistic in " + key);
        };
    }

    /**
     * What a run misses, one phrase each in the order of the objectives (then the requests it lost): empty when it
     * meets every objective.
     */
    public List<String> violations(RunSummary summary) {
        List<String> violations = new ArrayList<>();
        for (Map.Entry<String, Double> objective : thresholds.entrySet()) {
            double figure = figureMs(summary, objective.getKey());
            double limit = objective.getValue() * 1000;
            // a statistic without samples (no request finished) fails: nothing shows the objective is met
            if (Double.isNaN(figure) || figure > limit) {
                violations.add(String.format(Locale.ROOT, "%s %s ms > %s ms", label(objective.getKey()),
                        Double.isNaN(figure) ? "-" : String.format(Locale.ROOT, "%.0f", figure),
                        String.format(Locale.ROOT, "%.0f", limit)));
            }
        }
        RunSummary.Requests requests = summary.requests();
        long measured = requests.arrived();
        long lost = requests.rejected() + requests.unfinished();
        if (measured <= 0 || lost > MAX_LOST_SHARE * measured) {
            violations.add(String.format(Locale.ROOT, "%d of %d requests rejected or unfinished (the load is not "
                    + "kept up with)", lost, Math.max(0, measured)));
        }
        return violations;
    }

    /** The run's own goodput objectives: the strictest TTFT and TPOT thresholds of the plan, per request. */
    public Double ttftSeconds() {
        return strictest("ttft");
    }

    /** As {@link #ttftSeconds()} for TPOT. */
    public Double tpotSeconds() {
        return strictest("tpot");
    }

    private Double strictest(String metric) {
        Double strictest = null;
        for (Map.Entry<String, Double> objective : thresholds.entrySet()) {
            if (objective.getKey().startsWith(metric + "_")
                    && (strictest == null || objective.getValue() < strictest)) {
                strictest = objective.getValue();
            }
        }
        return strictest;
    }

    /** {@code ttft_p99} as {@code TTFT p99}. */
    public static String label(String key) {
        int underscore = key.indexOf('_');
        return key.substring(0, underscore).toUpperCase(Locale.ROOT) + " " + key.substring(underscore + 1);
    }

    /** {@code ttft_p99=500ms, tpot_p99=50ms}. */
    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        thresholds.forEach((key, seconds) -> parts.add(label(key) + " <= "
                + String.format(Locale.ROOT, "%.0f ms", seconds * 1000)));
        return String.join(", ", parts);
    }
}
