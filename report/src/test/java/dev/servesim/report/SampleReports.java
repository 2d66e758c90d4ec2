package dev.servesim.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/** Realistic, seeded report inputs: a two-minute multi-turn run at 8 requests/s on one replica. */
final class SampleReports {
    static final String CONFIG = """
            # Effective configuration of run 'sample', every default filled in.
            name: sample
            seed: 42
            snapshot_interval: 1.0
            framework:
              name: vllm
              model: llama-3.1-8b
              hardware: H100-SXM-80GB
              max_num_seqs: 256
              block_size: 16
            cache:
              strategy: block-hash
            workload:
              source: multiturn
              rate: 8.0
              duration: 120.0
            """;

    private SampleReports() {
    }

    static RunReport run() {
        Latencies latencies = generate(1.0, 7);
        return new RunReport("sample", "llama-3.1-8b on H100-SXM-80GB, multi-turn at 8 requests/s",
                summaryJson(latencies), CONFIG, series(7), latencies.distributions());
    }

    static ComparisonReport comparison() {
        List<ComparisonReport.Variant> variants = new ArrayList<>();
        String[] names = {"no-cache", "prefix-cache", "lmcache-offload"};
        double[] hitBenefit = {0.0, 1.0, 1.3};  // lmcache-offload also keeps prefixes evicted from GPU memory
        for (int i = 0; i < names.length; i++) {
            Latencies latencies = generate(hitBenefit[i], 11 + i);
            variants.add(new ComparisonReport.Variant(names[i], summaryJson(latencies), latencies.distributions()));
        }
        return new ComparisonReport("cache strategies at 8 requests/s", variants);
    }

    /**
     * A sweep of 2 x 4 variants over {@code cache.strategy} and {@code framework.max_num_seqs}, with SLOs set; each
     * curve is 100 quantiles of 960 requests, as the runner passes them.
     */
    static ComparisonReport sweep() {
        List<String> strategies = List.of("disabled", "block-hash");
        List<String> sequences = List.of("32", "64", "128", "256");
        List<ComparisonReport.Variant> variants = new ArrayList<>();
        for (int s = 0; s < strategies.size(); s++) {
            for (int q = 0; q < sequences.size(); q++) {
                Latencies latencies = generate(s, 21 + 4 * s + q);
                double[] ttft = concat(latencies.ttftFirst(), latencies.ttftLater());
                double[] e2e = concat(latencies.e2eFirst(), latencies.e2eLater());
                double[] tpot = concat(latencies.tpotFirst(), latencies.tpotLater());
                Map<String, String> settings = new LinkedHashMap<>();
                settings.put("cache.strategy", strategies.get(s));
                settings.put("framework.max_num_seqs", sequences.get(q));
                String name = "cache.strategy=" + strategies.get(s) + ", framework.max_num_seqs=" + sequences.get(q);
                String summary = summaryJson(latencies).replace("\"run_name\" : \"sample\",", String.format(Locale.ROOT,
                        "\"run_name\" : \"sample\", \"goodput\" : { \"share\" : %.3f, \"requests_per_s\" : %.3f },"
                                + " \"prefix_cache\" : { \"token_hit_rate\" : %.3f },"
                                + " \"kv_cache\" : { \"preemptions\" : %d },",
                        0.7 + 0.05 * q + 0.1 * s, 5.6 + 0.4 * q + 0.8 * s, 0.6 * s, 40 >> q));
                variants.add(new ComparisonReport.Variant(name, settings, summary, List.of(
                        new Distribution("ttft", "all", quantiles(ttft, 100), ttft.length),
                        new Distribution("e2e", "all", quantiles(e2e, 100), e2e.length),
                        new Distribution("tpot", "all", quantiles(tpot, 100), tpot.length),
                        new Distribution("ttft", "turn 1", latencies.ttftFirst()),
                        new Distribution("ttft", "turns 2+", latencies.ttftLater()))));
            }
        }
        return new ComparisonReport("sweep", List.of(new ComparisonReport.Parameter("cache.strategy", strategies),
                new ComparisonReport.Parameter("framework.max_num_seqs", sequences)), variants);
    }

    /** {@code count} evenly spaced quantiles of a sample. */
    static double[] quantiles(double[] values, int count) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        double[] quantiles = new double[count];
        for (int i = 0; i < count; i++) {
            quantiles[i] = sorted[(int) Math.round((double) i * (sorted.length - 1) / (count - 1))];
        }
        return quantiles;
    }

    /** Milliseconds per request; turns 2+ reuse the conversation prefix, so caching shortens their prefill. */
    record Latencies(double[] ttftFirst, double[] ttftLater, double[] tpotFirst, double[] tpotLater,
            double[] e2eFirst, double[] e2eLater) {
        List<Distribution> distributions() {
            return List.of(
                    new Distribution("ttft", "turn 1", ttftFirst), new Distribution("ttft", "turns 2+", ttftLater),
                    new Distribution("e2e", "turn 1", e2eFirst), new Distribution("e2e", "turns 2+", e2eLater),
                    new Distribution("tpot", "turn 1", tpotFirst), new Distribution("tpot", "turns 2+", tpotLater));
        }
    }

    private static Latencies generate(double hitBenefit, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int requests = 960;
        double[][] columns = new double[6][requests];
        int first = 0;
        int later = 0;
        for (int i = 0; i < requests; i++) {
            boolean firstTurn = random.nextDouble() < 0.35;
            // later turns carry the conversation so far: a longer prompt, mostly cached when caching is on
            double prefillMs = firstTurn ? 55 : 110 * (1 - 0.6 * hitBenefit);
            double ttft = prefillMs * Math.exp(0.45 * gaussian(random)) + queueMs(random);
            double tpot = 9.0 + 0.7 * gaussian(random) + (random.nextDouble() < 0.01 ? 12 : 0);
            double e2e = ttft + tpot * (64 + random.nextInt(448));
            int row = firstTurn ? first++ : later++;
            int offset = firstTurn ? 0 : 1;
            columns[offset][row] = ttft;
            columns[2 + offset][row] = Math.max(1, tpot);
            columns[4 + offset][row] = e2e;
        }
        return new Latencies(Arrays.copyOf(columns[0], first), Arrays.copyOf(columns[1], later),
                Arrays.copyOf(columns[2], first), Arrays.copyOf(columns[3], later),
                Arrays.copyOf(columns[4], first), Arrays.copyOf(columns[5], later));
    }

    private static double queueMs(SplittableRandom random) {
        return random.nextDouble() < 0.3 ? -25 * Math.log(1 - random.nextDouble()) : 0;
    }

    private static double gaussian(SplittableRandom random) {
        // Box-Muller, so the sample depends on the seed only
        return Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
    }

    private static List<Series> series(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int points = 121;
        double[] times = new double[points];
        double[][] values = new double[7][points];
        double kv = 0;
        for (int i = 0; i < points; i++) {
            times[i] = i;
            double load = Math.min(1, i / 15.0);
            values[0][i] = load * (2050 + 180 * gaussian(random));
            values[1][i] = load * (8 + 1.2 * gaussian(random));
            values[2][i] = Math.max(0, Math.round(load * 3 + 2.5 * gaussian(random) + (i > 60 && i < 70 ? 12 : 0)));
            values[3][i] = Math.round(load * (30 + 4 * gaussian(random)));
            kv = Math.min(0.95, kv + load * 0.012 + 0.004 * gaussian(random));
            values[4][i] = Math.max(0, kv);
            values[5][i] = i == 0 ? Double.NaN : load * (0.62 + 0.05 * gaussian(random));
            values[6][i] = load * (8200 + 600 * gaussian(random));
        }
        return List.of(
                new Series("throughput", "output tokens/s", "tokens/s", times, values[0]),
                new Series("throughput", "input tokens/s", "tokens/s", times, values[6]),
                new Series("throughput", "completed requests/s", "requests/s", times, values[1]),
                new Series("queue", "waiting requests", "requests", times, values[2]),
                new Series("batch", "running requests", "requests", times, values[3]),
                new Series("kv", "KV cache usage", "fraction of blocks", times, values[4]),
                new Series("hit-rate", "prefix cache hit rate", "fraction of prompt tokens", times, values[5]));
    }

    static String summaryJson(Latencies latencies) {
        double[] ttft = concat(latencies.ttftFirst(), latencies.ttftLater());
        double[] tpot = concat(latencies.tpotFirst(), latencies.tpotLater());
        double[] e2e = concat(latencies.e2eFirst(), latencies.e2eLater());
        return String.format(Locale.ROOT, """
                {
                  "run_name" : "sample",
                  "requests" : { "arrived" : %d, "completed" : %d, "rejected" : 0, "unfinished" : 0 },
                  "latency_ms" : {
                    "ttft" : { "p50" : %s, "p99" : %s },
                    "tpot" : { "p50" : %s, "p99" : %s },
                    "e2e" : { "p50" : %s, "p99" : %s }
                  },
                  "throughput" : { "requests_per_s" : 8.0, "output_tokens_per_s" : 2064.6 },
                  "breakdown" : { "by_replica" : {
                    "0" : { "requests" : 500, "completed" : 500, "ttft_ms" : { "p50" : 30.5, "p99" : 90.1 },
                            "e2e_ms" : { "p99" : 2800.0 }, "output_tokens_per_s" : 1100.2, "token_hit_rate" : 0.25 },
                    "1" : { "requests" : 460, "completed" : 460, "ttft_ms" : { "p50" : 28.0, "p99" : 80.0 },
                            "e2e_ms" : { "p99" : 2700.0 }, "output_tokens_per_s" : 964.4, "token_hit_rate" : 0.5 } } },
                  "cluster" : { "router" : "round-robin", "request_imbalance" : 1.04, "output_token_imbalance" : 1.07 }
                }
                """, ttft.length, ttft.length, quantile(ttft, 0.5), quantile(ttft, 0.99), quantile(tpot, 0.5),
                quantile(tpot, 0.99), quantile(e2e, 0.5), quantile(e2e, 0.99));
    }

    private static double[] concat(double[] a, double[] b) {
        double[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    private static double quantile(double[] values, double q) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[(int) Math.ceil(q * sorted.length) - 1];
    }
}
