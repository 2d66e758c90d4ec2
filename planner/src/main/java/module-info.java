/**
 * {@code servesim plan}: capacity planning. Searches the deployments a user names (GPU, parallelism, batch budget,
 * replicas, ...) for those that meet latency SLOs at a target rate - or for each one's highest sustainable rate - by
 * simulating them with the runner, and writes plan.json, plan.csv, plan.html and the chosen deployment.
 */
module dev.servesim.planner {
    requires transitive dev.servesim.runner;
    requires dev.servesim.report;
    requires dev.servesim.loadgen;
    requires com.fasterxml.jackson.databind;

    exports dev.servesim.planner;
}
