package dev.servesim.calibration;

import static java.util.Objects.requireNonNull;

import dev.servesim.runner.PluginRegistry;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;

/** The {@code servesim fidelity} command's work: simulate a runs file, print the tables, write the files. */
public final class Fidelity {

    private final PluginRegistry registry;

    public Fidelity(PluginRegistry registry) {
        this.registry = requireNonNull(registry, "registry is null");
    }

    /**
     * Simulates every row of {@code runsFile}, prints the per-run table and the aggregates to {@code out}, and writes
     * {@code fidelity.json} and {@code fidelity.csv} into {@code outputFolder}.
     */
    public FidelityResult run(Path runsFile, SimulationSettings settings, Path outputFolder, PrintWriter out) {
        List<RunsFile.Row> rows = RunsFile.read(runsFile);
        out.printf("fidelity: %d runs from %s, step_time %s%s, %d seed(s) each, %d jobs%n", rows.size(), runsFile,
                settings.stepTime(), settings.coefficients().map(file -> " (" + file + ")").orElse(""),
                settings.seeds(), settings.jobs());
        out.flush();
        FidelityResult result = new FidelityEvaluator(registry).evaluate(rows, settings, true);
        out.print(FidelityReport.table(result));
        List<Path> files = FidelityReport.write(result, runsFile, outputFolder);
        out.println("wrote " + files.get(0) + " and " + files.get(1));
        out.flush();
        return result;
    }
}
