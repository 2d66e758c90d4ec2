package dev.servesim.engine.common.steptime;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.servesim.engine.common.model.EnumValues;

/**
 * Which end of the fitted coefficients' bootstrap intervals a {@code physics} run uses ({@code coefficient_bound};
 * docs/fidelity.md): the fit itself, or every term with an interval at the end that makes steps slower or faster.
 */
public enum CoefficientBound {
    /** The fitted values. */
    FITTED("fitted"),
    /** The upper end for the costs in seconds, the lower end for the efficiencies. */
    SLOW("slow"),
    /** The lower end for the costs in seconds, the upper end for the efficiencies. */
    FAST("fast");

    private final String value;

    CoefficientBound(String value) {
        this.value = value;
    }

    /** As written in the configuration. */
    @JsonValue
    public String value() {
        return value;
    }

    @Override
    public String toString() {
        return value;
    }

    /**
     * The bound {@code text} names, ignoring case.
     *
     * @throws IllegalArgumentException listing the values if it names none
     */
    @JsonCreator
    public static CoefficientBound of(String text) {
        return EnumValues.parse(values(), CoefficientBound::value, text);
    }
}
