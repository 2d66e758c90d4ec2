package dev.servesim.cli;

import dev.servesim.runner.Comparison;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The aligned table {@code servesim compare} prints; the best value of each column is marked with {@code *}. */
final class ComparisonTable {

    private ComparisonTable() {}

    static void print(PrintWriter out, List<Comparison.Variant> variants) {
        List<String[]> rows = new ArrayList<>();
        String[] header = new String[Comparison.COLUMNS.size() + 1];
        header[0] = "variant";
        for (int c = 0; c < Comparison.COLUMNS.size(); c++) {
            header[c + 1] = Comparison.COLUMNS.get(c).header();
        }
        rows.add(header);
        List<List<Integer>> best = new ArrayList<>();
        for (Comparison.Column column : Comparison.COLUMNS) {
            best.add(Comparison.best(variants, column));
        }
        for (int v = 0; v < variants.size(); v++) {
            String[] row = new String[header.length];
            row[0] = variants.get(v).name();
            for (int c = 0; c < best.size(); c++) {
                Comparison.Column column = Comparison.COLUMNS.get(c);
                double value = Comparison.value(variants.get(v).result().summary(), column);
                row[c + 1] = format(column, value) + (best.get(c).contains(v) ? "*" : " ");
            }
            rows.add(row);
        }
        int[] widths = new int[header.length];
        for (String[] row : rows) {
            for (int c = 0; c < row.length; c++) {
                widths[c] = Math.max(widths[c], row[c].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < row.length; c++) {
                String cell = c == 0 ? pad(row[c], widths[c], true) : pad(row[c], widths[c], false);
                line.append(c == 0 ? "" : "  ").append(cell);
            }
            out.println(line.toString().stripTrailing());
        }
        out.println("(* best of the column; no mark where all variants are equal)");
        out.flush();
    }

    static String format(Comparison.Column column, double value) {
        if (Double.isNaN(value)) {
            return "-";
        }
        return switch (column.key()) {
            case "goodput_share", "token_hit_rate", "prefill_busy_fraction", "decode_busy_fraction" ->
                    String.format(Locale.ROOT, "%.1f%%", 100 * value);
            case "preemptions" -> String.format(Locale.ROOT, "%,d", (long) value);
            case "output_tokens_per_gpu_per_s" -> String.format(Locale.ROOT, "%.1f", value);
            case "usd_per_million_output_tokens" -> String.format(Locale.ROOT, "%.3f", value);
            default -> String.format(Locale.ROOT, "%.2f", value);
        };
    }

    private static String pad(String text, int width, boolean left) {
        String spaces = " ".repeat(Math.max(0, width - text.length()));
        return left ? text + spaces : spaces + text;
    }
}
