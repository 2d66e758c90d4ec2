package dev.servesim.report;

/**
 * plan.json documents as the capacity planner writes them: four configurations of a 70B model on H100 and H200 at a
 * target of 40 requests/s, of which two meet the SLOs, one fails and one is pruned.
 */
final class SamplePlans {
    static final String PRUNED_REASON = "weights do not fit: 141 GB of weights on 1 \u00d7 80 GB";
    static final String FAILED_REASON = "TPOT p99 is 112 ms > 50 ms at 32 replicas";
    static final String CALIBRATION = "outside the calibrated range: hardware H200-SXM-141GB "
            + "(calibrated on H100-SXM-80GB)";

    private static final String CHOSEN = """
            {"name": "framework.hardware=H200-SXM-141GB, framework.tensor_parallel_size=2", "folder": "chosen",
             "config": "chosen/config.yaml",
             "vllm_serve": "vllm serve meta-llama/Llama-3.1-70B-Instruct --tensor-parallel-size 2 --max-num-seqs 256",
             "kubernetes": "chosen/deployment.yaml", "report": "chosen/report.html"}""";

    private static final String PLAN = """
            {
              "config": "examples/plan-h100-vs-h200.yaml",
              "mode": "target",
              "slo": {"ttft_p99": 0.5, "tpot_p99": 0.05},
              "target": {"rate": 40},
              "search": {"framework.hardware": ["H100-SXM-80GB", "H200-SXM-141GB"],
                         "framework.tensor_parallel_size": ["1", "2", "4"]},
              "replicas": {"min": 1, "max": 32},
              "seed": 7, "seeds": 3,
              "partial": @@PARTIAL@@,
              "recommendation": {"cheapest": @@CHEAPEST@@, "fewest_gpus": @@CHEAPEST@@, "highest_rate": null},
              "pareto": @@PARETO@@,
              "chosen": @@CHOSEN@@,
              "candidates": [
                {"name": "framework.hardware=H200-SXM-141GB, framework.tensor_parallel_size=2",
                 "settings": {"framework.hardware": "H200-SXM-141GB", "framework.tensor_parallel_size": "2"},
                 "status": "meets", "reason": "",
                 "gpu": "H200-SXM-141GB", "gpus_per_replica": 2, "replicas": 8, "gpus": 16, "rate": 40.0,
                 "usd_per_hour": @@COST_H200@@, "usd_per_million_output_tokens": @@TOKEN_COST_H200@@,
                 "figures": {"ttft_p99_ms": 402.5, "tpot_p99_ms": 44.0, "e2e_p99_ms": 13100.0, "ttft_p50_ms": 150.0,
                             "tpot_p50_ms": 31.0, "requests_per_s": 39.9, "goodput_share": 0.991,
                             "output_tokens_per_gpu_per_s": 620.0, "token_hit_rate": 0.2},
                 "band": {"ttft_p99_ms": [380.0, 431.0], "tpot_p99_ms": [43.1, 45.2]},
                 "saturation": {"rate_per_replica": 5.6, "limit": "decode compute",
                                "detail": "TPOT p99 is the first SLO to fail"},
                 "roofline_rate_per_replica": 14.0,
                 "calibration": "@@CALIBRATION@@",
                 "evaluations": [{"replicas": 4, "rate": 40.0, "meets": false, "ttft_p99_ms": 2400.0, "tpot_p99_ms": 95.0},
                                 {"replicas": 8, "rate": 40.0, "meets": true, "ttft_p99_ms": 402.5, "tpot_p99_ms": 44.0},
                                 {"replicas": 6, "rate": 40.0, "meets": false, "ttft_p99_ms": 900.0, "tpot_p99_ms": 61.0}]},
                {"name": "framework.hardware=H100-SXM-80GB, framework.tensor_parallel_size=4",
                 "settings": {"framework.hardware": "H100-SXM-80GB", "framework.tensor_parallel_size": "4"},
                 "status": "meets", "reason": "",
                 "gpu": "H100-SXM-80GB", "gpus_per_replica": 4, "replicas": 6, "gpus": 24, "rate": 40.0,
                 "usd_per_hour": @@COST_H100@@, "usd_per_million_output_tokens": @@TOKEN_COST_H100@@,
                 "figures": {"ttft_p99_ms": 310.2, "tpot_p99_ms": 41.0, "e2e_p99_ms": 12000.0, "ttft_p50_ms": 120.0,
                             "tpot_p50_ms": 30.0, "requests_per_s": 39.8, "goodput_share": 0.995,
                             "output_tokens_per_gpu_per_s": 410.0, "token_hit_rate": 0.2},
                 "band": {"ttft_p99_ms": [290.0, 340.0], "tpot_p99_ms": [40.1, 42.3]},
                 "saturation": {"rate_per_replica": 7.1, "limit": "decode compute",
                                "detail": "TPOT p99 is the first SLO to fail"},
                 "roofline_rate_per_replica": 22.0, "calibration": "",
                 "evaluations": [{"replicas": 4, "rate": 40.0, "meets": false, "ttft_p99_ms": 1900.0, "tpot_p99_ms": 70.0},
                                 {"replicas": 6, "rate": 40.0, "meets": true, "ttft_p99_ms": 310.2, "tpot_p99_ms": 41.0}]},
                {"name": "framework.hardware=H100-SXM-80GB, framework.tensor_parallel_size=2",
                 "settings": {"framework.hardware": "H100-SXM-80GB", "framework.tensor_parallel_size": "2"},
                 "status": "fails", "reason": "@@FAILED_REASON@@",
                 "gpu": "H100-SXM-80GB", "gpus_per_replica": 2, "replicas": 32, "gpus": 64, "rate": 40.0,
                 "usd_per_hour": @@COST_FAILED@@, "usd_per_million_output_tokens": null,
                 "figures": {"ttft_p99_ms": 480.0, "tpot_p99_ms": 112.0, "e2e_p99_ms": 30500.0},
                 "band": null, "saturation": null, "roofline_rate_per_replica": null, "calibration": "",
                 "evaluations": [{"replicas": 32, "rate": 40.0, "meets": false, "ttft_p99_ms": 480.0, "tpot_p99_ms": 112.0}]},
                {"name": "framework.hardware=H100-SXM-80GB, framework.tensor_parallel_size=1",
                 "settings": {"framework.hardware": "H100-SXM-80GB", "framework.tensor_parallel_size": "1"},
                 "status": "pruned", "reason": "@@PRUNED_REASON@@",
                 "gpu": "H100-SXM-80GB", "gpus_per_replica": 1, "replicas": null, "gpus": null, "rate": null,
                 "usd_per_hour": null, "usd_per_million_output_tokens": null,
                 "figures": {}, "band": {}, "saturation": null, "roofline_rate_per_replica": null, "calibration": "",
                 "evaluations": []}
              ]
            }
            """;

    private SamplePlans() {
    }

    /** The plan with prices and a chosen configuration (the H200 one, cheapest and fewest GPUs). */
    static PlanReport plan(boolean partial) {
        String chosen = "\"framework.hardware=H200-SXM-141GB, framework.tensor_parallel_size=2\"";
        return new PlanReport("plan: Llama-3.1-70B at 40 requests/s", fill(PLAN
                .replace("@@PARTIAL@@", String.valueOf(partial))
                .replace("@@CHEAPEST@@", chosen)
                .replace("@@PARETO@@", "[" + chosen + ", \"framework.hardware=H100-SXM-80GB, "
                        + "framework.tensor_parallel_size=4\"]")
                .replace("@@CHOSEN@@", CHOSEN)
                .replace("@@COST_H200@@", "63.84").replace("@@TOKEN_COST_H200@@", "1.71")
                .replace("@@COST_H100@@", "71.76").replace("@@TOKEN_COST_H100@@", "1.92")
                .replace("@@COST_FAILED@@", "191.36")));
    }

    /** The same candidates without any price, recommendation or chosen configuration. */
    static PlanReport withoutChoiceOrPrices() {
        return new PlanReport("plan without prices", fill(PLAN
                .replace("@@PARTIAL@@", "false")
                .replace("@@CHEAPEST@@", "null")
                .replace("@@PARETO@@", "[]")
                .replace("@@CHOSEN@@", "null")
                .replace("@@COST_H200@@", "null").replace("@@TOKEN_COST_H200@@", "null")
                .replace("@@COST_H100@@", "null").replace("@@TOKEN_COST_H100@@", "null")
                .replace("@@COST_FAILED@@", "null")));
    }

    /** A plan whose one candidate has the given name. */
    static PlanReport named(String name) {
        return new PlanReport(name, "{\"mode\": \"max_rate\", \"slo\": {\"e2e_p90\": 20}, \"target\": null, "
                + "\"partial\": false, \"recommendation\": {}, \"pareto\": [], \"chosen\": null, \"candidates\": "
                + "[{\"name\": \"" + name.replace("\\", "\\\\").replace("\"", "\\\"") + "\", \"status\": \"pruned\", "
                + "\"reason\": \"" + name.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}]}");
    }

    private static String fill(String plan) {
        return plan.replace("@@CALIBRATION@@", CALIBRATION).replace("@@FAILED_REASON@@", FAILED_REASON)
                .replace("@@PRUNED_REASON@@", PRUNED_REASON);
    }
}
