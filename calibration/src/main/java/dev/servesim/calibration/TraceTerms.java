package dev.servesim.calibration;

import dev.servesim.engine.common.model.ModelSpec;
import dev.servesim.engine.common.steptime.StepTimeTerm;
import dev.servesim.engine.vllm.config.VllmConfig;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Which fixed per-step costs a set of traces can identify. The step time adds {@code step_overhead_seconds}, plus
 * {@code layer_overhead_seconds} per decoder layer, {@code moe_layer_overhead_seconds} per MoE layer and
 * {@code all_reduce_latency_seconds} per all-reduce (two per layer above tensor-parallel size 1) to every step of an
 * engine: for one engine these are one constant, and the traces tell them apart only as far as their engines' counts
 * differ. A cost no engine pays (the MoE term with dense models, the all-reduce at TP 1) is pinned to its prior, and so
 * is one whose counts are a combination of the costs already free across the engines (one model at one TP: only
 * {@code step_overhead_seconds} is free). Pinned, a cost keeps its prior and the free ones absorb the rest; for the
 * traces' own engines the predictions are the same.
 */
final class TraceTerms {

    /** An engine's per-step counts of the fixed costs. */
    record Engine(String model, int layers, int moeLayers, int allReduces) {

        static Engine of(VllmConfig config) {
            ModelSpec model = ModelSpec.resolve(config.model());
            return new Engine(model.name(), model.layers(), model.moe().layers(),
                    config.tensorParallelSize() > 1 ? 2 * model.layers() : 0);
        }

        double count(StepTimeTerm term) {
            return switch (term) {
                case LAYER_OVERHEAD_SECONDS -> layers;
                case MOE_LAYER_OVERHEAD_SECONDS -> moeLayers;
                case ALL_REDUCE_LATENCY_SECONDS -> allReduces;
                default -> 1;
            };
        }
    }

    private static final List<StepTimeTerm> COUNTED = List.of(StepTimeTerm.LAYER_OVERHEAD_SECONDS,
            StepTimeTerm.MOE_LAYER_OVERHEAD_SECONDS, StepTimeTerm.ALL_REDUCE_LATENCY_SECONDS);

    private TraceTerms() {}

    /** The terms {@code engines} cannot identify, in term order, each with the reason. */
    static Map<StepTimeTerm, String> unidentified(List<Engine> engines) {
        Map<StepTimeTerm, String> pinned = new EnumMap<>(StepTimeTerm.class);
        List<StepTimeTerm> free = new ArrayList<>(List.of(StepTimeTerm.STEP_OVERHEAD_SECONDS));
        for (StepTimeTerm term : COUNTED) {
            boolean paid = engines.stream().anyMatch(engine -> engine.count(term) > 0);
            if (!paid) {
                pinned.put(term, term == StepTimeTerm.MOE_LAYER_OVERHEAD_SECONDS
                        ? "no trace's model is a mixture of experts"
                        : "every trace's engine runs at tensor-parallel size 1 (no all-reduce)");
                continue;
            }
            List<StepTimeTerm> candidate = new ArrayList<>(free);
            candidate.add(term);
            if (rank(engines, candidate) > rank(engines, free)) {
                free.add(term);
            } else if (engines.stream().mapToDouble(engine -> engine.count(term)).distinct().count() == 1) {
                pinned.put(term, String.format(Locale.ROOT, "every trace's engine pays it %d times a step (%s), so"
                        + " it adds to every step what step_overhead_seconds adds: the traces cannot tell them apart",
                        (int) engines.get(0).count(term), describe(term)));
            } else {
                pinned.put(term, "across the traces' engines its count per step follows those of "
                        + String.join(", ", free.stream().map(StepTimeTerm::key).toList())
                        + ", so the traces cannot tell it from them");
            }
        }
        return pinned;
    }

    private static String describe(StepTimeTerm term) {
        return switch (term) {
            case LAYER_OVERHEAD_SECONDS -> "one model's decoder layers";
            case MOE_LAYER_OVERHEAD_SECONDS -> "one model's MoE layers";
            default -> "two all-reduces per layer of one model at one tensor-parallel size";
        };
    }

    /** Rank of the matrix with a row per engine and a column per term (its count per step). */
    static int rank(List<Engine> engines, List<StepTimeTerm> terms) {
        double[][] rows = new double[engines.size()][terms.size()];
        for (int i = 0; i < rows.length; i++) {
            for (int j = 0; j < terms.size(); j++) {
                rows[i][j] = engines.get(i).count(terms.get(j));
            }
        }
        int rank = 0;
        for (int column = 0; column < terms.size() && rank < rows.length; column++) {
            int pivot = rank;
            for (int i = rank + 1; i < rows.length; i++) {
                if (Math.abs(rows[i][column]) > Math.abs(rows[pivot][column])) {
                    pivot = i;
                }
            }
            double scale = 0;
            for (double[] row : rows) {
                scale = Math.max(scale, Math.abs(row[column]));
            }
            if (Math.abs(rows[pivot][column]) <= 1e-9 * Math.max(1, scale)) {
                continue;
            }
            double[] swap = rows[pivot];
            rows[pivot] = rows[rank];
            rows[rank] = swap;
            for (int i = rank + 1; i < rows.length; i++) {
                double factor = rows[i][column] / rows[rank][column];
                for (int j = column; j < terms.size(); j++) {
                    rows[i][j] -= factor * rows[rank][j];
                }
            }
            rank++;
        }
        return rank;
    }
}
