package dev.servesim.calibration;

import dev.servesim.api.ErrorKind;
import dev.servesim.api.ServesimException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * Reads a runs file. Paths inside it are relative to the file's folder. A row that cannot be read becomes a
 * {@link RunOutcome.Skipped} with the reason instead of failing the whole file.
 */
public final class RunsFile {

    /** A row: either a usable spec or the reason it is skipped. */
    public record Row(String runId, RunSpec spec, String problem) {}

    private RunsFile() {}

    public static List<Row> read(Path file) {
        List<String> lines = dev.servesim.api.InputFiles.readText(file, "runs file", 64L << 20).lines().toList();
        if (lines.isEmpty()) {
            throw new ServesimException(ErrorKind.CONFIG, file + ": empty runs file");
        }
        List<String> header = CsvLine.split(lines.get(0));
        Path folder = file.toAbsolutePath().getParent();
        List<Row> rows = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            List<String> cells = CsvLine.split(lines.get(i));
            Map<String, String> row = new LinkedHashMap<>();
            for (int c = 0; c < header.size(); c++) {
                row.put(header.get(c), c < cells.size() ? cells.get(c).strip() : "");
            }
            String runId = row.getOrDefault("run_id", "").isEmpty() ? "line " + (i + 1) : row.get("run_id");
            try {
                rows.add(new Row(runId, parse(row, runId, folder), null));
            } catch (RuntimeException e) {
                rows.add(new Row(runId, null, "line " + (i + 1) + ": " + e.getMessage()));
            }
        }
        return List.copyOf(rows);
    }

    private static RunSpec parse(Map<String, String> row, String runId, Path folder) {
        Metrics actual = new Metrics(number(row, "e2e_mean_ms"), number(row, "e2e_p90_ms"), number(row, "e2e_p99_ms"),
                number(row, "ttft_mean_ms"), number(row, "ttft_p90_ms"), number(row, "ttft_p99_ms"),
                number(row, "itl_mean_ms"));
        return new RunSpec(runId, text(row, "model"), modelConfig(text(row, "model_config"), folder),
                text(row, "hardware"), integer(row, "tp"), row.getOrDefault("precision", ""),
                integer(row, "max_num_seqs"), integer(row, "max_num_batched_tokens"), integer(row, "max_model_len"),
                optional(row, "gpu_memory_utilization").orElse(0.9), integer(row, "block_size"),
                wholeNumber(row, "total_kv_blocks"),
                (long) optional(row, "cpu_kv_blocks").orElse(0),
                Boolean.parseBoolean(row.getOrDefault("cpu_offload", "false")),
                RunSpec.parseStages(text(row, "stages_rate_rps_x_duration_s")),
                integer(row, "num_unique_system_prompts"), integer(row, "users_per_system_prompt"),
                integer(row, "system_prompt_len"), integer(row, "question_len"), integer(row, "output_len"),
                optional(row, "measured_prompt_tokens_mean"), optional(row, "implied_output_tokens_mean"),
                wholeNumber(row, "failed_requests"), actual);
    }

    private static String modelConfig(String text, Path folder) {
        Path file = folder.resolve(text).normalize();
        return Files.exists(file) ? file.toString() : text;
    }

    private static String text(Map<String, String> row, String column) {
        String value = row.get(column);
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("column " + column + " is missing or empty");
        }
        return value;
    }

    private static double number(Map<String, String> row, String column) {
        String value = text(row, column);
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("column " + column + ": not a number: " + value, e);
        }
    }

    private static int integer(Map<String, String> row, String column) {
        double value = number(row, column);
        if (value != Math.rint(value)) {
            throw new IllegalArgumentException("column " + column + ": not a whole number: " + value);
        }
        return (int) value;
    }

    private static OptionalLong wholeNumber(Map<String, String> row, String column) {
        OptionalDouble value = optional(row, column);
        return value.isPresent() ? OptionalLong.of((long) value.getAsDouble()) : OptionalLong.empty();
    }

    private static OptionalDouble optional(Map<String, String> row, String column) {
        String value = row.getOrDefault(column, "");
        return value.isEmpty() ? OptionalDouble.empty() : OptionalDouble.of(number(row, column));
    }
}
