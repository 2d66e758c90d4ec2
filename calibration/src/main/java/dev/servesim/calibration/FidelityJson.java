package dev.servesim.calibration;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;

/** The tree of {@code fidelity.json}; keys are documented in docs/fidelity.md. */
final class FidelityJson {

    private FidelityJson() {}

    static ObjectNode of(FidelityResult result, Path runsFile, ObjectMapper mapper) {
        ObjectNode root = mapper.createObjectNode();
        root.put("runs_file", runsFile.toString());
        SimulationSettings settings = result.settings();
        ObjectNode settingsNode = root.putObject("settings");
        settingsNode.put("step_time", settings.stepTime());
        settingsNode.put("coefficients", settings.coefficients().map(Path::toString).orElse(null));
        settingsNode.put("seeds", settings.seeds());
        settingsNode.put("duration_scale", settings.durationScale());
        settingsNode.put("prompt_pool", settings.promptPool());
        settingsNode.put("default_prompt_extra_tokens", SimulationSettings.DEFAULT_PROMPT_EXTRA_TOKENS);
        settingsNode.put("sustainable_rate", settings.sustainableRate());
        ArrayNode names = root.putArray("metrics");
        Metrics.NAMES.forEach(names::add);
        ArrayNode runs = root.putArray("runs");
        for (RunOutcome outcome : result.outcomes()) {
            ObjectNode run = runs.addObject();
            run.put("run_id", outcome.runId());
            if (outcome instanceof RunOutcome.Skipped skipped) {
                run.put("status", "skipped");
                run.put("reason", skipped.reason());
            } else if (outcome instanceof RunOutcome.Evaluated evaluated) {
                evaluated(run, evaluated);
            }
        }
        Aggregates aggregates = result.aggregates();
        ObjectNode aggregate = root.putObject("aggregates");
        aggregate.put("runs_total", aggregates.runsTotal());
        aggregate.put("runs_covered", aggregates.runsCovered());
        aggregate.put("runs_skipped", aggregates.runsTotal() - aggregates.runsCovered());
        metrics(aggregate.putObject("median_ape"), aggregates.medianApeByMetric());
        metrics(aggregate.putObject("median_pe"), aggregates.medianPeByMetric());
        FidelityReport.put(aggregate, "median_per_run_ape", aggregates.medianPerRunApe());
        FidelityReport.put(aggregate, "per_run_ape_p25", aggregates.perRunApeP25());
        FidelityReport.put(aggregate, "per_run_ape_p75", aggregates.perRunApeP75());
        FidelityReport.put(aggregate, "max_e2e_mean_ape", aggregates.maxE2eMeanApe());
        aggregate.put("false_saturations", aggregates.falseSaturations());
        aggregate.put("missed_saturations", aggregates.missedSaturations());
        aggregate.put("runs_above_sustainable_rate", aggregates.runsAboveSustainableRate());
        return root;
    }

    private static void evaluated(ObjectNode run, RunOutcome.Evaluated evaluated) {
        RunSpec spec = evaluated.spec();
        run.put("status", "evaluated");
        run.put("model", spec.model());
        run.put("tp", spec.tp());
        run.put("prompt_extra_tokens", ScenarioYaml.promptExtraTokens(spec));
        run.put("itl_output_tokens", spec.impliedOutputTokensMean().orElse(spec.outputLen()));
        milliseconds(run.putObject("predicted"), evaluated.predicted().values());
        milliseconds(run.putObject("actual"), spec.actual().values());
        metrics(run.putObject("ape"), boxed(evaluated.ape()));
        metrics(run.putObject("pe"), boxed(evaluated.pe()));
        FidelityReport.put(run, "median_ape", evaluated.medianApe());
        ObjectNode range = run.putObject("seed_range_ms");
        for (int m = 0; m < Metrics.NAMES.size(); m++) {
            double[] minMax = evaluated.seedRange(m);
            range.putArray(Metrics.NAMES.get(m) + "_ms").add(minMax[0]).add(minMax[1]);
        }
        run.put("seeds", evaluated.seeds().size());
        run.put("completed_requests", evaluated.seeds().stream().mapToLong(SimulatedRun::completed).sum());
        run.put("unsuccessful_requests", evaluated.seeds().stream().mapToLong(SimulatedRun::unsuccessful).sum());
        ObjectNode kv = run.putObject("kv_capacity");
        if (spec.totalKvBlocks().isPresent()) {
            kv.put("total_kv_blocks", spec.totalKvBlocks().getAsLong());
        } else {
            kv.putNull("total_kv_blocks");
        }
        if (evaluated.derivedGpuBlocks().isPresent()) {
            kv.put("derived_gpu_blocks", evaluated.derivedGpuBlocks().getAsLong());
        } else {
            kv.putNull("derived_gpu_blocks");
        }
        FidelityReport.put(kv, "derived_error_percent", evaluated.kvCapacityErrorPercent().orElse(Double.NaN));
        kv.put("note", evaluated.kvNote().orElse(null));
        saturation(run, evaluated);
    }

    private static void saturation(ObjectNode run, RunOutcome.Evaluated evaluated) {
        if (evaluated.sustainableRate().isPresent()) {
            SustainableRate rate = evaluated.sustainableRate().get();
            run.put("sustainable_rate_rps", rate.requestsPerSecond());
            run.putArray("sustainable_rate_window_s").add(rate.windowStartSeconds()).add(rate.windowEndSeconds());
        } else {
            run.putNull("sustainable_rate_rps");
            run.putNull("sustainable_rate_window_s");
        }
        run.put("sustainable_rate_note", evaluated.sustainableRateNote().orElse(null));
        ArrayNode stageRates = run.putArray("stage_rates_rps");
        evaluated.spec().stageRates().forEach(stageRates::add);
        if (evaluated.stagesAboveSustainableRate().isPresent()) {
            ArrayNode above = run.putArray("stages_above_sustainable_rate");
            evaluated.stagesAboveSustainableRate().get().forEach(above::add);
        } else {
            run.putNull("stages_above_sustainable_rate");
        }
        run.put("saturation", evaluated.saturation().key());
    }

    private static void milliseconds(ObjectNode node, double[] values) {
        for (int m = 0; m < values.length; m++) {
            FidelityReport.put(node, Metrics.NAMES.get(m) + "_ms", values[m]);
        }
    }

    private static void metrics(ObjectNode node, List<Double> values) {
        for (int m = 0; m < values.size(); m++) {
            FidelityReport.put(node, Metrics.NAMES.get(m), values.get(m));
        }
    }

    private static List<Double> boxed(double[] values) {
        return java.util.Arrays.stream(values).boxed().toList();
    }
}
