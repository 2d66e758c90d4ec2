/**
 * What the engine plugins share, moved out of the vllm engine so that every engine uses one copy: the shape of a
 * model ({@code model}: the model catalog and Hugging Face {@code config.json} files), the GPU ({@code hardware}: the
 * hardware catalog and users' descriptions), and the time one forward pass takes ({@code steptime}: the roofline of
 * {@link dev.servesim.engine.common.steptime.ForwardPass}, the formula and its physics coefficients). A library, not a
 * plugin: it provides no {@code ServesimPlugin}, and its catalogs and built-in coefficients are resources it reads
 * from its own classes.
 */
module dev.servesim.engine.common {
    requires transitive dev.servesim.api;
    requires com.fasterxml.jackson.databind;
    requires com.fasterxml.jackson.dataformat.yaml;

    exports dev.servesim.engine.common.model;
    exports dev.servesim.engine.common.hardware;
    exports dev.servesim.engine.common.steptime;
    exports dev.servesim.engine.common.output;
}
