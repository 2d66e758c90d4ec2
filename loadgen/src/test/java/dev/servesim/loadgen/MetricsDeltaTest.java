package dev.servesim.loadgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import org.junit.jupiter.api.Test;

class MetricsDeltaTest {

    private static final String BEFORE = """
            # HELP vllm:prompt_tokens_total Number of prefill tokens processed.
            # TYPE vllm:prompt_tokens_total counter
            vllm:prompt_tokens_total{model_name="m"} 100.0
            # TYPE vllm:num_requests_running gauge
            vllm:num_requests_running{model_name="m"} 4.0
            # TYPE vllm:time_to_first_token_seconds histogram
            vllm:time_to_first_token_seconds_bucket{le="0.1",model_name="m"} 3.0
            vllm:time_to_first_token_seconds_count{model_name="m"} 5.0
            vllm:time_to_first_token_seconds_sum{model_name="m"} 1.5
            # TYPE vllm:request_success counter
            vllm:request_success_total{finished_reason="length",model_name="m"} 7.0
            vllm:request_success_created{finished_reason="length",model_name="m"} 1.7e9
            """;
    private static final String AFTER = """
            # TYPE vllm:prompt_tokens_total counter
            vllm:prompt_tokens_total{model_name="m"} 460.0 1700000000000
            # TYPE vllm:num_requests_running gauge
            vllm:num_requests_running{model_name="m"} 0.0
            # TYPE vllm:time_to_first_token_seconds histogram
            vllm:time_to_first_token_seconds_bucket{le="0.1",model_name="m"} 9.0
            vllm:time_to_first_token_seconds_count{model_name="m"} 12.0
            vllm:time_to_first_token_seconds_sum{model_name="m"} 2.25
            # TYPE vllm:request_success counter
            vllm:request_success_total{finished_reason="length",model_name="m"} 14.0
            vllm:request_success_created{finished_reason="length",model_name="m"} 1.7e9
            # TYPE odd_labels_total counter
            odd_labels_total{path="/a b",quote="say \\"}\\" twice"} 2
            """;

    @Test
    void countersAndHistogramSeriesBecomeDeltasAndGaugesAreLeftOut() {
        assertThat(MetricsDelta.between(BEFORE, AFTER)).containsExactly(
                entry("odd_labels_total{path=\"/a b\",quote=\"say \\\"}\\\" twice\"}", 2.0),
                entry("vllm:prompt_tokens_total{model_name=\"m\"}", 360.0),
                entry("vllm:request_success_total{finished_reason=\"length\",model_name=\"m\"}", 7.0),
                entry("vllm:time_to_first_token_seconds_bucket{le=\"0.1\",model_name=\"m\"}", 6.0),
                entry("vllm:time_to_first_token_seconds_count{model_name=\"m\"}", 7.0),
                entry("vllm:time_to_first_token_seconds_sum{model_name=\"m\"}", 0.75));
    }

    @Test
    void nothingCumulativeGivesNoDeltas() {
        assertThat(MetricsDelta.between("", "up 1\n# TYPE g gauge\ng 2\n")).isEmpty();
    }
}
