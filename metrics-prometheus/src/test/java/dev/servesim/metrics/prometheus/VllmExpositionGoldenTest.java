package dev.servesim.metrics.prometheus;

import static dev.servesim.metrics.prometheus.TestingSinks.completed;
import static org.assertj.core.api.Assertions.assertThat;

import dev.servesim.api.engine.EngineLoad;
import dev.servesim.api.metrics.MetricSink;
import dev.servesim.api.request.PromptContent;
import dev.servesim.api.request.Request;
import dev.servesim.api.request.RequestRecord;
import dev.servesim.api.request.RequestStatus;
import dev.servesim.api.request.StepRecord;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exposition of a vllm run, byte for byte, after a fixed sequence of events on two replicas: pinned from the
 * sink as it was before SGLang's names came (issue 18), so that a run of any engine other than sglang keeps
 * exactly the families, labels, buckets and order it had.
 */
class VllmExpositionGoldenTest {

    private static final String GOLDEN = "vllm-exposition.txt";

    @Test
    void aVllmRunExposesExactlyWhatItDidBeforeSglangsNames(@TempDir Path folder) throws Exception {
        MetricSink sink = TestingSinks.create(folder, null);
        String text;
        try {
            sink.onRunStarted();
            sink.onStep(new StepRecord(0, 1.0, 0.02, 2048, 30, 31, 31, 5, 400, 1000, 2));
            sink.onStep(new StepRecord(1, 1.0, 0.03, 512, 3, 4, 4, 0, 40, 1000, 0));
            TestingSinks.serve(sink, completed(1, 1000, 512, 11, 0.01, 0.03, 0.012));
            TestingSinks.serve(sink, completed(2, 200, 0, 1, 0.0, 0.07, 0.0));
            TestingSinks.serve(sink, TestingSinks.rejected(3, 90000));
            Request request = Request.single(4, 3.0, PromptContent.single(4, 100), 50);
            TestingSinks.serve(sink, new RequestRecord(request, 1, RequestStatus.UNFINISHED, "", 3.0, 3.5, 3.8, 9.0,
                    4, 16, "HIT", 1, 0.1, 0.2));
            sink.onSnapshot(2.0, 0, new EngineLoad(12, 1, 250, 1000));
            sink.onSnapshot(2.0, 1, new EngineLoad(2, 0, 20, 1000));
            // the run's end fixes the speed gauge, which a snapshot takes from the wall clock
            sink.onRunFinished(TestingSinks.summary(120.0, 2.5));
            text = TestingSinks.scrape(TestingSinks.address(folder)).text();
        } finally {
            sink.close();
        }

        assertThat(text).isEqualTo(golden());
    }

    private static String golden() throws IOException {
        try (InputStream in = VllmExpositionGoldenTest.class.getResourceAsStream(GOLDEN)) {
            assertThat(in).as(GOLDEN).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
