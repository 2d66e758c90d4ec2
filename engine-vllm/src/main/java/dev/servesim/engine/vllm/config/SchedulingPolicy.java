package dev.servesim.engine.vllm.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.servesim.engine.common.model.EnumValues;

/** The order of the waiting queue ({@code scheduling_policy}), as vLLM's {@code --scheduling-policy}. */
public enum SchedulingPolicy {
    /** First come, first served; when KV blocks run out, the last admitted running request is preempted. */
    FCFS("fcfs"),
    /**
     * Lowest priority value first, then arrival; when KV blocks run out, the running request with the largest
     * (priority, arrival time) is preempted.
     */
    PRIORITY("priority");

    private final String value;

    SchedulingPolicy(String value) {
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
     * The policy {@code text} names, ignoring case.
     *
     * @throws IllegalArgumentException listing the values if it names none
     */
    @JsonCreator
    public static SchedulingPolicy of(String text) {
        return EnumValues.parse(values(), SchedulingPolicy::value, text);
    }
}
