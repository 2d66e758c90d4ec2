package dev.servesim.engine.common.steptime;

/**
 * Duration of one engine step (schedule, forward pass, sampling) for a batch composition, and the request-level
 * overheads outside the engine core that the model accounts for. Implementation: {@link StepTimeFormula}, with the
 * roofline's coefficients ({@code step_time: roofline}) or fitted ones ({@code step_time: physics}); engines' tests
 * give their own.
 */
public interface StepTimeModel {

    /** Seconds the step takes; positive. Called once per step, so it must not allocate. */
    double stepSeconds(StepBatch batch);

    /** The model's name for the engine's properties. */
    default String name() {
        return "custom";
    }

    /**
     * Seconds between a request's arrival and its entry into the engine's waiting queue (API server: parsing,
     * tokenization, hand-over to the engine core); counted in TTFT and E2E, not in queue time. 0 by default.
     */
    default double arrivalOverheadSeconds(int promptTokens) {
        return 0;
    }

    /**
     * Seconds between the end of a step and the moment its output tokens reach the client (detokenization,
     * streaming); shifts every token and the finish by the same amount, so it adds to TTFT and E2E but not to the
     * gaps between tokens. 0 by default.
     */
    default double outputOverheadSeconds() {
        return 0;
    }
}
