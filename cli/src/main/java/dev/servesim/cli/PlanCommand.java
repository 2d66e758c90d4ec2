package dev.servesim.cli;

import dev.servesim.api.ErrorKind;
import dev.servesim.api.ServesimException;
import dev.servesim.planner.Evaluation;
import dev.servesim.planner.Outcome;
import dev.servesim.planner.Plan;
import dev.servesim.planner.PlanListener;
import dev.servesim.planner.PlanRequest;
import dev.servesim.planner.PlanSlo;
import dev.servesim.planner.PlanWriter;
import dev.servesim.planner.Planner;
import dev.servesim.planner.SearchSpace;
import dev.servesim.planner.Verification;
import dev.servesim.runner.ConfigLoader;
import dev.servesim.runner.RunControl;
import dev.servesim.runner.Shard;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code servesim plan}. */
@Command(name = "plan", mixinStandardHelpOptions = true,
        description = {"Find the deployments that meet latency SLOs at a target rate - the cheapest, the fewest GPUs, "
                + "the cost-latency Pareto front - or, without a target, each one's highest sustainable rate.",
                "Example: servesim plan examples/plan-h100-vs-h200.yaml --slo ttft_p99=0.5,tpot_p99=0.05 "
                        + "--target rate=40 --search framework.hardware=H100-SXM-80GB,H200-SXM-141GB "
                        + "--search framework.tensor_parallel_size=1,2,4 --search cluster.replicas=1..32"})
final class PlanCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "CONFIG", description = "Run configuration (.yaml, .yml or .json).")
    Path config;

    @Option(names = "--slo", paramLabel = "KEY=SECONDS,...", required = true,
            description = "Objectives every run must meet: ttft|tpot|itl|e2e _ p50|p90|p95|p99|mean|max, in seconds "
                    + "(or with ms), e.g. ttft_p99=0.5,tpot_p99=0.05.")
    String slo;

    @Option(names = "--target", paramLabel = "rate=R",
            description = "The arrival rate to serve (the workload's unit). Without it, each candidate's highest "
                    + "rate meeting the SLOs is found.")
    String target;

    @Option(names = "--search", paramLabel = "KEY=V1,V2,...",
            description = "A key and the values to try (repeatable; the cross product is searched); "
                    + "cluster.replicas=A..B (or a list) is searched by bisection. Default replicas at a target: 1..64.")
    List<String> searches = new ArrayList<>();

    @Option(names = "--budget", paramLabel = "gpus=N,usd_per_hour=X",
            description = "Limits: the most GPUs and/or dollars per hour a deployment may use.")
    String budget;

    @Option(names = "--seeds", paramLabel = "N", defaultValue = "3",
            description = "Seeds run at each operating point; their spread is the band, and at a target rate every "
                    + "seed must meet the SLOs. Default: ${DEFAULT-VALUE}.")
    int seeds;

    @Option(names = "--seed", paramLabel = "N", description = "Seed of every run (overrides 'seed').")
    Long seed;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override a key in every candidate (repeatable).")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--rate-key", paramLabel = "KEY", defaultValue = PlanRequest.DEFAULT_RATE_KEY,
            description = "The configuration key of the arrival rate. Default: ${DEFAULT-VALUE}.")
    String rateKey;

    @Option(names = "--out", paramLabel = "DIR", description = "Output folder. Default: runs/<name>-plan.")
    Path out;

    @Option(names = "--jobs", paramLabel = "N", description = "Candidates searched at once. Default: the cores.")
    Integer jobs;

    @Option(names = "--shard", paramLabel = "I/N",
            description = "Search only shard I of N of the candidates (deterministic, whatever the order of the "
                    + "--search options).")
    String shard;

    @Option(names = "--verify", paramLabel = "URL",
            description = "Then drive the server at URL (one replica of a deployment, OpenAI API) with the workload at "
                    + "each of the top deployments' load per replica, and print measured beside predicted "
                    + "(verify.json).")
    String verify;

    @Option(names = "--verify-top", paramLabel = "K", defaultValue = "1",
            description = "How many of the cheapest deployments --verify checks. Default: ${DEFAULT-VALUE}.")
    int verifyTop;

    @Option(names = "--quiet", description = "Print nothing but errors.")
    boolean quiet;

    @Mixin
    CommonOptions common;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    private volatile RunControl verification;

    @Override
    public Integer call() {
        ConfigLoader loader = new ConfigLoader(common.registry());
        Path outputDirectory = out != null ? out
                : Path.of("runs", loader.load(config, overrides).settings().name() + "-plan");
        Integer maxGpus = null;
        Double maxUsd = null;
        if (budget != null) {
            for (String part : budget.split(",")) {
                String[] pair = part.trim().split("=", 2);
                try {
                    if (pair.length == 2 && pair[0].trim().equals("gpus")) {
                        maxGpus = Integer.parseInt(pair[1].trim());
                        continue;
                    }
                    if (pair.length == 2 && pair[0].trim().equals("usd_per_hour")) {
                        maxUsd = Double.parseDouble(pair[1].trim());
                        continue;
                    }
                } catch (NumberFormatException e) {
                    // reported below
                }
                throw new ServesimException(ErrorKind.CONFIG, "--budget " + budget + ": expected gpus=N and/or "
                        + "usd_per_hour=X, e.g. gpus=64");
            }
        }
        PlanRequest request = new PlanRequest(config, overrides, seed, PlanSlo.parse(slo), targetRate(),
                SearchSpace.parse(searches), rateKey, seeds, maxGpus, maxUsd,
                jobs != null ? jobs : Runtime.getRuntime().availableProcessors(), outputDirectory,
                shard == null ? Shard.ALL : Shard.parse(shard));
        PrintWriter err = spec.commandLine().getErr();
        Planner planner = new Planner(loader, request, quiet ? PlanListener.NONE : progress(err));
        Plan plan;
        PlanWriter.Chosen chosen;
        InterruptHook onInterrupt = InterruptHook.install(() -> {
            planner.stop();
            RunControl running = verification;
            if (running != null) {
                running.requestStop();
            }
        });
        try {
            plan = planner.run();
            if (!quiet && System.console() != null) {
                err.println();
            }
            chosen = PlanWriter.write(plan, planner);
            if (!quiet) {
                print(spec.commandLine().getOut(), plan, chosen, outputDirectory);
            }
            if (verify != null && !plan.partial() && !plan.meeting().isEmpty()) {
                if (!quiet) {
                    err.println("servesim plan: verifying against " + verify + " (real time: the workload's length "
                            + "per deployment)");
                    err.flush();
                }
                RunControl control = new RunControl();
                verification = control;
                List<Verification.Check> checks = Verification.run(planner, plan, verify, verifyTop, control);
                if (!quiet) {
                    spec.commandLine().getOut().print(Verification.table(checks));
                    spec.commandLine().getOut().println("verification in " + outputDirectory.resolve(
                            Verification.FILE));
                    spec.commandLine().getOut().flush();
                }
            }
        } finally {
            onInterrupt.close();
        }
        if (plan.partial()) {
            return ServesimCommand.EXIT_INTERRUPTED;
        }
        return 0;
    }

    private Double targetRate() {
        if (target == null) {
            return null;
        }
        String value = target.trim();
        if (value.startsWith("rate=")) {
            value = value.substring("rate=".length());
        }
        try {
            return Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            throw new ServesimException(ErrorKind.CONFIG, "--target " + target + ": expected rate=R, e.g. rate=40");
        }
    }

    private static PlanListener progress(PrintWriter err) {
        boolean terminal = System.console() != null;
        long start = System.nanoTime();
        return new PlanListener() {
            @Override
            public synchronized void evaluated(String candidate, Evaluation evaluation, int runs) {
                if (terminal) {
                    err.printf(Locale.ROOT, "\rservesim plan: %d runs, %.1f s\u001B[K", runs,
                            (System.nanoTime() - start) / 1e9);
                    err.flush();
                }
            }

            @Override
            public synchronized void decided(Outcome outcome, int decided, int candidates) {
                int filled = Math.round(24f * decided / candidates);
                err.printf(Locale.ROOT, "%sservesim plan: [%s%s] %d/%d %s: %s%s%n", terminal ? "\r" : "",
                        "#".repeat(filled), " ".repeat(24 - filled), decided, candidates, outcome.name(),
                        outcome.status().label(), terminal ? "\u001B[K" : "");
                err.flush();
            }
        };
    }

    private static void print(PrintWriter out, Plan plan, PlanWriter.Chosen chosen, Path folder) {
        PlanTable.print(out, plan);
        Outcome cheapest = plan.cheapest();
        if (plan.partial()) {
            out.println("partial plan: interrupted; the candidates decided so far are in plan.json");
        }
        if (cheapest == null) {
            out.println("no candidate meets " + plan.request().slo() + (plan.request().targeted()
                    ? " at " + plan.request().targetRate() + "/s" : ""));
        } else {
            out.println("cheapest:    " + PlanTable.describe(cheapest));
            Outcome fewest = plan.fewestGpus();
            if (fewest != null && fewest != cheapest) {
                out.println("fewest GPUs: " + PlanTable.describe(fewest));
            }
            Outcome highest = plan.highestRate();
            if (highest != null && highest != cheapest) {
                out.println("highest rate: " + PlanTable.describe(highest));
            }
            out.println("Pareto front: " + plan.pareto().size() + " of " + plan.meeting().size()
                    + " meeting candidates");
        }
        if (chosen != null && !chosen.serveCommand().isEmpty()) {
            out.println("chosen, as " + chosen.server() + ": " + chosen.serveCommand());
        }
        out.println("results in " + folder + ": plan.json, plan.csv, plan.html" + (chosen == null ? ""
                : ", chosen/ (config.yaml, its run and report" + (chosen.serveScript().isEmpty() ? ")"
                        : ", " + chosen.serveScript() + ", deployment.yaml)")));
        out.flush();
    }
}
