package dev.servesim.cli;

import dev.servesim.planner.Outcome;
import dev.servesim.planner.Plan;
import dev.servesim.planner.PlanSlo;
import dev.servesim.planner.Saturation;
import dev.servesim.runner.Variation;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The plan's table on the console: one row per candidate. */
final class PlanTable {

    private PlanTable() {}

    static void print(PrintWriter out, Plan plan) {
        List<String> keys = plan.request().slo().keys();
        List<Variation> dimensions = plan.request().space().dimensions();
        List<String> header = new ArrayList<>();
        header.add("");
        if (dimensions.isEmpty()) {
            header.add("candidate");
        }
        dimensions.forEach(dimension -> header.add(dimension.key().substring(dimension.key().lastIndexOf('.') + 1)));
        header.addAll(List.of("status", "replicas", "GPUs", "rate", "$/h", "$/M out"));
        keys.forEach(key -> header.add(PlanSlo.label(key) + " ms"));
        header.add("saturates/replica");
        header.add("limit");
        List<List<String>> rows = new ArrayList<>();
        List<Outcome> front = plan.pareto();
        boolean flagged = false;
        for (Outcome outcome : plan.outcomes()) {
            List<String> row = new ArrayList<>();
            boolean outside = !outcome.calibration().isEmpty();
            flagged |= outside;
            row.add((front.contains(outcome) ? "*" : "") + (outside ? "!" : ""));
            if (dimensions.isEmpty()) {
                row.add(outcome.name());
            }
            for (Variation dimension : dimensions) {
                row.add(outcome.assignments().stream().filter(assignment -> assignment.startsWith(dimension.key() + "="))
                        .map(assignment -> assignment.substring(dimension.key().length() + 1)).findFirst().orElse(""));
            }
            row.add(outcome.status().label());
            row.add(outcome.replicas() == 0 ? "-" : Integer.toString(outcome.replicas()));
            row.add(outcome.gpus() == 0 ? "-" : Integer.toString(outcome.gpus()));
            row.add(number(outcome.rate(), "%.3g"));
            row.add(number(outcome.usdPerHour(), "%.2f"));
            row.add(number(outcome.usdPerMillionOutputTokens(), "%.3f"));
            for (String key : keys) {
                double[] band = outcome.band().get(key);
                String figure = number(outcome.figureMs(key), "%.0f");
                if (band != null && band[1] > band[0]) {
                    figure += String.format(Locale.ROOT, " (%.0f-%.0f)", band[0], band[1]);
                }
                row.add(figure);
            }
            Saturation saturation = outcome.saturation();
            row.add(saturation == null ? "-" : number(saturation.ratePerReplica(), "%.3g"));
            row.add(saturation == null ? "-" : saturation.limit());
            rows.add(row);
        }
        int[] widths = new int[header.size()];
        for (int i = 0; i < header.size(); i++) {
            widths[i] = header.get(i).length();
            for (List<String> row : rows) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        // figures right-aligned: from replicas to the saturation rate
        boolean[] numeric = new boolean[header.size()];
        for (int i = header.indexOf("replicas"); i < header.size() - 1; i++) {
            numeric[i] = true;
        }
        out.println(line(header, widths, numeric));
        rows.forEach(row -> out.println(line(row, widths, numeric)));
        out.println("* on the cost-latency Pareto front; figures at the operating point, (low-high) over "
                + plan.request().seeds() + " seeds; ~ with the step-time coefficients at the ends of their fitted "
                + "intervals" + (flagged ? "; ! outside the calibrated range:" : ""));
        for (Outcome outcome : plan.outcomes()) {
            if (!outcome.calibration().isEmpty()) {
                out.println("  ! " + outcome.name() + ": " + outcome.calibration());
            }
        }
        for (Outcome outcome : plan.outcomes()) {
            if (outcome.status() == Outcome.Status.MEETS && !outcome.modelBand().isEmpty()) {
                List<String> ranges = new ArrayList<>();
                for (String key : keys) {
                    double[] range = outcome.modelBand().get(key);
                    ranges.add(String.format(Locale.ROOT, "%s %.0f-%.0f ms", PlanSlo.label(key), range[0], range[1]));
                }
                out.println("  ~ " + outcome.name() + ": " + String.join(", ", ranges));
            }
        }
        for (Outcome outcome : plan.outcomes()) {
            if (!outcome.reason().isEmpty() && outcome.status() != Outcome.Status.MEETS) {
                out.println("  " + outcome.name() + ": " + outcome.reason());
            }
        }
    }

    static String describe(Outcome outcome) {
        return String.format(Locale.ROOT, "%s: %d replicas x %d %s GPUs (%d GPUs)%s", outcome.name(),
                outcome.replicas(), outcome.gpusPerReplica(), outcome.gpu(), outcome.gpus(),
                Double.isNaN(outcome.usdPerHour()) ? "" : String.format(Locale.ROOT, ", $%.2f/h, $%.3f per M output"
                        + " tokens", outcome.usdPerHour(), outcome.usdPerMillionOutputTokens()));
    }

    private static String number(double value, String format) {
        return Double.isFinite(value) ? String.format(Locale.ROOT, format, value) : "-";
    }

    private static String line(List<String> cells, int[] widths, boolean[] numeric) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            String cell = cells.get(i);
            line.append(!numeric[i] ? String.format("%-" + widths[i] + "s", cell) : String.format("%" + widths[i] + "s",
                    cell));
            if (i < cells.size() - 1) {
                line.append("  ");
            }
        }
        return line.toString().stripTrailing();
    }
}
