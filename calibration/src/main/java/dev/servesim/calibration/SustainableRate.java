package dev.servesim.calibration;

import dev.servesim.api.ErrorKind;
import dev.servesim.api.ServesimException;
import dev.servesim.api.metrics.RunSummary;
import java.util.Locale;

/**
 * The sustainable rate of a row's simulated server: the highest arrival rate, in requests per second, it keeps up
 * with. Above it the waiting queue grows without bound; below it the queue drains.
 *
 * <p><b>Definition.</b> The steady-state completion rate of the simulated server kept saturated. The row's engine
 * configuration, workload shape (prompts, prompt pool, output length), step time and coefficients are simulated -
 * exactly as in its fidelity simulation, with seed {@value #SEED} - except that its load stages are replaced by a
 * backlog: {@code B} requests all arriving at time 0, so the waiting queue is never empty during the measurement. Two
 * runs of that configuration are stopped at {@code t1} and {@code t2}; the rate is the output tokens generated in
 * {@code (t1, t2]} divided by {@code t2 - t1} and by {@code output_len}. Every request generates {@code output_len}
 * tokens, so in steady state this is the completion rate. Tokens are counted rather than completed requests because
 * under a backlog the requests of a batch start together and finish together, up to {@code max_num_seqs} at once, so a
 * count of completions in a window jumps by a whole batch while the token count grows smoothly.
 *
 * <ul>
 *   <li>{@code t1}, the warm-up: the first of {@code 2 x output_len x 30 ms}, doubled as often as needed, by which at
 *       least {@value #WARMUP_BATCHES} x {@code max_num_seqs} requests have completed (the start-up, when the first
 *       batch is prefilled from an empty cache, is over);
 *   <li>{@code t2 = t1 + }{@value #WINDOW_BATCHES}{@code  x max_num_seqs / r1}, with {@code r1} the completions by
 *       {@code t1} divided by {@code t1}: about {@value #WINDOW_BATCHES} turnovers of the batch;
 *   <li>{@code B} starts at {@value #BACKLOG_BATCHES} x {@code max_num_seqs} and is multiplied by 4 (both runs
 *       repeated) whenever a run ends with at most {@code max_num_seqs} requests unfinished, when the queue may have
 *       emptied.
 * </ul>
 * The result is deterministic (fixed seed, no wall clock), and a row costs two runs of some 15 to 30 batch turnovers
 * of simulated time.
 *
 * <p>Why this is the highest sustainable load: a batching server completes the most requests per second when its
 * batch is as full as it gets, which a backlog ensures; at any arrival rate above that, requests arrive faster than
 * they can complete. The test {@code SustainableRateTest} checks the consequence on simulated runs: at 0.8 times the
 * rate the queue drains, at 1.3 times it grows with the length of the run.
 *
 * @param requestsPerSecond the sustainable rate
 * @param windowStartSeconds {@code t1}, simulated seconds
 * @param windowEndSeconds {@code t2}, simulated seconds
 * @param backlogRequests {@code B}, the requests arriving at time 0
 */
public record SustainableRate(double requestsPerSecond, double windowStartSeconds, double windowEndSeconds,
        long backlogRequests) {

    /** The seed of the backlog runs: the first seed of the fidelity runs (it only shuffles the prompts here). */
    static final long SEED = 1;
    /** Completions, in batches of {@code max_num_seqs}, before the measurement window opens. */
    static final int WARMUP_BATCHES = 2;
    /** Completions, in batches of {@code max_num_seqs}, the window is sized for. */
    static final int WINDOW_BATCHES = 10;
    /** The first backlog, in batches of {@code max_num_seqs}. */
    static final int BACKLOG_BATCHES = 64;
    /** First guess of the warm-up per batch turnover and output token: a slow decode step. */
    static final double FIRST_GUESS_SECONDS_PER_TOKEN = 0.03;
    /** Runs tried before giving up (each retry doubles the warm-up or quadruples the backlog). */
    static final int MAX_RUNS = 24;

    public SustainableRate {
        if (!(requestsPerSecond > 0) || !Double.isFinite(requestsPerSecond)) {
            throw new IllegalArgumentException("sustainable rate must be positive, got " + requestsPerSecond);
        }
        if (!(windowEndSeconds > windowStartSeconds)) {
            throw new IllegalArgumentException("empty window " + windowStartSeconds + " to " + windowEndSeconds);
        }
    }

    /**
     * Measures the sustainable rate of {@code spec}'s simulated server with {@code settings}' step time and
     * coefficients (the seeds, duration scale and jobs of the settings do not matter here).
     *
     * @throws ServesimException if the server rejects the row's requests or no steady state is reached
     */
    static SustainableRate measure(RunSimulator simulator, RunSpec spec, SimulationSettings settings) {
        long batch = spec.maxNumSeqs();
        long backlog = BACKLOG_BATCHES * batch;
        double warmup = WARMUP_BATCHES * spec.outputLen() * FIRST_GUESS_SECONDS_PER_TOKEN;
        for (int runs = 0; runs < MAX_RUNS; runs++) {
            RunSummary start = checked(simulator.backlog(spec, settings, SEED, backlog, warmup), spec);
            if (!backlogged(start, batch)) {
                backlog *= 4;
                continue;
            }
            long completed = start.requests().completed();
            if (completed < WARMUP_BATCHES * batch) {
                warmup *= 2;
                continue;
            }
            double t1 = start.simulatedSeconds();
            double t2 = t1 + WINDOW_BATCHES * batch * t1 / completed;
            RunSummary stop = checked(simulator.backlog(spec, settings, SEED, backlog, t2), spec);
            runs++;
            if (!backlogged(stop, batch)) {
                backlog *= 4;
                continue;
            }
            double tokens = outputTokens(stop) - outputTokens(start);
            double seconds = stop.simulatedSeconds() - t1;
            return new SustainableRate(tokens / seconds / spec.outputLen(), t1, stop.simulatedSeconds(), backlog);
        }
        throw new ServesimException(ErrorKind.INVARIANT, String.format(Locale.ROOT,
                "run %s: no steady state under a backlog after %d runs (last warm-up %.0f s, backlog %d requests)",
                spec.runId(), MAX_RUNS, warmup, backlog));
    }

    /** More requests in the system than a batch holds: some are still waiting, so the queue never emptied. */
    private static boolean backlogged(RunSummary summary, long batch) {
        return summary.requests().unfinished() > batch;
    }

    private static RunSummary checked(RunSummary summary, RunSpec spec) {
        if (summary.requests().rejected() > 0) {
            throw new ServesimException(ErrorKind.CONFIG, String.format(Locale.ROOT,
                    "run %s: no sustainable rate: the simulated server rejected %d of %d requests (%s)", spec.runId(),
                    summary.requests().rejected(), summary.requests().arrived(),
                    String.join(", ", summary.requests().rejectedByReason().keySet())));
        }
        return summary;
    }

    /** Output tokens generated by every request (completed or not) up to the end of the run. */
    private static double outputTokens(RunSummary summary) {
        // throughput covers the whole run: the backlog runs have no warm-up
        return Math.rint(summary.throughput().outputTokensPerS() * summary.simulatedSeconds());
    }
}
