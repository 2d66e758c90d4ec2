package dev.servesim.engine.vllm;

/**
 * Duration of one engine step (schedule, forward pass, sampling) for a batch composition. The roofline model is
 * the first implementation; a model fitted on measured steps can take its place.
 */
interface StepTimeModel {

    /** Seconds the step takes; positive. Called once per step, so it must not allocate. */
    double stepSeconds(StepBatch batch);
}
