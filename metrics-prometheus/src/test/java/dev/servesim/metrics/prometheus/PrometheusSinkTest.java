package dev.servesim.metrics.prometheus;

import static dev.servesim.metrics.prometheus.TestingSinks.completed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.servesim.api.engine.EngineLoad;
import dev.servesim.api.metrics.MetricSink;
import dev.servesim.api.request.PromptContent;
import dev.servesim.api.request.Request;
import dev.servesim.api.request.RequestRecord;
import dev.servesim.api.request.RequestStatus;
import dev.servesim.api.request.StepRecord;
import dev.servesim.metrics.prometheus.config.PrometheusSinkConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrometheusSinkTest {

    @TempDir
    Path folder;

    private MetricSink sink;

    @AfterEach
    void close() {
        if (sink != null) {
            sink.close();
        }
    }

    private Exposition scrape() throws Exception {
        return TestingSinks.scrape(TestingSinks.address(folder));
    }

    /** Three completed requests, one rejected, one unfinished after its first token. */
    private void feedRequests() {
        TestingSinks.serve(sink, completed(1, 1000, 512, 11, 0.01, 0.03, 0.012));
        TestingSinks.serve(sink, completed(2, 200, 0, 1, 0.0, 0.07, 0.0));
        TestingSinks.serve(sink, completed(3, 300, 64, 5, 0.2, 0.6, 0.02));
        TestingSinks.serve(sink, TestingSinks.rejected(4, 90000));
        Request request = Request.single(5, 3.0, PromptContent.single(5, 100), 50);
        TestingSinks.serve(sink, new RequestRecord(request, 0, RequestStatus.UNFINISHED, "", 3.0, 3.5, 3.8, 9.0, 4, 0,
                "MISS", 1, 0.1, 0.2));
    }

    @Test
    void countsEveryRequestOnceAndTheSameUnderBothNamings() throws Exception {
        sink = TestingSinks.create(folder, null);
        feedRequests();

        Exposition metrics = scrape();
        assertThat(metrics.value("servesim_requests_total", "status", "completed")).isEqualTo(3);
        assertThat(metrics.value("servesim_requests_total", "status", "rejected")).isEqualTo(1);
        assertThat(metrics.value("servesim_requests_total", "status", "unfinished")).isEqualTo(1);
        assertThat(metrics.value("vllm:request_success_total", "finished_reason", "length")).isEqualTo(3);
        assertThat(metrics.value("vllm:request_success_total", "finished_reason", "abort")).isEqualTo(1);
        assertThat(metrics.value("vllm:request_success_total", "finished_reason", "stop")).isZero();
        // prompt tokens of requests that got a first token; cache figures of requests that were admitted
        assertThat(metrics.value("servesim_prompt_tokens_total")).isEqualTo(1600)
                .isEqualTo(metrics.value("vllm:prompt_tokens_total"));
        assertThat(metrics.value("servesim_generation_tokens_total")).isEqualTo(21)
                .isEqualTo(metrics.value("vllm:generation_tokens_total"));
        assertThat(metrics.value("servesim_prefix_cache_queries_total")).isEqualTo(1600)
                .isEqualTo(metrics.value("vllm:prefix_cache_queries_total"));
        assertThat(metrics.value("servesim_prefix_cache_hits_total")).isEqualTo(576)
                .isEqualTo(metrics.value("vllm:prefix_cache_hits_total"))
                .isEqualTo(metrics.value("servesim_cached_tokens_total"));

        // TTFT of every request with a first token (0.03, 0.07, 0.6, 0.8), one histogram behind both names
        assertThat(metrics.value("servesim_request_ttft_seconds_count")).isEqualTo(4);
        assertThat(metrics.value("servesim_request_ttft_seconds_bucket", "le", "0.04")).isEqualTo(1);
        assertThat(metrics.value("servesim_request_ttft_seconds_bucket", "le", "0.08")).isEqualTo(2);
        assertThat(metrics.value("servesim_request_ttft_seconds_bucket", "le", "0.75")).isEqualTo(3);
        assertThat(metrics.value("vllm:time_to_first_token_seconds_bucket", "le", "0.75")).isEqualTo(3);
        assertThat(metrics.value("vllm:time_to_first_token_seconds_sum")).isCloseTo(1.5, within(1e-12));
        // E2E and TPOT of completed requests (TPOT only with two tokens or more, as in summary.json)
        assertThat(metrics.value("servesim_request_e2e_seconds_count")).isEqualTo(3);
        assertThat(metrics.value("servesim_request_tpot_seconds_count")).isEqualTo(2);
        assertThat(metrics.value("servesim_request_queue_seconds_count")).isEqualTo(4);
        // vLLM observes TPOT as 0 for a single output token, and ITL once per gap (10 + 4 + 3)
        assertThat(metrics.value("vllm:request_time_per_output_token_seconds_count")).isEqualTo(3);
        assertThat(metrics.value("vllm:request_time_per_output_token_seconds_bucket", "le", "0.01")).isEqualTo(1);
        assertThat(metrics.value("vllm:inter_token_latency_seconds_count")).isEqualTo(17);
        assertThat(metrics.value("vllm:inter_token_latency_seconds_sum"))
                .isCloseTo(10 * 0.012 + 4 * 0.02 + 3 * 0.1, within(1e-12));
        assertThat(metrics.value("vllm:request_prefill_kv_computed_tokens_sum")).isEqualTo(488 + 200 + 236);
        assertThat(metrics.value("vllm:request_prompt_tokens_bucket", "le", "500.0")).isEqualTo(2);
        assertThat(metrics.value("vllm:request_params_n_sum")).isEqualTo(3);
        assertThat(metrics.value("vllm:request_decode_time_seconds_sum")).isCloseTo(0.12 + 0.08, within(1e-12));
    }

    @Test
    void stepsAndSnapshotsDriveTheGaugesAndStepCounters() throws Exception {
        sink = TestingSinks.create(folder, null);
        sink.onRunStarted();
        sink.onStep(new StepRecord(0, 1.0, 0.02, 2048, 30, 31, 31, 5, 400, 1000, 2));
        sink.onStep(new StepRecord(0, 1.02, 0.02, 0, 31, 31, 30, 6, 410, 1000, 1));

        Exposition afterSteps = scrape();
        assertThat(afterSteps.value("servesim_requests_running")).isEqualTo(30)
                .isEqualTo(afterSteps.value("vllm:num_requests_running"));
        assertThat(afterSteps.value("servesim_requests_waiting")).isEqualTo(6)
                .isEqualTo(afterSteps.value("vllm:num_requests_waiting"));
        assertThat(afterSteps.value("servesim_kv_usage")).isEqualTo(0.41)
                .isEqualTo(afterSteps.value("vllm:kv_cache_usage_perc"));
        assertThat(afterSteps.value("servesim_preemptions_total")).isEqualTo(3)
                .isEqualTo(afterSteps.value("vllm:num_preemptions_total"));
        assertThat(afterSteps.value("servesim_engine_steps_total")).isEqualTo(2);
        assertThat(afterSteps.value("vllm:iteration_tokens_total_bucket", "le", "32.0")).isEqualTo(1);
        assertThat(afterSteps.value("vllm:iteration_tokens_total_bucket", "le", "4096.0")).isEqualTo(2);

        sink.onSnapshot(2.0, 0, new EngineLoad(12, 0, 250, 1000));
        Exposition afterSnapshot = scrape();
        assertThat(afterSnapshot.value("servesim_requests_running")).isEqualTo(12);
        assertThat(afterSnapshot.value("servesim_kv_usage")).isEqualTo(0.25);
        assertThat(afterSnapshot.value("servesim_simulated_time_seconds")).isEqualTo(2.0);
        assertThat(afterSnapshot.value("servesim_simulation_speed")).isPositive();

        sink.onRunFinished(TestingSinks.summary(120.0, 2.5));
        Exposition atEnd = scrape();
        assertThat(atEnd.value("servesim_simulated_time_seconds")).isEqualTo(120.0);
        assertThat(atEnd.value("servesim_simulation_speed")).isEqualTo(2.5);
    }

    @Test
    void labelsEveryReplicasSeriesWithTheRunAndItsConfiguration() throws Exception {
        sink = TestingSinks.create(new PrometheusSinkConfig("127.0.0.1", 0, true, "served-model"),
                new TestingSinks.Context("demo", folder, () -> 0, TestingSinks.RESOLVED_YAML));
        sink.onSnapshot(1.0, 1, new EngineLoad(4, 0, 0, 0));

        Exposition metrics = scrape();
        assertThat(metrics.find("servesim_requests_running")).extracting(Exposition.Sample::labels)
                .extracting(Object::toString).containsExactly(
                        "{cache_strategy=block-hash, framework=vllm, replica=0, run=demo}",
                        "{cache_strategy=block-hash, framework=vllm, replica=1, run=demo}");
        assertThat(metrics.value("vllm:num_requests_running", "engine", "1", "model_name", "served-model"))
                .isEqualTo(4);
        assertThat(metrics.value("servesim_simulated_time_seconds", "run", "demo", "framework", "vllm",
                "cache_strategy", "block-hash")).isEqualTo(1.0);
        // 1-2-5 token buckets up to max_model_len 8192
        assertThat(metrics.find("vllm:request_prompt_tokens_bucket", "engine", "0")).extracting(
                sample -> sample.labels().get("le")).endsWith("2000.0", "5000.0", "+Inf");
    }

    @Test
    void vllmNamesCanBeSwitchedOff() throws Exception {
        sink = TestingSinks.create(folder, false);
        feedRequests();

        Exposition metrics = scrape();
        assertThat(metrics.sampleNames()).noneMatch(name -> name.startsWith("vllm:"));
        assertThat(metrics.value("servesim_requests_total", "status", "completed")).isEqualTo(3);
    }

    @Test
    void everyFamilyIsExportedFromTheFirstScrape() throws Exception {
        sink = TestingSinks.create(folder, null);

        Exposition metrics = scrape();
        assertThat(metrics.familyTypes()).containsEntry("servesim_requests_total", "counter")
                .containsEntry("servesim_request_ttft_seconds", "histogram")
                .containsEntry("servesim_kv_usage", "gauge")
                .containsEntry("vllm:time_to_first_token_seconds", "histogram")
                .containsEntry("vllm:iteration_tokens_total", "histogram")
                .containsEntry("vllm:request_success_total", "counter");
        assertThat(metrics.familyTypes().keySet().stream().filter(name -> name.startsWith("vllm:"))).hasSize(24);
        assertThat(metrics.value("servesim_request_ttft_seconds_count")).isZero();
    }
}
