package dev.servesim.calibration;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.servesim.api.ErrorKind;
import dev.servesim.api.ServesimException;
import dev.servesim.engine.common.steptime.StepTimeTerm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What {@code calibrate --traces} prints and writes: the tables of median per-request APE before (shipped
 * coefficients) and after (fitted), the coefficients, the coefficients file (the engine's {@code coefficients:}
 * format, its header saying how it was fitted) and the JSON report beside it. Both files are written to temporary
 * files in the output's folder and moved into place, so an error leaves neither half-written.
 */
final class TraceCalibrationReport {

    static final String LOSS = "per trace and metric (TTFT, ITL, E2E), the mean over the trace's requests and each"
            + " concurrency group of 5 requests or more (1, 2, 3-4, 5-8, ... requests in flight at arrival) of"
            + " (|median of ln(simulated / measured) over the requests| + |ln(simulated median / measured median)|)"
            + " / 2; averaged over metrics and traces, plus the pull toward the shipped coefficients";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final List<String> LABELS = List.of("TTFT", "ITL", "E2E");

    private TraceCalibrationReport() {}

    static String holdoutTitle(String holdout) {
        return holdout.equals("leave-one-trace-out")
                ? "calibrate: held out, leave one trace out (each trace replayed with coefficients fitted on the"
                        + " others), median per-request APE %, shipped -> fitted\n"
                : "calibrate: held out, the second half of the trace's requests (in arrival order) with coefficients"
                        + " fitted on the first half, median per-request APE %, shipped -> fitted\n";
    }

    /** A Markdown table: per part of a trace, each metric's median per-request APE with the shipped and fitted sets. */
    static String table(List<TraceCalibrator.PartFigures> parts) {
        StringBuilder text = new StringBuilder("| trace | requests |");
        for (String label : LABELS) {
            text.append(' ').append(label).append(" shipped | ").append(label).append(" fitted |");
        }
        text.append("\n|---|---:|").append("---:|".repeat(2 * LABELS.size())).append('\n');
        for (TraceCalibrator.PartFigures part : parts) {
            text.append("| ").append(part.part().equals("all") ? part.trace() : part.trace() + " (" + part.part() + ")")
                    .append(" | ").append(part.requests()).append(" |");
            for (int metric = 0; metric < LABELS.size(); metric++) {
                text.append(' ').append(percent(part.before().get(metric).medianRequestApe())).append(" | ")
                        .append(percent(part.after().get(metric).medianRequestApe())).append(" |");
            }
            text.append('\n');
        }
        return text.toString();
    }

    /** The coefficients: shipped, fitted, their ratio, and why a term was pinned. */
    static String coefficients(Map<StepTimeTerm, Double> shipped, Map<StepTimeTerm, Double> fitted,
            Map<StepTimeTerm, String> pinned) {
        StringBuilder text = new StringBuilder("| coefficient | shipped | fitted | fitted / shipped |\n"
                + "|---|---:|---:|---:|\n");
        for (StepTimeTerm term : StepTimeTerm.values()) {
            String ratio = CoefficientSpace.NEVER_FITTED.contains(term) ? "not fitted"
                    : pinned.containsKey(term) ? "pinned"
                    : String.format(Locale.ROOT, "%.3f", fitted.get(term) / shipped.get(term));
            text.append(String.format(Locale.ROOT, "| %s | %.4g | %.4g | %s |%n", term.key(), shipped.get(term),
                    fitted.get(term), ratio));
        }
        return text.toString();
    }

    private static String percent(double value) {
        return Double.isFinite(value) ? String.format(Locale.ROOT, "%.1f", value) : "-";
    }

    /** Writes the coefficients file and the JSON report. */
    static void write(TraceCalibrator.Result result, TraceCalibrationOptions options,
            List<TraceReplays.Trace> traces, Map<StepTimeTerm, Double> shipped) {
        Path output = options.output().toAbsolutePath();
        Path report = result.report().toAbsolutePath();
        Path coefficientsTemporary = null;
        Path reportTemporary = null;
        try {
            Files.createDirectories(output.getParent());
            coefficientsTemporary = Files.createTempFile(output.getParent(), "." + output.getFileName(), ".tmp");
            reportTemporary = Files.createTempFile(output.getParent(), "." + report.getFileName(), ".tmp");
            long requests = traces.stream().mapToLong(TraceReplays.Trace::requests).sum();
            CoefficientSpace.write(result.coefficients(), coefficientsTemporary, header(result, options, traces),
                    String.join(", ", traces.stream().map(TraceReplays.Trace::name).toList()) + " (" + traces.size()
                            + " trace(s), " + requests + " requests), see comments");
            Files.writeString(reportTemporary, json(result, options, traces, shipped), StandardCharsets.UTF_8);
            move(reportTemporary, report);
            reportTemporary = null;
            move(coefficientsTemporary, output);
            coefficientsTemporary = null;
        } catch (IOException e) {
            throw new ServesimException(ErrorKind.IO, "cannot write " + options.output() + ": " + e.getMessage(), e);
        } finally {
            deleteQuietly(coefficientsTemporary);
            deleteQuietly(reportTemporary);
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // the error being reported matters more than a temporary file left behind
            }
        }
    }

    static List<String> header(TraceCalibrator.Result result, TraceCalibrationOptions options,
            List<TraceReplays.Trace> traces) {
        List<String> lines = new ArrayList<>();
        lines.add("Coefficients of the vllm plugin's physics step time (version 2: fixed costs and efficiencies),"
                + " fitted by servesim calibrate --traces.");
        lines.add(String.format(Locale.ROOT, "Fitted on %s, replayed with the configuration %s%s; CMA-ES, %d"
                + " evaluations, optimizer seed %d, prior weight %s (toward the shipped coefficients).",
                String.join(", ", traces.stream().map(trace -> trace.name() + " (" + trace.requests() + " requests)")
                        .toList()), options.config().getFileName(),
                options.overrides().isEmpty() ? "" : " with --set " + String.join(" --set ", options.overrides()),
                options.maxEvaluations(), options.optimizerSeed(), options.priorWeight()));
        lines.add(String.format(Locale.ROOT, "Loss: %s; final loss %.5f. See docs/fidelity.md.", LOSS,
                result.loss()));
        result.pinned().forEach((term, reason) -> lines.add("Pinned to its shipped value: " + term.key() + " ("
                + reason + ")."));
        if (result.holdout().equals("none")) {
            lines.add("Held out: none (one trace too short to split).");
        }
        for (TraceCalibrator.FoldResult fold : result.folds()) {
            for (TraceCalibrator.PartFigures part : fold.heldOut()) {
                lines.add("Held out (" + result.holdout() + "), " + summary(part));
            }
        }
        for (TraceCalibrator.PartFigures part : result.inSample()) {
            lines.add("In sample, " + summary(part));
        }
        return lines;
    }

    private static String summary(TraceCalibrator.PartFigures part) {
        StringBuilder text = new StringBuilder(part.trace());
        if (!part.part().equals("all")) {
            text.append(" (").append(part.part()).append(')');
        }
        text.append(", median per-request APE % shipped -> fitted:");
        for (int metric = 0; metric < LABELS.size(); metric++) {
            text.append(' ').append(LABELS.get(metric)).append(' ')
                    .append(percent(part.before().get(metric).medianRequestApe())).append(" -> ")
                    .append(percent(part.after().get(metric).medianRequestApe()))
                    .append(metric + 1 < LABELS.size() ? "," : ".");
        }
        return text.toString();
    }

    static String json(TraceCalibrator.Result result, TraceCalibrationOptions options,
            List<TraceReplays.Trace> traces, Map<StepTimeTerm, Double> shipped) throws JsonProcessingException {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode traceNodes = root.putArray("traces");
        for (TraceReplays.Trace trace : traces) {
            traceNodes.addObject().put("name", trace.name()).put("requests", trace.requests());
        }
        root.put("config", options.config().getFileName().toString());
        ArrayNode overrides = root.putArray("overrides");
        options.overrides().forEach(overrides::add);
        ObjectNode settings = root.putObject("settings");
        settings.put("max_evaluations", options.maxEvaluations());
        settings.put("optimizer_seed", options.optimizerSeed());
        settings.put("prior_weight", options.priorWeight());
        root.put("loss", LOSS);
        coefficients(root.putObject("shipped"), shipped);
        ObjectNode pinned = root.putObject("pinned");
        result.pinned().forEach((term, reason) -> pinned.put(term.key(), reason));
        ObjectNode holdout = root.putObject("holdout");
        holdout.put("scheme", result.holdout());
        ArrayNode folds = holdout.putArray("folds");
        for (TraceCalibrator.FoldResult fold : result.folds()) {
            ObjectNode node = folds.addObject();
            node.put("name", fold.name());
            ArrayNode fittedOn = node.putArray("fitted_on");
            fold.fittedOn().forEach(fittedOn::add);
            FidelityReport.put(node, "loss", fold.loss());
            coefficients(node.putObject("coefficients"), fold.coefficients());
            parts(node.putArray("held_out"), fold.heldOut());
        }
        ObjectNode fit = root.putObject("fit");
        FidelityReport.put(fit, "loss", result.loss());
        coefficients(fit.putObject("coefficients"), result.coefficients());
        parts(root.putArray("in_sample"), result.inSample());
        return JSON.writeValueAsString(root) + "\n";
    }

    private static void coefficients(ObjectNode node, Map<StepTimeTerm, Double> values) {
        for (StepTimeTerm term : StepTimeTerm.values()) {
            FidelityReport.put(node, term.key(), values.get(term));
        }
    }

    private static void parts(ArrayNode array, List<TraceCalibrator.PartFigures> parts) {
        for (TraceCalibrator.PartFigures part : parts) {
            ObjectNode node = array.addObject();
            node.put("trace", part.trace());
            node.put("part", part.part());
            node.put("requests", part.requests());
            ArrayNode metrics = node.putArray("metrics");
            for (int metric = 0; metric < part.before().size(); metric++) {
                TraceScore before = part.before().get(metric);
                TraceScore after = part.after().get(metric);
                ObjectNode entry = metrics.addObject();
                entry.put("metric", before.metric());
                entry.put("compared", after.compared());
                FidelityReport.put(entry, "measured_p50_ms", before.measuredMedianMs());
                score(entry.putObject("shipped"), before);
                score(entry.putObject("fitted"), after);
            }
        }
    }

    private static void score(ObjectNode node, TraceScore score) {
        FidelityReport.put(node, "simulated_p50_ms", score.simulatedMedianMs());
        FidelityReport.put(node, "ape_of_medians", score.apeOfMedians());
        FidelityReport.put(node, "median_request_ape", score.medianRequestApe());
    }
}
