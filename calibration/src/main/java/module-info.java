/**
 * Fidelity of the simulator against measured vLLM runs, and fitting of the {@code physics} step-time coefficients
 * on them. Used by the command line's {@code fidelity} and {@code calibrate} commands.
 */
module dev.servesim.calibration {
    requires transitive dev.servesim.runner;
    // the step-time terms, the GPU catalog and the model shapes its API names, shared by the engines
    requires transitive dev.servesim.engine.common;
    // the engine it calibrates: its configuration
    requires dev.servesim.engine.vllm;
    requires com.fasterxml.jackson.databind;
    requires hipparchus.core;
    requires hipparchus.optim;

    exports dev.servesim.calibration;
}
