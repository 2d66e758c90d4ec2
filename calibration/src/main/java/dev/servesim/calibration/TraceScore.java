package dev.servesim.calibration;

/**
 * One metric's agreement on some requests of a trace, as {@code calibrate --traces} reports it.
 *
 * @param metric {@code ttft_ms}, {@code itl_ms} (a request's mean gap between output chunks) or {@code e2e_ms}
 * @param compared requests with the figure on both sides
 * @param measuredMedianMs median of the measured figures, milliseconds
 * @param simulatedMedianMs median of the simulated ones
 * @param apeOfMedians |simulated median - measured median| / measured median, percent
 * @param medianRequestApe the median over the requests of their own APE, percent
 */
public record TraceScore(String metric, int compared, double measuredMedianMs, double simulatedMedianMs,
        double apeOfMedians, double medianRequestApe) {}
