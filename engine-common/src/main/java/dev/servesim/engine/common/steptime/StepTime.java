package dev.servesim.engine.common.steptime;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.servesim.engine.common.model.EnumValues;

/** The step-time model ({@code step_time}); both run the same formula (docs/engine-vllm.md, Step time). */
public enum StepTime {
    /** Every coefficient at its physical default on the GPU, {@code mfu}, {@code mbu} and {@code step_overhead}. */
    ROOFLINE("roofline"),
    /** The fitted coefficients, built in or from the {@code coefficients} file. */
    PHYSICS("physics");

    private final String value;

    StepTime(String value) {
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
     * The model {@code text} names, ignoring case.
     *
     * @throws IllegalArgumentException listing the values if it names none
     */
    @JsonCreator
    public static StepTime of(String text) {
        return EnumValues.parse(values(), StepTime::value, text);
    }
}
