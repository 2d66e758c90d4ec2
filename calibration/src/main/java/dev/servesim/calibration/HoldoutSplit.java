package dev.servesim.calibration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.servesim.engine.common.model.ModelSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How {@code calibrate --holdout-by} splits the runs into fitted and held-out sets, each run being predicted by
 * coefficients fitted without it:
 * <ul>
 *   <li>{@code model}: one fold per model, fitted on the other models' runs;
 *   <li>{@code family}: one fold per architecture family (the {@code model_type} of the model's config.json: llama,
 *       llama4, mistral, qwen2, ...), fitted on the other families' runs;
 *   <li>{@code size}: one fold, fitted on the models of at most {@link #SIZE_LIMIT_PARAMETERS} parameters, predicting
 *       the larger ones (extrapolation in size);
 *   <li>{@code tp}: one fold, fitted on the tensor-parallel size 1 runs, predicting those with TP above 1.
 * </ul>
 */
public enum HoldoutSplit {
    MODEL, FAMILY, SIZE, TP;

    /** 12.5 billion: a "12B" model (Mistral-Nemo, 12.2 B) is still small, Yi-34B is large. */
    public static final double SIZE_LIMIT_PARAMETERS = 12.5e9;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One fold: fit on {@code training}, predict {@code heldOut}. */
    public record Fold(String name, List<RunsFile.Row> training, List<RunsFile.Row> heldOut) {
        public Fold {
            training = List.copyOf(training);
            heldOut = List.copyOf(heldOut);
        }
    }

    /** The split's name on the command line. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The split named {@code text} ({@code model}, {@code family}, {@code size} or {@code tp}).
     *
     * @throws IllegalArgumentException naming the choices otherwise
     */
    public static HoldoutSplit of(String text) {
        for (HoldoutSplit split : values()) {
            if (split.key().equals(text.strip().toLowerCase(Locale.ROOT))) {
                return split;
            }
        }
        throw new IllegalArgumentException("unknown holdout split '" + text + "'; choose model, family, size or tp");
    }

    /** The folds over the rows that have a spec (rows that cannot be simulated take part in none). */
    public List<Fold> folds(List<RunsFile.Row> rows) {
        List<RunsFile.Row> usable = rows.stream().filter(row -> row.spec() != null).toList();
        return switch (this) {
            case MODEL -> leaveOneGroupOut(usable, row -> row.spec().model());
            case FAMILY -> leaveOneGroupOut(usable, row -> family(row.spec()));
            case SIZE -> List.of(new Fold("larger than 12.5 B parameters",
                    usable.stream().filter(row -> parameters(row.spec()) <= SIZE_LIMIT_PARAMETERS).toList(),
                    usable.stream().filter(row -> parameters(row.spec()) > SIZE_LIMIT_PARAMETERS).toList()));
            case TP -> List.of(new Fold("tensor-parallel size above 1",
                    usable.stream().filter(row -> row.spec().tp() == 1).toList(),
                    usable.stream().filter(row -> row.spec().tp() > 1).toList()));
        };
    }

    private static List<Fold> leaveOneGroupOut(List<RunsFile.Row> rows,
            java.util.function.Function<RunsFile.Row, String> group) {
        Map<String, List<RunsFile.Row>> groups = new LinkedHashMap<>();
        for (RunsFile.Row row : rows) {
            groups.computeIfAbsent(group.apply(row), key -> new ArrayList<>()).add(row);
        }
        List<Fold> folds = new ArrayList<>();
        groups.forEach((name, held) -> folds.add(new Fold(name,
                rows.stream().filter(row -> !held.contains(row)).toList(), held)));
        return folds;
    }

    /**
     * The architecture family: {@code model_type} of the run's config.json, else (a catalog model) the model name up
     * to its first dash.
     */
    static String family(RunSpec spec) {
        Path config = Path.of(spec.modelConfig());
        if (Files.isRegularFile(config)) {
            try {
                JsonNode type = JSON.readTree(config.toFile()).get("model_type");
                if (type != null && type.isTextual()) {
                    return type.asText();
                }
            } catch (IOException e) {
                // unreadable here: the simulation will say why; group it by name
            }
        }
        String name = spec.model().substring(spec.model().lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
        int dash = name.indexOf('-');
        return dash > 0 ? name.substring(0, dash) : name;
    }

    /** Total parameters of the run's model (every expert counted). */
    static double parameters(RunSpec spec) {
        return model(spec).parameters();
    }

    /** The run's model shapes, as the engine reads them. */
    static ModelSpec model(RunSpec spec) {
        return ModelSpec.resolve(spec.modelConfig());
    }
}
