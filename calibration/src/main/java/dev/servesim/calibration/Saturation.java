package dev.servesim.calibration;

import java.util.Locale;

/**
 * Whether the simulator and the real server disagree about a run being saturated, judged from the TTFT mean, which
 * queueing dominates once a server cannot keep up.
 */
public enum Saturation {
    /** Simulated and measured TTFT means within a factor of {@value #TTFT_FACTOR} of each other. */
    NONE,
    /**
     * The real run completed everything ({@code failed_requests} 0 or blank) but the simulated TTFT mean is more than
     * {@value #TTFT_FACTOR} times the measured one: the simulated server queues where the real one kept up.
     */
    FALSE_SATURATION,
    /** The measured TTFT mean is more than {@value #TTFT_FACTOR} times the simulated one: the real server queued. */
    MISSED_SATURATION;

    /** How far apart the TTFT means must be to flag a run. */
    public static final double TTFT_FACTOR = 3;

    /** The name in reports: {@code none}, {@code false_saturation} or {@code missed_saturation}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The flag of a run from its measured figures and the simulated ones. A real run that failed requests is never
     * falsely saturated: its TTFT covers only the requests that succeeded, and it may have been saturated itself.
     */
    public static Saturation of(RunSpec spec, Metrics predicted) {
        double simulated = predicted.ttftMeanMs();
        double measured = spec.actual().ttftMeanMs();
        if (spec.realRunCompletedEverything() && simulated > TTFT_FACTOR * measured) {
            return FALSE_SATURATION;
        }
        if (measured > TTFT_FACTOR * simulated) {
            return MISSED_SATURATION;
        }
        return NONE;
    }
}
