package dev.servesim.engine.common.steptime;

import dev.servesim.api.ServesimException;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Properties;

/**
 * The 90% bootstrap intervals of a coefficients file's fitted terms, from its optional {@code interval.<term>}
 * metadata keys ({@code interval.step_overhead_seconds=0.000408,0.000584}: the lower and the upper end, on the
 * reference GPU), which {@code servesim calibrate --runs} writes for every term it fitted; a pinned term has none.
 * They give the {@code coefficient_bound} runs: every term with an interval at its slow or its fast end.
 *
 * @param byTerm the interval of each term that has one
 */
record CoefficientIntervals(Map<StepTimeTerm, Interval> byTerm) {

    /** The prefix of the metadata keys; the rest of the key is the term's key. */
    static final String PREFIX = "interval.";

    /** A file without any of the keys. */
    static final CoefficientIntervals NONE = new CoefficientIntervals(Map.of());

    /** One term's interval, both ends included. */
    record Interval(double lower, double upper) {}

    CoefficientIntervals {
        byTerm = Collections.unmodifiableMap(byTerm.isEmpty() ? new EnumMap<>(StepTimeTerm.class)
                : new EnumMap<>(byTerm));
    }

    /** True if {@code key} is {@link #PREFIX} and a term's key. */
    static boolean isKey(String key) {
        return key.startsWith(PREFIX) && StepTimeTerm.ofKey(key.substring(PREFIX.length())) != null;
    }

    /**
     * The intervals the {@code interval.*} keys of {@code properties} give, read from the coefficients file
     * {@code where}.
     *
     * @throws ServesimException (CONFIG, key {@code coefficients}) if a value is malformed
     */
    static CoefficientIntervals read(Properties properties, String where) {
        Map<StepTimeTerm, Interval> intervals = new EnumMap<>(StepTimeTerm.class);
        for (StepTimeTerm term : StepTimeTerm.values()) {
            String key = PREFIX + term.key();
            String text = properties.getProperty(key);
            if (text == null) {
                continue;
            }
            String[] ends = text.split(",", -1);
            double lower;
            double upper;
            try {
                if (ends.length != 2) {
                    throw new NumberFormatException();
                }
                lower = Double.parseDouble(ends[0].trim());
                upper = Double.parseDouble(ends[1].trim());
            } catch (NumberFormatException e) {
                throw malformed(where, key, text, "the lower and the upper end, lower,upper");
            }
            if (!(lower <= upper)) {
                throw malformed(where, key, text, "the lower and the upper end, lower,upper, the lower first");
            }
            if (term.isEfficiency() && !(lower > 0 && upper <= 1)) {
                throw malformed(where, key, text, "within (0, 1], as " + term.key() + " is");
            }
            if (!(lower >= 0) || Double.isInfinite(upper)) {
                throw malformed(where, key, text, "zero or positive numbers of seconds, as " + term.key() + " is");
            }
            intervals.put(term, new Interval(lower, upper));
        }
        return intervals.isEmpty() ? NONE : new CoefficientIntervals(intervals);
    }

    boolean isEmpty() {
        return byTerm.isEmpty();
    }

    /**
     * {@code fitted} with every term that has an interval at the end of it {@code bound} names: for {@code slow} the
     * end that lengthens a step (the upper end of a cost in seconds, the lower end of an efficiency), for
     * {@code fast} the other. A fitted value already beyond that end (the ends are percentiles of a few resamples,
     * rounded to three digits) stays, so no term of a slow run is faster than its fit, nor of a fast run slower.
     */
    Map<StepTimeTerm, Double> at(CoefficientBound bound, Map<StepTimeTerm, Double> fitted) {
        Map<StepTimeTerm, Double> values = new EnumMap<>(fitted);
        if (bound == CoefficientBound.FITTED) {
            return values;
        }
        byTerm.forEach((term, interval) -> {
            double value = fitted.get(term);
            // a larger cost or a smaller efficiency lengthens a step
            boolean larger = (bound == CoefficientBound.SLOW) != term.isEfficiency();
            values.put(term, larger ? Math.max(value, interval.upper()) : Math.min(value, interval.lower()));
        });
        return values;
    }

    private static ServesimException malformed(String where, String key, String text, String expected) {
        return ServesimException.config("coefficients", where + ": " + key + " must be " + expected + ", got '"
                + text + "'");
    }
}
