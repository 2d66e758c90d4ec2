package dev.servesim.calibration;

import dev.servesim.api.ServesimException;
import dev.servesim.runner.ConfigLoader;
import dev.servesim.runner.PluginRegistry;
import dev.servesim.runner.RunConfiguration;
import dev.servesim.runner.RunControl;
import dev.servesim.runner.SimulationRunner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One replay of a recorded trace in the simulator, as {@code fidelity --trace} and {@code calibrate --traces} run it:
 * the configuration with its workload replaced by the trace (format {@code vcr}, open loop) and the given overrides
 * applied, then the simulated requests read back from the run's {@code requests.csv} and paired with the measured
 * ones by arrival rank. The trace source replays a trace in a stable sort by arrival and numbers the requests in that
 * order, which is how {@link MeasuredTrace} orders them (by arrival, then line), so request k of both sides is the
 * same request.
 */
final class TraceReplay {

    /** The metrics compared, in the order of {@link Simulated#values()}. */
    static final List<String> METRICS = List.of("ttft_ms", "itl_ms", "e2e_ms");

    /**
     * The simulated side of a replay, by arrival rank.
     *
     * @param values per metric ({@link #METRICS}) and request, in milliseconds; NaN where the request did not complete
     *     (rejected, unfinished, or beyond the replayed requests) or has no such figure (no gap with one output token)
     * @param requests requests the replay simulated
     * @param completed those of them that completed
     */
    record Simulated(double[][] values, int requests, int completed) {

        double value(int metric, int request) {
            return values[metric][request];
        }
    }

    private TraceReplay() {}

    /**
     * The configuration {@code config} with {@code overrides} and then the replay's own: the trace as the workload,
     * and {@code sinks}.
     */
    static RunConfiguration configuration(PluginRegistry registry, Path trace, Path config, List<String> overrides,
            String sinks) {
        List<String> all = new ArrayList<>(overrides);
        all.add("workload={source: trace, format: vcr, file: '" + trace.toAbsolutePath().toString()
                .replace("'", "''") + "'}");
        all.add("sinks=" + sinks);
        return new ConfigLoader(registry).load(config, all);
    }

    /** Runs {@code configuration} (one with a csv sink) into {@code folder} and pairs it with {@code measured}. */
    static Simulated run(RunConfiguration configuration, Path folder, int measured) {
        SimulationRunner.run(configuration, folder, new RunControl());
        return read(folder.resolve("requests.csv"), measured);
    }

    /** The requests of {@code csv} by arrival rank (request id), for {@code measured} measured requests. */
    static Simulated read(Path csv, int measured) {
        List<String> lines;
        try {
            lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw ServesimException.unreadable("simulated requests", csv, e);
        }
        List<String> header = CsvLine.split(lines.get(0));
        int id = header.indexOf("request_id");
        int status = header.indexOf("status");
        int[] columns = {header.indexOf("ttft_ms"), header.indexOf("tpot_ms"), header.indexOf("e2e_ms")};
        double[][] values = new double[METRICS.size()][measured];
        for (double[] metric : values) {
            Arrays.fill(metric, Double.NaN);
        }
        int completed = 0;
        for (String line : lines.subList(1, lines.size())) {
            List<String> fields = CsvLine.split(line);
            long rank = Long.parseLong(fields.get(id));
            if (!fields.get(status).equals("completed")) {
                continue;
            }
            completed++;
            if (rank >= measured) {
                continue;
            }
            for (int metric = 0; metric < columns.length; metric++) {
                String cell = fields.get(columns[metric]);
                values[metric][(int) rank] = cell.isEmpty() ? Double.NaN : Double.parseDouble(cell);
            }
        }
        return new Simulated(values, lines.size() - 1, completed);
    }

    /** Request {@code request}'s measured figure of metric {@code metric} ({@link #METRICS}), in milliseconds. */
    static double measured(MeasuredTrace.Measured request, int metric) {
        return switch (metric) {
            case 0 -> request.ttftMs();
            case 1 -> request.meanItlMs();
            default -> request.e2eMs();
        };
    }
}
