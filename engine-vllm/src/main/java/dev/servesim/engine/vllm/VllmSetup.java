package dev.servesim.engine.vllm;

import static java.util.Objects.requireNonNull;

import dev.servesim.api.ServesimException;
import dev.servesim.engine.common.hardware.HardwareSpec;
import dev.servesim.engine.common.model.ModelSpec;
import dev.servesim.engine.common.steptime.PhysicsCoefficients;
import dev.servesim.engine.common.steptime.ShardedModel;
import dev.servesim.engine.common.steptime.StepCoefficients;
import dev.servesim.engine.vllm.config.VllmConfig;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * What every replica of one configuration shares, worked out once: the configuration completed for its model and
 * GPU, the model's shape, and the step-time coefficients on that GPU. Building it reads the files the configuration
 * names (a model's {@code config.json}, a GPU description, a coefficients file); engines only read it.
 *
 * @param config the effective configuration ({@link VllmConfig#completedFor})
 * @param model the model's shape
 * @param coefficients the coefficients of the configured step time on the configured GPU
 */
record VllmSetup(VllmConfig config, ModelSpec model, StepCoefficients coefficients) {

    VllmSetup {
        requireNonNull(config, "config is null");
        requireNonNull(model, "model is null");
        requireNonNull(coefficients, "coefficients is null");
    }

    /**
     * Resolves {@code config}, bound or already resolved.
     *
     * @throws ServesimException (CONFIG, naming the key) if a file it names cannot be read or is invalid, or a value
     *     does not suit the model or the GPU
     */
    static VllmSetup of(VllmConfig config) {
        ModelSpec model = ModelSpec.resolve(config.model());
        HardwareSpec hardware = HardwareSpec.resolve(config.hardware());
        VllmConfig resolved = config.completedFor(model, hardware);
        String file = resolved.coefficients();
        if (file != null && !isReadableFile(file)) {
            throw ServesimException.config("coefficients", "cannot read the file '" + file + "' (relative"
                    + " paths are resolved against the working directory)");
        }
        StepCoefficients coefficients = switch (resolved.stepTime()) {
            case PHYSICS -> PhysicsCoefficients.load(file).at(resolved.coefficientBound()).on(hardware);
            case ROOFLINE -> StepCoefficients.roofline(hardware, resolved.mfu(), resolved.mbu(),
                    resolved.stepOverhead());
        };
        return new VllmSetup(resolved, model, coefficients);
    }

    /** The GPU, complete. */
    HardwareSpec hardware() {
        return config.hardware();
    }

    /** What each GPU holds of {@code model} as {@code config}'s parallel sizes and dtypes shard it. */
    static ShardedModel shard(ModelSpec model, VllmConfig config) {
        return new ShardedModel(model, config.tensorParallelSize(), config.pipelineParallelSize(),
                config.weightBytesPerElement(), config.kvCacheBytesPerElement());
    }

    private static boolean isReadableFile(String file) {
        try {
            Path path = Path.of(file);
            return Files.isRegularFile(path) && Files.isReadable(path);
        } catch (InvalidPathException e) {
            return false;
        }
    }
}
