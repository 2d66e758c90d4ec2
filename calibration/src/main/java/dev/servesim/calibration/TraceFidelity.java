package dev.servesim.calibration;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.servesim.api.ErrorKind;
import dev.servesim.api.ServesimException;
import dev.servesim.runner.PluginRegistry;
import dev.servesim.runner.RunConfiguration;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code servesim fidelity --trace TRACE --config CONFIG}: replays a recorded trace (vllm-vcr format: arrivals,
 * prompts by their block hashes, output lengths) open loop in the simulator configured by CONFIG, and compares the
 * measured and simulated TTFT, ITL (each request's mean gap between output chunks) and E2E, in aggregate (median,
 * mean, p90, p99) and request by request, matched by arrival rank ({@link TraceReplay}); a request the replay did not
 * complete is left out.
 */
public final class TraceFidelity {

    /** The comparison of one run. */
    public static final String JSON_FILE = "trace-fidelity.json";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** Measured against simulated, for one metric. */
    public record Row(String metric, double[] measured, double[] simulated, double medianRequestApe) {

        double ape(double q) {
            return Stats.ape(Stats.quantile(simulated, q), Stats.quantile(measured, q));
        }

        /** APE of the medians: how far the simulated median is from the measured one, in percent. */
        public double medianApe() {
            return ape(0.5);
        }

        /** APE of the means, in percent. */
        public double meanApe() {
            return Stats.ape(mean(simulated), mean(measured));
        }
    }

    /** What a replay gave: rows per metric, requests compared, where the simulated run is. */
    public record Result(List<Row> rows, int measuredRequests, int simulatedRequests, int compared, Path replay) {

        /**
         * The run's median APE by the rule of the calibration data's README: the median of its 7 APEs, TTFT and E2E
         * mean, p90 and p99, and ITL mean.
         */
        public double runApe() {
            List<Double> apes = new ArrayList<>();
            for (Row row : rows) {
                apes.add(row.meanApe());
                if (!row.metric().equals("itl_ms")) {
                    apes.add(row.ape(0.9));
                    apes.add(row.ape(0.99));
                }
            }
            return Stats.median(array(apes));
        }
    }

    private final PluginRegistry registry;

    public TraceFidelity(PluginRegistry registry) {
        this.registry = registry;
    }

    /** Replays {@code trace} with {@code config} (and {@code overrides}) into {@code out}, and compares. */
    public Result run(Path trace, Path config, List<String> overrides, Path out) {
        List<MeasuredTrace.Measured> measured = MeasuredTrace.read(trace);
        RunConfiguration configuration = TraceReplay.configuration(registry, trace, config, overrides, "[json, csv]");
        Path replay = out.resolve("replay");
        TraceReplay.Simulated simulated = TraceReplay.run(configuration, replay, measured.size());
        int compared = 0;
        for (int k = 0; k < measured.size(); k++) {
            if (!Double.isNaN(simulated.value(0, k))) {
                compared++;
            }
        }
        List<Row> rows = new ArrayList<>();
        for (int metric = 0; metric < TraceReplay.METRICS.size(); metric++) {
            rows.add(row(metric, measured, simulated));
        }
        Result result = new Result(List.copyOf(rows), measured.size(), simulated.completed(), compared, replay);
        write(result, out.resolve(JSON_FILE));
        return result;
    }

    private static Row row(int metric, List<MeasuredTrace.Measured> measured, TraceReplay.Simulated simulated) {
        List<Double> measuredValues = new ArrayList<>();
        List<Double> simulatedValues = new ArrayList<>();
        List<Double> apes = new ArrayList<>();
        for (int k = 0; k < measured.size(); k++) {
            double real = TraceReplay.measured(measured.get(k), metric);
            double simulatedValue = simulated.value(metric, k);
            if (Double.isNaN(real) || Double.isNaN(simulatedValue)) {
                continue;
            }
            measuredValues.add(real);
            simulatedValues.add(simulatedValue);
            if (real > 0) {
                apes.add(Stats.ape(simulatedValue, real));
            }
        }
        return new Row(TraceReplay.METRICS.get(metric), array(measuredValues), array(simulatedValues),
                Stats.median(array(apes)));
    }

    private static double[] array(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** The comparison as a table: per metric the measured and simulated median, mean, p90 and p99, and the APEs. */
    public static String table(Result result) {
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT,
                "%d measured requests, %d simulated, %d compared in arrival order%n", result.measuredRequests(),
                result.simulatedRequests(), result.compared()));
        text.append(String.format(Locale.ROOT, "%-8s %12s %12s %9s %9s %9s %9s %14s%n", "metric", "measured p50",
                "simulated", "APE p50", "APE mean", "APE p90", "APE p99", "per-request"));
        for (Row row : result.rows()) {
            text.append(String.format(Locale.ROOT, "%-8s %12.2f %12.2f %8.1f%% %8.1f%% %8.1f%% %8.1f%% %13.1f%%%n",
                    row.metric(), Stats.median(row.measured()), Stats.median(row.simulated()), row.medianApe(),
                    row.meanApe(), row.ape(0.9), row.ape(0.99), row.medianRequestApe()));
        }
        text.append("(APE: |simulated - measured| / measured; per-request: the median of the requests' APEs)\n");
        return text.append(String.format(Locale.ROOT, "run APE %.1f%% (the median of TTFT and E2E mean, p90 and p99, "
                + "and ITL mean APEs)%n", result.runApe())).toString();
    }

    private static double mean(double[] values) {
        double sum = 0;
        for (double value : values) {
            sum += value;
        }
        return values.length == 0 ? Double.NaN : sum / values.length;
    }

    private static void write(Result result, Path file) {
        ObjectNode root = JSON.createObjectNode();
        root.put("measured_requests", result.measuredRequests());
        root.put("simulated_requests", result.simulatedRequests());
        root.put("compared", result.compared());
        FidelityReport.put(root, "run_ape", result.runApe());
        ArrayNode rows = root.putArray("metrics");
        for (Row row : result.rows()) {
            ObjectNode node = rows.addObject();
            node.put("metric", row.metric());
            FidelityReport.put(node, "measured_p50", Stats.median(row.measured()));
            FidelityReport.put(node, "simulated_p50", Stats.median(row.simulated()));
            FidelityReport.put(node, "measured_mean", mean(row.measured()));
            FidelityReport.put(node, "simulated_mean", mean(row.simulated()));
            FidelityReport.put(node, "ape_p50", row.medianApe());
            FidelityReport.put(node, "ape_mean", row.meanApe());
            FidelityReport.put(node, "ape_p90", row.ape(0.9));
            FidelityReport.put(node, "ape_p99", row.ape(0.99));
            FidelityReport.put(node, "median_request_ape", row.medianRequestApe());
        }
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, JSON.writeValueAsString(root) + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ServesimException(ErrorKind.IO, "cannot write " + file + ": " + e.getMessage(),
                    e);
        }
    }
}
