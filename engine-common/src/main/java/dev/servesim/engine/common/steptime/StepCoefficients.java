package dev.servesim.engine.common.steptime;

import static java.util.Objects.requireNonNull;

import dev.servesim.engine.common.hardware.HardwareSpec;
import java.util.EnumMap;
import java.util.Map;

/**
 * The coefficients of {@link StepTimeFormula} for one GPU: a value per {@link StepTimeTerm} (efficiencies already
 * for this GPU, each in (0, 1]) and the interconnect's efficiency, which the GPU's description gives.
 *
 * @param source where the values come from, for the engine's properties: {@code roofline}, the built-in coefficients
 *     resource, or the user's file
 * @param fittedOn the coefficients file's {@code fitted_on} note, empty for the roofline
 * @param range the deployments the coefficients were fitted on, {@link CalibratedRange#UNKNOWN} for the roofline
 * @param intervals whether the coefficients file has bootstrap intervals, so that {@code coefficient_bound} may be
 *     {@code slow} or {@code fast}; false for the roofline
 */
public record StepCoefficients(Map<StepTimeTerm, Double> values, double interconnectEfficiency, String source,
        String fittedOn, CalibratedRange range, boolean intervals) {

    public StepCoefficients {
        values = java.util.Collections.unmodifiableMap(new EnumMap<>(values));
        requireNonNull(source, "source is null");
        requireNonNull(fittedOn, "fittedOn is null");
        requireNonNull(range, "range is null");
        for (StepTimeTerm term : StepTimeTerm.values()) {
            Double value = values.get(term);
            if (value == null || !(value >= 0) || Double.isInfinite(value) || term.isEfficiency()
                    && !(value > 0 && value <= 1)) {
                throw new IllegalArgumentException(term.key() + " = " + value + " is out of range");
            }
        }
        if (!(interconnectEfficiency > 0 && interconnectEfficiency <= 1)) {
            throw new IllegalArgumentException("interconnect efficiency " + interconnectEfficiency + " not in (0, 1]");
        }
    }

    /**
     * The {@code roofline} step time's coefficients: every term at its physical default on {@code hardware}, the
     * configuration's {@code mfu}, {@code mbu} and {@code step_overhead} replacing the GPU's efficiencies and the
     * per-step cost where set.
     *
     * @param mfu replaces the GEMM and attention efficiencies; {@code null} to keep the GPU's
     * @param mbu replaces the weight and KV read efficiencies; {@code null} to keep the GPU's
     * @param stepOverhead replaces {@code step_overhead_seconds}; {@code null} to keep its physical default
     */
    public static StepCoefficients roofline(HardwareSpec hardware, Double mfu, Double mbu, Double stepOverhead) {
        Map<StepTimeTerm, Double> values = new EnumMap<>(StepTimeTerm.class);
        for (StepTimeTerm term : StepTimeTerm.values()) {
            values.put(term, term.physicalDefault(hardware));
        }
        if (mfu != null) {
            values.put(StepTimeTerm.GEMM_EFFICIENCY, mfu);
            values.put(StepTimeTerm.ATTENTION_EFFICIENCY, mfu);
        }
        if (mbu != null) {
            values.put(StepTimeTerm.WEIGHT_READ_EFFICIENCY, mbu);
            values.put(StepTimeTerm.KV_READ_EFFICIENCY, mbu);
        }
        if (stepOverhead != null) {
            values.put(StepTimeTerm.STEP_OVERHEAD_SECONDS, stepOverhead);
        }
        return new StepCoefficients(values, hardware.efficiency().interconnect(), "roofline", "",
                CalibratedRange.UNKNOWN, false);
    }

    double get(StepTimeTerm term) {
        return values.get(term);
    }
}
