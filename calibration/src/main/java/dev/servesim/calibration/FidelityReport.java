package dev.servesim.calibration;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.servesim.api.ErrorKind;
import dev.servesim.api.ServesimException;
import java.io.IOException;
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

    /** Per run and metric: predicted, actual, APE; then the APE summary per run and the aggregates. */
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
        return text.toString();
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
