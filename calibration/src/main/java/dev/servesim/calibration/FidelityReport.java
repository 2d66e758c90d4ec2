package dev.servesim.calibration;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.servesim.api.ErrorKind;
import dev.servesim.api.ServesimException;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;

/** Renders a {@link FidelityResult}: the printed tables, {@code fidelity.json} and {@code fidelity.csv}. */
public final class FidelityReport {

    public static final String JSON_FILE = "fidelity.json";
    public static final String CSV_FILE = "fidelity.csv";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private FidelityReport() {}

    /**
     * Per run and metric: predicted, actual, APE; then the APE summary per run and the aggregates; then the saturation
     * check.
     */
    public static String table(FidelityResult result) {
        StringBuilder text = new StringBuilder();
        text.append(String.format(Locale.ROOT, "%-16s %-9s %12s %12s %8s %8s%n", "run", "metric", "predicted_ms",
                "actual_ms", "ape_%", "pe_%"));
        for (RunOutcome outcome : result.outcomes()) {
            if (outcome instanceof RunOutcome.Evaluated run) {
                double[] predicted = run.predicted().values();
                double[] actual = run.spec().actual().values();
                double[] ape = run.ape();
                double[] pe = run.pe();
                for (int m = 0; m < predicted.length; m++) {
                    text.append(String.format(Locale.ROOT, "%-16s %-9s %12.2f %12.2f %8.1f %+8.1f%n",
                            m == 0 ? run.runId() : "", Metrics.NAMES.get(m), predicted[m], actual[m], ape[m], pe[m]));
                }
            } else if (outcome instanceof RunOutcome.Skipped skipped) {
                text.append(String.format(Locale.ROOT, "%-16s skipped: %s%n", skipped.runId(), skipped.reason()));
            }
        }
        text.append(System.lineSeparator()).append(apeTable(result));
        text.append(System.lineSeparator()).append(saturationTable(result));
        return text.toString();
    }

    /**
     * One line per run: its stage rates (a {@code *} marks a stage above the sustainable rate), the simulated
     * sustainable rate, the highest stage rate as a percentage of it, simulated over measured TTFT mean and the
     * {@link Saturation} flag (Markdown); then the counts.
     */
    public static String saturationTable(FidelityResult result) {
        StringBuilder text = new StringBuilder("saturation check (sustainable rate: completion rate of the simulated"
                + " server under a backlog; * stage above it)\n");
        text.append("| run | model | stage rates (req/s) | sustainable (req/s) | peak load % | ttft_mean sim/real |"
                + " saturation |\n|---|---|---|---:|---:|---:|---|\n");
        StringBuilder notes = new StringBuilder();
        for (RunOutcome outcome : result.outcomes()) {
            if (outcome instanceof RunOutcome.Evaluated run) {
                List<Double> rates = run.spec().stageRates();
                List<Boolean> above = run.stagesAboveSustainableRate().orElse(List.of());
                StringBuilder stages = new StringBuilder();
                for (int i = 0; i < rates.size(); i++) {
                    stages.append(i == 0 ? "" : ", ").append(rate(rates.get(i)))
                            .append(i < above.size() && above.get(i) ? "*" : "");
                }
                double sustainable = run.sustainableRate().map(SustainableRate::requestsPerSecond).orElse(Double.NaN);
                double peak = rates.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
                text.append("| ").append(run.runId()).append(" | ").append(shortModel(run.spec().model()))
                        .append(" | ").append(stages).append(" | ").append(format(sustainable, 2)).append(" | ")
                        .append(format(peak / sustainable * 100, 0)).append(" | ")
                        .append(format(run.predicted().ttftMeanMs() / run.spec().actual().ttftMeanMs(), 2))
                        .append(" | ").append(run.saturation().key()).append(" |\n");
                if (run.sustainableRate().isEmpty()) {
                    run.sustainableRateNote().filter(note -> !note.equals(RunOutcome.NOT_MEASURED)).ifPresent(note ->
                            notes.append("run ").append(run.runId()).append(": no sustainable rate: ").append(note)
                                    .append('\n'));
                }
            } else {
                text.append("| ").append(outcome.runId()).append(" | skipped | | | | | |\n");
            }
        }
        Aggregates aggregates = result.aggregates();
        long measured = result.outcomes().stream().filter(outcome -> outcome instanceof RunOutcome.Evaluated run
                && run.sustainableRate().isPresent()).count();
        text.append('\n').append(notes);
        text.append(String.format(Locale.ROOT, "false saturations %d, missed saturations %d (simulated and measured"
                        + " TTFT mean more than %.0fx apart); ", aggregates.falseSaturations(),
                aggregates.missedSaturations(), Saturation.TTFT_FACTOR));
        text.append(measured == 0 ? "sustainable rate not measured" : String.format(Locale.ROOT,
                "runs with a stage above the sustainable rate %d of %d measured", aggregates.runsAboveSustainableRate(),
                measured)).append(System.lineSeparator());
        return text.toString();
    }

    /** A rate as short as it is exact: {@code 2.5}, {@code 6}. */
    private static String rate(double value) {
        return new BigDecimal(Double.toString(value)).stripTrailingZeros().toPlainString();
    }

    /** One line per run: its seven APEs, their median and the KV capacity comparison (Markdown). */
    public static String apeTable(FidelityResult result) {
        StringBuilder text = new StringBuilder("| run | model | ");
        Metrics.NAMES.forEach(name -> text.append(name).append(" | "));
        text.append("median | KV blocks (run) | KV derived | KV diff % |\n|---|---|");
        text.append("---:|".repeat(Metrics.NAMES.size() + 4)).append('\n');
        for (RunOutcome outcome : result.outcomes()) {
            if (outcome instanceof RunOutcome.Evaluated run) {
                text.append("| ").append(run.runId()).append(" | ").append(shortModel(run.spec().model())).append(" | ");
                for (double ape : run.ape()) {
                    text.append(format(ape, 1)).append(" | ");
                }
                text.append(format(run.medianApe(), 1)).append(" | ")
                        .append(run.spec().totalKvBlocks().isPresent() ? run.spec().totalKvBlocks().getAsLong() : "")
                        .append(" | ")
                        .append(run.derivedGpuBlocks().isPresent() ? run.derivedGpuBlocks().getAsLong() : "")
                        .append(" | ").append(run.kvCapacityErrorPercent().map(e -> format(e, 1)).orElse(""))
                        .append(" |\n");
            } else {
                text.append("| ").append(outcome.runId()).append(" | skipped: ")
                        .append(((RunOutcome.Skipped) outcome).reason().replace('|', '/')).append(" |\n");
            }
        }
        Aggregates aggregates = result.aggregates();
        text.append("| **median APE** (").append(aggregates.runsCovered()).append(" of ").append(aggregates.runsTotal())
                .append(" runs) | | ");
        aggregates.medianApeByMetric().forEach(ape -> text.append(format(ape, 1)).append(" | "));
        text.append(format(aggregates.medianPerRunApe(), 1)).append(" | | | |\n\n");
        text.append(String.format(Locale.ROOT, "median per-run APE %.1f%% (IQR %.1f-%.1f), max E2E-mean APE %.1f%%,"
                        + " runs covered %d of %d%n", aggregates.medianPerRunApe(), aggregates.perRunApeP25(),
                aggregates.perRunApeP75(), aggregates.maxE2eMeanApe(), aggregates.runsCovered(),
                aggregates.runsTotal()));
        return text.toString();
    }

    /** Writes {@code fidelity.json} and {@code fidelity.csv} into {@code folder} (created if missing). */
    public static List<Path> write(FidelityResult result, Path runsFile, Path folder) {
        try {
            Files.createDirectories(folder);
            Path json = folder.resolve(JSON_FILE);
            Path csv = folder.resolve(CSV_FILE);
            replace(json, JSON.writeValueAsString(FidelityJson.of(result, runsFile, JSON)) + "\n");
            replace(csv, FidelityCsv.of(result));
            return List.of(json, csv);
        } catch (IOException e) {
            throw new ServesimException(ErrorKind.IO, "cannot write into " + folder + ": " + e.getMessage(), e);
        }
    }

    static String shortModel(String model) {
        int slash = model.lastIndexOf('/');
        return slash < 0 ? model : model.substring(slash + 1);
    }

    static String format(double value, int decimals) {
        return Double.isFinite(value) ? String.format(Locale.ROOT, "%." + decimals + "f", value) : "";
    }

    private static void replace(Path target, String content) throws IOException {
        Path partial = target.resolveSibling(target.getFileName() + ".partial");
        Files.writeString(partial, content);
        Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Used by {@link FidelityJson}: a JSON number, or null when not finite. */
    static void put(ObjectNode node, String key, double value) {
        if (Double.isFinite(value)) {
            node.put(key, value);
        } else {
            node.putNull(key);
        }
    }
}
