package dev.servesim.calibration;

import java.util.ArrayList;
import java.util.List;

/** The rows of {@code fidelity.csv}: one per row of the runs file, skipped rows included. */
final class FidelityCsv {

    private FidelityCsv() {}

    static String of(FidelityResult result) {
        List<String> header = new ArrayList<>(List.of("run_id", "model", "status", "reason"));
        for (String name : Metrics.NAMES) {
            header.addAll(List.of(name + "_predicted_ms", name + "_actual_ms", name + "_ape", name + "_pe"));
        }
        header.addAll(List.of("median_ape", "total_kv_blocks", "derived_gpu_blocks", "kv_derived_error_percent",
                "sustainable_rate_rps", "stage_rates_rps", "stages_above_sustainable_rate", "saturation"));
        StringBuilder csv = new StringBuilder(String.join(",", header)).append('\n');
        for (RunOutcome outcome : result.outcomes()) {
            List<String> cells = new ArrayList<>();
            cells.add(outcome.runId());
            if (outcome instanceof RunOutcome.Evaluated run) {
                cells.addAll(List.of(run.spec().model(), "evaluated", ""));
                double[] predicted = run.predicted().values();
                double[] actual = run.spec().actual().values();
                double[] ape = run.ape();
                double[] pe = run.pe();
                for (int m = 0; m < predicted.length; m++) {
                    cells.addAll(List.of(number(predicted[m]), number(actual[m]), number(ape[m]), number(pe[m])));
                }
                cells.add(number(run.medianApe()));
                cells.add(run.spec().totalKvBlocks().isPresent() ? "" + run.spec().totalKvBlocks().getAsLong() : "");
                cells.add(run.derivedGpuBlocks().isPresent() ? "" + run.derivedGpuBlocks().getAsLong() : "");
                cells.add(run.kvCapacityErrorPercent().map(FidelityCsv::number).orElse(""));
                cells.add(run.sustainableRate().map(rate -> number(rate.requestsPerSecond())).orElse(""));
                cells.add(joined(run.spec().stageRates().stream().map(FidelityCsv::number).toList()));
                cells.add(run.stagesAboveSustainableRate().map(above -> joined(above.stream().map(String::valueOf)
                        .toList())).orElse(""));
                cells.add(run.saturation().key());
            } else {
                cells.addAll(List.of("", "skipped", ((RunOutcome.Skipped) outcome).reason()));
                while (cells.size() < header.size()) {
                    cells.add("");
                }
            }
            csv.append(String.join(",", cells.stream().map(CsvLine::quote).toList())).append('\n');
        }
        return csv.toString();
    }

    /** A list in one cell, separated as the stages of a runs file: {@code 2.5;6.0}. */
    private static String joined(List<String> values) {
        return String.join(";", values);
    }

    private static String number(double value) {
        return Double.isFinite(value) ? Double.toString(value) : "";
    }
}
