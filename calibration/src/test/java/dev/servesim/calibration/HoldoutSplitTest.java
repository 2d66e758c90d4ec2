package dev.servesim.calibration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class HoldoutSplitTest {

    private static final Path RUNS = Path.of("..", "..", "shared", "calibration", "runs.csv");

    @Test
    void splitsTheCalibrationRunsByModelFamilySizeAndTensorParallelism() {
        assumeTrue(Files.isRegularFile(RUNS), "../shared/calibration/runs.csv is absent: the calibration split test"
                + " needs the shared calibration data next to the project");
        List<RunsFile.Row> rows = RunsFile.read(RUNS);

        List<HoldoutSplit.Fold> models = HoldoutSplit.MODEL.folds(rows);
        assertThat(models).hasSize(6);
        for (HoldoutSplit.Fold fold : models) {
            assertThat(fold.training()).doesNotContainAnyElementsOf(fold.heldOut());
            assertThat(fold.training().size() + fold.heldOut().size()).isEqualTo(13);
            assertThat(fold.heldOut()).extracting(row -> row.spec().model()).containsOnly(fold.name());
        }

        // Llama-2, Llama-3.1 and Yi are all model_type llama; Scout is llama4
        assertThat(HoldoutSplit.FAMILY.folds(rows)).extracting(HoldoutSplit.Fold::name)
                .containsExactly("llama4", "llama", "mistral", "qwen2");
        assertThat(HoldoutSplit.FAMILY.folds(rows).get(1).heldOut()).extracting(RunsFile.Row::runId)
                .containsExactly("60", "61", "65", "67", "20260217-155451");

        HoldoutSplit.Fold size = HoldoutSplit.SIZE.folds(rows).get(0);
        // fitted on the 7B and 12B models, predicting Yi-34B, Llama-3.1-70B and Scout (109 B)
        assertThat(size.training()).extracting(row -> row.spec().model()).containsOnly(
                "mistralai/Mistral-Nemo-Instruct-2407", "Qwen/Qwen2.5-7B-Instruct", "meta-llama/Llama-2-7b-hf");
        assertThat(size.heldOut()).hasSize(7);

        HoldoutSplit.Fold tp = HoldoutSplit.TP.folds(rows).get(0);
        assertThat(tp.training()).allMatch(row -> row.spec().tp() == 1).hasSize(5);
        assertThat(tp.heldOut()).allMatch(row -> row.spec().tp() > 1).hasSize(8);
    }

    @Test
    void namesOnTheCommandLine() {
        assertThat(HoldoutSplit.of(" Size")).isEqualTo(HoldoutSplit.SIZE);
        assertThat(HoldoutSplit.TP.key()).isEqualTo("tp");
        assertThatThrownBy(() -> HoldoutSplit.of("gpu")).hasMessage("unknown holdout split 'gpu'; choose model,"
                + " family, size or tp");
    }
}
