package dev.servesim.calibration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servesim.testing.SharedData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunsFileTest {

    @Test
    void failedRequestsAreReadWhereGivenAndABlankMeansNotKnownToHaveFailed(@TempDir Path folder) throws IOException {
        Path runs = folder.resolve("runs.csv");
        String row = "meta-llama/Llama-2-7b-hf,llama-2-7b,H100-SXM5-80GB,1,16-bit,32,512,1024,0.9,16,2000,0,false,"
                + "4x5;8x5,3,2,40,60,20,,,300,400,500,20,30,40,10,";
        Files.writeString(runs, String.join("\n", FidelityEvaluatorTest.HEADER + ",failed_requests",
                "blank," + row, "zero," + row + "0", "some," + row + "7") + "\n");

        List<RunsFile.Row> rows = RunsFile.read(runs);

        assertThat(rows).extracting(r -> r.spec().failedRequests())
                .containsExactly(OptionalLong.empty(), OptionalLong.of(0), OptionalLong.of(7));
        assertThat(rows).extracting(r -> r.spec().realRunCompletedEverything()).containsExactly(true, true, false);
        assertThat(rows.get(0).spec().stageRates()).containsExactly(4.0, 8.0);
    }

    @Test
    void theCalibrationRunsRecordFailuresForTheOneRunWhoseRawOutputsArePublic() {
        List<RunsFile.Row> rows = RunsFile.read(SharedData.path("calibration/runs.csv"));

        assertThat(rows).hasSize(13).allSatisfy(row -> assertThat(row.spec()).isNotNull());
        assertThat(rows).filteredOn(row -> row.spec().failedRequests().isPresent()).extracting(RunsFile.Row::runId)
                .containsExactly("20260217-155451");
        assertThat(rows).allSatisfy(row -> assertThat(row.spec().realRunCompletedEverything()).isTrue());
    }
}
