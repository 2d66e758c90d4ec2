package dev.servesim.planner;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.servesim.api.ErrorKind;
import dev.servesim.api.ServesimException;
import dev.servesim.api.metrics.RunSummary;
import dev.servesim.loadgen.Loadgen;
import dev.servesim.loadgen.LoadgenResult;
import dev.servesim.loadgen.LoadgenSettings;
import dev.servesim.runner.RunControl;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The closed loop ({@code servesim plan --verify URL}): for each of the top K deployments that meet the objectives,
 * the server at URL - one replica of it, as deployed - is driven by {@code servesim loadgen} with the plan's workload at
 * that deployment's load per replica (its rate / its replicas, same seed), and one replica of the deployment is
 * simulated at the same load; measured and predicted figures are set side by side.
 */
public final class Verification {

    /** The figures compared, besides the objectives'. */
    static final List<String> FIGURES = List.of("ttft_p50", "ttft_p99", "tpot_p50", "tpot_p99", "e2e_p50");
    /** The file the comparison is written to, in the plan's folder. */
    public static final String FILE = "verify.json";

    private Verification() {}

    /**
     * One deployment's check.
     *
     * @param candidate the deployment's name
     * @param ratePerReplica the load sent, per replica
     * @param figures per figure key ({@code ttft_p99}, ...): predicted and measured, milliseconds
     * @param measuredRequests requests the server completed
     * @param folder loadgen's output folder (its trace, summary and report)
     */
    public record Check(String candidate, double ratePerReplica, Map<String, double[]> figures,
            long measuredRequests, Path folder) {

        /** Absolute percentage error of the prediction for {@code key}. */
        public double ape(String key) {
            double[] pair = figures.get(key);
            return pair == null || !(pair[1] > 0) ? Double.NaN : 100 * Math.abs(pair[0] - pair[1]) / pair[1];
        }
    }

    /** Verifies the {@code top} cheapest meeting deployments of {@code plan} against {@code url}. */
    public static List<Check> run(Planner planner, Plan plan, String url, int top, RunControl control) {
        requireNonNull(url, "url is null");
        if (top < 1) {
            throw new ServesimException(ErrorKind.CONFIG, "--verify-top: must be at least 1, got " + top);
        }
        PlanRequest request = plan.request();
        List<Check> checks = new ArrayList<>();
        List<Outcome> ranked = plan.ranked();
        for (Outcome outcome : ranked.subList(0, Math.min(top, ranked.size()))) {
            if (control.stopRequested()) {
                break;
            }
            Evaluation point = outcome.result();
            double perReplica = Runs.rounded(point.rate() / point.replicas());
            List<String> assignments = outcome.assignments().stream()
                    .filter(assignment -> !assignment.startsWith(SearchSpace.REPLICAS_KEY + "=")).toList();
            Evaluation predicted = planner.runs().run(assignments, 1, perReplica, point.seed());
            List<String> overrides = new ArrayList<>();
            for (String override : request.overrides()) {
                if (workloadOnly(override)) {
                    overrides.add(override);
                }
            }
            for (String assignment : assignments) {
                if (workloadOnly(assignment)) {
                    overrides.add(assignment);
                }
            }
            overrides.add(request.rateKey() + "=" + Runs.text(perReplica));
            overrides.add("seed=" + point.seed());
            Path folder = request.out().resolve("verify").resolve(Runs.folderName(outcome.assignments()));
            LoadgenSettings settings = new LoadgenSettings(url, request.config(), overrides, "", "",
                    java.util.OptionalLong.empty(), java.util.OptionalDouble.empty(), LoadgenSettings.DEFAULT_TRACE,
                    0);
            LoadgenResult measured = Loadgen.prepare(settings).run(folder, control);
            checks.add(new Check(outcome.name(), perReplica, figures(request, predicted.summary(),
                    measured.run().summary()), measured.run().summary().requests().completed(), folder));
        }
        write(request.out().resolve(FILE), url, checks);
        return checks;
    }

    /** Whether a {@code --set} or search assignment is about the workload or the run, not the deployment. */
    private static boolean workloadOnly(String assignment) {
        String key = assignment.substring(0, Math.max(0, assignment.indexOf('=')));
        return !(key.equals("framework") || key.startsWith("framework.") || key.equals("cluster")
                || key.startsWith("cluster.") || key.equals("cache") || key.startsWith("cache.")
                || key.equals("sinks") || key.startsWith("sinks."));
    }

    private static Map<String, double[]> figures(PlanRequest request, RunSummary predicted, RunSummary measured) {
        LinkedHashSet<String> keys = new LinkedHashSet<>(request.slo().keys());
        keys.addAll(FIGURES);
        Map<String, double[]> figures = new LinkedHashMap<>();
        for (String key : keys) {
            figures.put(key, new double[] {PlanSlo.figureMs(predicted, key), PlanSlo.figureMs(measured, key)});
        }
        return figures;
    }

    private static void write(Path file, String url, List<Check> checks) {
        JsonMapper json = JsonMapper.builder().build();
        ObjectNode root = json.createObjectNode();
        root.put("target", url);
        ArrayNode list = root.putArray("checks");
        for (Check check : checks) {
            ObjectNode node = list.addObject();
            node.put("candidate", check.candidate());
            node.put("rate_per_replica", check.ratePerReplica());
            node.put("measured_requests", check.measuredRequests());
            node.put("folder", file.getParent().relativize(check.folder()).toString());
            ObjectNode figures = node.putObject("figures");
            check.figures().forEach((key, pair) -> {
                ObjectNode figure = figures.putObject(key + "_ms");
                PlanWriter.number(figure, "predicted", pair[0]);
                PlanWriter.number(figure, "measured", pair[1]);
                PlanWriter.number(figure, "ape_percent", check.ape(key));
            });
        }
        try {
            PlanWriter.writeAtomically(file, json.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n");
        } catch (JsonProcessingException e) {
            throw new ServesimException(ErrorKind.IO, "cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    /** The checks as a console table: one line per deployment and figure. */
    public static String table(List<Check> checks) {
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "%-14s %12s %12s %8s%n", "figure",
                "predicted ms", "measured ms", "APE"));
        for (Check check : checks) {
            text.append(String.format(Locale.ROOT, "%s at %s/s per replica (%d requests measured)%n",
                    check.candidate(), Runs.text(check.ratePerReplica()), check.measuredRequests()));
            check.figures().forEach((key, pair) -> text.append(String.format(Locale.ROOT,
                    "  %-12s %12.1f %12.1f %7.1f%%%n", PlanSlo.label(key), pair[0], pair[1], check.ape(key))));
        }
        return text.toString();
    }
}
