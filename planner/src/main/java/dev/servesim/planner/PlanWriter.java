package dev.servesim.planner;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.servesim.api.ErrorKind;
import dev.servesim.api.ServesimException;
import dev.servesim.api.engine.EngineInfo;
import dev.servesim.report.HtmlReport;
import dev.servesim.report.PlanReport;
import dev.servesim.runner.RunConfiguration;
import dev.servesim.runner.RunControl;
import dev.servesim.runner.RunResult;
import dev.servesim.runner.SimulationRunner;
import dev.servesim.runner.Variation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;

/**
 * Writes a plan's files: {@code plan.json}, {@code plan.csv} and {@code plan.html}, and for the chosen deployment the
 * folder {@code chosen/} with its run (summary.json, requests.csv, report.html), the {@code config.yaml} that
 * {@code servesim run} reproduces it from, {@code vllm-serve.sh} (or {@code sglang-serve.sh}) and {@code deployment.yaml}. Every file is written
 * whole or not at all.
 */
public final class PlanWriter {

    /** The chosen deployment's folder inside the plan's. */
    public static final String CHOSEN = "chosen";

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private PlanWriter() {}

    /** The chosen deployment's files, or {@code null} when nothing meets the objectives. */
    public record Chosen(Outcome outcome, Path folder, String serveCommand, RunResult run, String server,
            String serveScript) {

        /** The chosen deployment without a command (another framework's, or replica groups): no files either. */
        Chosen(Outcome outcome, Path folder, RunResult run) {
            this(outcome, folder, "", run, "", "");
        }
    }

    /** Writes every file of {@code plan} into the request's output folder; returns the chosen deployment. */
    public static Chosen write(Plan plan, Planner planner) {
        Path out = plan.request().out();
        Chosen chosen = plan.partial() || plan.chosen() == null ? null : writeChosen(plan, planner, out);
        String json = json(plan, chosen);
        writeAtomically(out.resolve("plan.json"), json);
        writeAtomically(out.resolve("plan.csv"), csv(plan));
        writeAtomically(out.resolve("plan.html"), HtmlReport.render(new PlanReport("servesim plan "
                + plan.request().config().getFileName(), json)));
        return chosen;
    }

    private static Chosen writeChosen(Plan plan, Planner planner, Path out) {
        Outcome outcome = plan.chosen();
        Evaluation point = outcome.result();
        List<String> assignments = outcome.assignments().stream()
                .filter(assignment -> !assignment.startsWith(SearchSpace.REPLICAS_KEY + "=")).toList();
        boolean fixed = CandidateSearch.fixedSize(planner.runs().configuration(assignments, null, point.rate(),
                "[]"));
        RunConfiguration configuration = planner.runs().configuration(assignments, fixed ? null : point.replicas(),
                point.rate(), "[json, csv, html]").withSeed(point.seed());
        Path folder = out.resolve(CHOSEN);
        EngineInfo info = planner.runs().engines(configuration).get(0);
        RunResult run = SimulationRunner.run(configuration, folder, new RunControl());
        writeAtomically(folder.resolve("config.yaml"), "# The deployment servesim plan chose: " + outcome.name()
                + "\n# servesim run config.yaml reproduces its figures.\n" + configuration.resolvedYaml());
        DeploymentFiles.Launch launch = DeploymentFiles.launch(configuration.resolvedTree(), info);
        String summary = String.format(Locale.ROOT, "%s; %d replicas x %d %s GPUs at %s/s", outcome.name(),
                point.replicas(), outcome.gpusPerReplica(), outcome.gpu(), Runs.text(point.rate()));
        // replica groups (or pools) each need their own command: the configuration says which
        if (fixed || launch == null) {
            return new Chosen(outcome, folder, run);
        }
        String command = launch.line();
        writeAtomically(folder.resolve(launch.script()), "#!/bin/sh\n# Written by servesim plan: " + summary
                + "\n# One replica; run it on each of the " + point.replicas() + " replicas' nodes.\nexec "
                + command + " \"$@\"\n");
        writeAtomically(folder.resolve("deployment.yaml"), DeploymentFiles.kubernetes(
                plan.request().config().getFileName().toString().replaceFirst("\\.[^.]*$", ""), launch, info,
                point.replicas(), summary));
        return new Chosen(outcome, folder, command, run, launch.server(), launch.script());
    }

    static String json(Plan plan, Chosen chosen) {
        PlanRequest request = plan.request();
        ObjectNode root = JSON.createObjectNode();
        root.put("config", request.config().toString());
        root.put("mode", request.targeted() ? "target" : "max_rate");
        ObjectNode slo = root.putObject("slo");
        request.slo().thresholds().forEach(slo::put);
        if (request.targeted()) {
            root.putObject("target").put("rate", request.targetRate());
        } else {
            root.putNull("target");
        }
        ObjectNode search = root.putObject("search");
        for (Variation variation : request.space().dimensions()) {
            ArrayNode values = search.putArray(variation.key());
            variation.values().forEach(values::add);
        }
        List<Integer> counts = request.space().replicas();
        if (counts.isEmpty()) {
            root.putNull("replicas");
        } else {
            root.putObject("replicas").put("min", counts.get(0)).put("max", counts.get(counts.size() - 1));
        }
        if (request.seed() != null) {
            root.put("seed", request.seed());
        } else {
            root.putNull("seed");
        }
        root.put("seeds", request.seeds());
        root.put("shard", request.shard().toString());
        root.put("partial", plan.partial());
        ObjectNode recommendation = root.putObject("recommendation");
        name(recommendation, "cheapest", plan.cheapest());
        name(recommendation, "fewest_gpus", plan.fewestGpus());
        name(recommendation, "highest_rate", plan.highestRate());
        ArrayNode pareto = root.putArray("pareto");
        plan.pareto().forEach(outcome -> pareto.add(outcome.name()));
        if (chosen == null) {
            root.putNull("chosen");
        } else {
            ObjectNode node = root.putObject("chosen");
            node.put("name", chosen.outcome().name());
            node.put("folder", CHOSEN);
            node.put("config", CHOSEN + "/config.yaml");
            // vllm_serve: the vLLM command line alone, as plan.json had it before the sglang engine
            node.put("vllm_serve", chosen.server().equals("vLLM") ? chosen.serveCommand() : "");
            node.put("serve", chosen.serveCommand());
            node.put("serve_script", chosen.serveScript().isEmpty() ? "" : CHOSEN + "/" + chosen.serveScript());
            node.put("kubernetes", chosen.serveCommand().isEmpty() ? "" : CHOSEN + "/deployment.yaml");
            node.put("report", CHOSEN + "/report.html");
        }
        ArrayNode candidates = root.putArray("candidates");
        for (Outcome outcome : plan.outcomes()) {
            candidates.add(candidate(outcome, request));
        }
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new ServesimException(ErrorKind.IO, "cannot write plan.json: " + e.getMessage(), e);
        }
    }

    private static ObjectNode candidate(Outcome outcome, PlanRequest request) {
        ObjectNode node = JSON.createObjectNode();
        node.put("name", outcome.name());
        ObjectNode settings = node.putObject("settings");
        for (String assignment : outcome.assignments()) {
            int equals = assignment.indexOf('=');
            settings.put(assignment.substring(0, equals), assignment.substring(equals + 1));
        }
        node.put("status", outcome.status().label());
        node.put("reason", outcome.reason());
        node.put("gpu", outcome.gpu());
        node.put("gpus_per_replica", outcome.gpusPerReplica());
        if (outcome.result() == null) {
            node.putNull("replicas");
            node.putNull("gpus");
        } else {
            node.put("replicas", outcome.replicas());
            node.put("gpus", outcome.gpus());
        }
        number(node, "rate", outcome.rate());
        number(node, "usd_per_hour", outcome.usdPerHour());
        number(node, "usd_per_million_output_tokens", outcome.usdPerMillionOutputTokens());
        ObjectNode figures = node.putObject("figures");
        for (String key : request.slo().keys()) {
            number(figures, key + "_ms", outcome.figureMs(key));
        }
        for (String key : List.of("ttft_p50", "tpot_p50", "e2e_p99")) {
            if (!request.slo().thresholds().containsKey(key)) {
                number(figures, key + "_ms", outcome.figureMs(key));
            }
        }
        if (outcome.result() != null) {
            var summary = outcome.result().summary();
            number(figures, "requests_per_s", summary.throughput().requestsPerS());
            number(figures, "goodput_share", summary.goodput().share());
            number(figures, "output_tokens_per_gpu_per_s", summary.resources().outputTokensPerGpuPerS());
            number(figures, "token_hit_rate", summary.prefixCache().tokenHitRate());
        }
        ObjectNode band = node.putObject("band");
        for (String key : request.slo().keys()) {
            double[] range = outcome.band().get(key);
            if (range != null) {
                ArrayNode pair = band.putArray(key + "_ms");
                pair.add(range[0]);
                pair.add(range[1]);
            }
        }
        ObjectNode modelBand = node.putObject("model_band");
        for (String key : request.slo().keys()) {
            double[] range = outcome.modelBand().get(key);
            if (range != null) {
                ArrayNode pair = modelBand.putArray(key + "_ms");
                pair.add(range[0]);
                pair.add(range[1]);
            }
        }
        node.put("seeds_meeting", outcome.seedsMeeting());
        if (outcome.saturation() == null) {
            node.putNull("saturation");
        } else {
            ObjectNode saturation = node.putObject("saturation");
            number(saturation, "rate_per_replica", outcome.saturation().ratePerReplica());
            saturation.put("limit", outcome.saturation().limit());
            saturation.put("detail", outcome.saturation().detail());
        }
        number(node, "roofline_rate_per_replica", outcome.rooflineRatePerReplica());
        node.put("calibration", outcome.calibration());
        ArrayNode evaluations = node.putArray("evaluations");
        for (Evaluation evaluation : outcome.evaluations()) {
            ObjectNode run = evaluations.addObject();
            run.put("replicas", evaluation.replicas());
            number(run, "rate", evaluation.rate());
            run.put("seed", evaluation.seed());
            run.put("meets", evaluation.meets());
            for (String key : request.slo().keys()) {
                number(run, key + "_ms", PlanSlo.figureMs(evaluation.summary(), key));
            }
            ArrayNode violations = run.putArray("violations");
            evaluation.violations().forEach(violations::add);
        }
        return node;
    }

    private static void name(ObjectNode node, String key, Outcome outcome) {
        if (outcome == null) {
            node.putNull(key);
        } else {
            node.put(key, outcome.name());
        }
    }

    /** Puts {@code value}, or null when it is not finite (JSON has no NaN). */
    static void number(ObjectNode node, String key, double value) {
        if (Double.isFinite(value)) {
            node.put(key, value);
        } else {
            node.putNull(key);
        }
    }

    static String csv(Plan plan) {
        PlanRequest request = plan.request();
        StringBuilder csv = new StringBuilder("candidate");
        for (Variation variation : request.space().dimensions()) {
            csv.append(',').append(variation.key());
        }
        csv.append(",status,replicas,gpus,gpu,rate,usd_per_hour,usd_per_million_output_tokens");
        for (String key : request.slo().keys()) {
            csv.append(',').append(key).append("_ms,").append(key).append("_ms_low,").append(key).append("_ms_high,")
                    .append(key).append("_ms_model_low,").append(key).append("_ms_model_high");
        }
        csv.append(",saturation_rate_per_replica,limit,roofline_rate_per_replica,calibration,reason\n");
        for (Outcome outcome : plan.outcomes()) {
            csv.append(quoted(outcome.name()));
            for (Variation variation : request.space().dimensions()) {
                String value = outcome.assignments().stream()
                        .filter(assignment -> assignment.startsWith(variation.key() + "="))
                        .map(assignment -> assignment.substring(assignment.indexOf('=') + 1)).findFirst().orElse("");
                csv.append(',').append(quoted(value));
            }
            csv.append(',').append(outcome.status().label()).append(',').append(outcome.replicas()).append(',')
                    .append(outcome.gpus()).append(',').append(quoted(outcome.gpu())).append(',')
                    .append(decimal(outcome.rate())).append(',').append(decimal(outcome.usdPerHour())).append(',')
                    .append(decimal(outcome.usdPerMillionOutputTokens()));
            for (String key : request.slo().keys()) {
                double[] band = outcome.band().get(key);
                double[] model = outcome.modelBand().get(key);
                csv.append(',').append(decimal(outcome.figureMs(key))).append(',')
                        .append(band == null ? "" : decimal(band[0])).append(',')
                        .append(band == null ? "" : decimal(band[1])).append(',')
                        .append(model == null ? "" : decimal(model[0])).append(',')
                        .append(model == null ? "" : decimal(model[1]));
            }
            Saturation saturation = outcome.saturation();
            csv.append(',').append(saturation == null ? "" : decimal(saturation.ratePerReplica())).append(',')
                    .append(saturation == null ? "" : quoted(saturation.limit())).append(',')
                    .append(decimal(outcome.rooflineRatePerReplica())).append(',')
                    .append(quoted(outcome.calibration())).append(',').append(quoted(outcome.reason())).append('\n');
        }
        return csv.toString();
    }

    private static String decimal(double value) {
        return Double.isFinite(value) ? String.format(Locale.ROOT, "%.6f", value) : "";
    }

    private static String quoted(String value) {
        return value.contains(",") || value.contains("\"") || value.contains("\n")
                ? "\"" + value.replace("\"", "\"\"").replace("\n", " ") + "\"" : value;
    }

    /** Writes {@code text} to a temporary file beside {@code target}, then moves it into place. */
    static void writeAtomically(Path target, String text) {
        try {
            Files.createDirectories(target.toAbsolutePath().getParent());
            Path temporary = Files.createTempFile(target.toAbsolutePath().getParent(), ".plan", ".tmp");
            try {
                Files.writeString(temporary, text);
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(temporary);
            }
        } catch (IOException e) {
            throw new ServesimException(ErrorKind.IO, "cannot write " + target + ": " + e.getMessage(), e);
        }
    }
}
