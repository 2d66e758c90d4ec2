package dev.servesim.serve;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ReplicaExpositionTest {

    // the model's name holds what a careless reader would take for labels
    private static final String RUN = """
            # HELP servesim_requests_total Requests that ended
            # TYPE servesim_requests_total counter
            servesim_requests_total{replica="0",status="completed"} 3.0
            servesim_requests_total{replica="1",status="completed"} 5.0
            # HELP vllm:num_requests_running Number of requests in model execution batches.
            # TYPE vllm:num_requests_running gauge
            vllm:num_requests_running{engine="0",model_name="m \\"x\\", engine=\\"1\\""} 1.0
            vllm:num_requests_running{engine="1",model_name="m \\"x\\", engine=\\"1\\""} 2.0
            vllm:num_requests_running{engine="10",model_name="m \\"x\\", engine=\\"1\\""} 4.0
            # HELP vllm:e2e_request_latency_seconds Histogram of e2e request latency in seconds.
            # TYPE vllm:e2e_request_latency_seconds histogram
            vllm:e2e_request_latency_seconds_bucket{engine="1",model_name="m \\"x\\", engine=\\"1\\"",le="0.3"} 1
            vllm:e2e_request_latency_seconds_bucket{engine="1",model_name="m \\"x\\", engine=\\"1\\"",le="+Inf"} 2
            vllm:e2e_request_latency_seconds_count{engine="1",model_name="m \\"x\\", engine=\\"1\\""} 2
            vllm:e2e_request_latency_seconds_sum{engine="1",model_name="m \\"x\\", engine=\\"1\\""} 0.75
            vllm:e2e_request_latency_seconds_count{engine="0",model_name="m \\"x\\", engine=\\"1\\""} 0
            vllm:request_success_total{model_name="m \\"x\\", engine=\\"1\\"",engine="0",finished_reason="length"} 3.0
            vllm:request_success_total{model_name="m \\"x\\", engine=\\"1\\"",engine="1",finished_reason="length"} 5.0
            # HELP servesim_simulated_time_seconds Simulated time of the run
            # TYPE servesim_simulated_time_seconds gauge
            servesim_simulated_time_seconds{run="r"} 12.5
            """;
    private static final String MODEL = "m \"x\", engine=\"1\"";

    @Test
    void keepsOneReplicasVllmFamiliesAsEngineZeroOfItsOwnModel() {
        assertThat(ReplicaExposition.of(RUN, 1, "pod \"b\"")).isEqualTo("""
                # HELP vllm:num_requests_running Number of requests in model execution batches.
                # TYPE vllm:num_requests_running gauge
                vllm:num_requests_running{engine="0",model_name="pod \\"b\\""} 2.0
                # HELP vllm:e2e_request_latency_seconds Histogram of e2e request latency in seconds.
                # TYPE vllm:e2e_request_latency_seconds histogram
                vllm:e2e_request_latency_seconds_bucket{engine="0",model_name="pod \\"b\\"",le="0.3"} 1
                vllm:e2e_request_latency_seconds_bucket{engine="0",model_name="pod \\"b\\"",le="+Inf"} 2
                vllm:e2e_request_latency_seconds_count{engine="0",model_name="pod \\"b\\""} 2
                vllm:e2e_request_latency_seconds_sum{engine="0",model_name="pod \\"b\\""} 0.75
                vllm:request_success_total{model_name="pod \\"b\\"",engine="0",finished_reason="length"} 5.0
                """);
    }

    @Test
    void engineNumbersMatchWhole() {
        assertThat(ReplicaExposition.of(RUN, 10, "m")).isEqualTo("""
                # HELP vllm:num_requests_running Number of requests in model execution batches.
                # TYPE vllm:num_requests_running gauge
                vllm:num_requests_running{engine="0",model_name="m"} 4.0
                """);
        // the served model's name as the sink wrote it: nothing to rename
        assertThat(ReplicaExposition.of(RUN, 0, MODEL)).contains("} 1.0", "_count{engine=\"0\",model_name=\"m "
                + "\\\"x\\\", engine=\\\"1\\\"\"} 0", "finished_reason=\"length\"} 3.0").doesNotContain("servesim");
        assertThat(ReplicaExposition.of(RUN, 7, "m")).isEmpty();
        ReplicaExposition split = ReplicaExposition.split(RUN);
        assertThat(split.replica(1, "m")).isEqualTo(ReplicaExposition.of(RUN, 1, "m"));
        assertThat(split.replica(100_000, "m")).isEmpty();
    }

    @Test
    void malformedLinesAreLeftOut() {
        assertThat(ReplicaExposition.of("""
                vllm:a{engine="1" 1
                vllm:b{engine="1 1
                vllm:c 1
                vllm:d{engine="1"} 1
                """, 1, "m")).isEqualTo("vllm:d{engine=\"0\"} 1\n");
    }

    @Test
    void keepsOneReplicasSglangFamiliesAsDataParallelRankZero() {
        String sglang = """
                # HELP sglang:num_running_reqs The number of running requests.
                # TYPE sglang:num_running_reqs gauge
                sglang:num_running_reqs{dp_rank="0",model_name="m"} 3.0
                sglang:num_running_reqs{dp_rank="1",model_name="m"} 4.0
                # HELP sglang:e2e_request_latency_seconds Histogram of end-to-end request latency in seconds
                # TYPE sglang:e2e_request_latency_seconds histogram
                sglang:e2e_request_latency_seconds_count{dp_rank="1",model_name="m"} 2
                # HELP servesim_requests_total Requests that ended
                # TYPE servesim_requests_total counter
                servesim_requests_total{replica="1",status="completed"} 5.0
                sglang:num_queue_reqs{engine="1",model_name="m"} 9.0
                """;

        assertThat(ReplicaExposition.of(sglang, 1, "b")).isEqualTo("""
                # HELP sglang:num_running_reqs The number of running requests.
                # TYPE sglang:num_running_reqs gauge
                sglang:num_running_reqs{dp_rank="0",model_name="b"} 4.0
                # HELP sglang:e2e_request_latency_seconds Histogram of end-to-end request latency in seconds
                # TYPE sglang:e2e_request_latency_seconds histogram
                sglang:e2e_request_latency_seconds_count{dp_rank="0",model_name="b"} 2
                """);
    }
}
