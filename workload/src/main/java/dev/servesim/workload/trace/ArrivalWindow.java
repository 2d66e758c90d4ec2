package dev.servesim.workload.trace;

/**
 * Rejects a request the replay would send after {@link TraceEntry#MAX_TIME_SECONDS} of simulated time. The limit is
 * on the simulated time, (t - start) / speedup as the source computes it, not on the trace time: a trace may count
 * from any origin (Unix time, say) that {@code start} takes away. The parsers have checked that t is a finite time of
 * at least 0; requests before {@code start}, which the source skips, pass.
 */
record ArrivalWindow(double start, double speedup) {

    void check(String timeField, double time, long line) throws BadLineException {
        double arrival = (time - start) / speedup;
        if (arrival > TraceEntry.MAX_TIME_SECONDS) {
            String where = start == 0 && speedup == 1 ? ""
                    : ", which start " + start + " s and speedup " + speedup + " put at " + arrival + " s";
            throw new BadLineException(timeField, "arrives at " + time + " s of trace time" + where
                    + ", later than the " + TraceEntry.MAX_TIME_TEXT + " a replay may last", line, false);
        }
    }
}
