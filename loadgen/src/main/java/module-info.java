/**
 * {@code servesim loadgen}: a run in real time whose engine is a remote OpenAI-compatible server. The configured
 * workload sends its requests to the server at their times; what the client measured is written as a run's outputs,
 * a vllm-vcr trace and the deltas of the server's metrics.
 */
module dev.servesim.loadgen {
    // the entry point takes and returns the runner's configurations, controls and results
    requires transitive dev.servesim.runner;
    requires com.fasterxml.jackson.databind;
    requires java.net.http;

    exports dev.servesim.loadgen;
    // the remote engine's configuration record, bound by the runner
    exports dev.servesim.loadgen.config;
}
