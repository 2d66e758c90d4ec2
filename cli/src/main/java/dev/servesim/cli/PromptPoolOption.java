package dev.servesim.cli;

import dev.servesim.calibration.SimulationSettings;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** The {@code --prompt-pool} option that {@code fidelity} and {@code calibrate} share (docs/fidelity.md). */
final class PromptPoolOption {

    @Option(names = "--prompt-pool", paramLabel = "POOL", defaultValue = SimulationSettings.POOL_BUILD_DEFAULT,
            converter = Pool.class,
            description = "Distinct prompts each run cycles through: 10x10 (what the public inference-perf build"
                    + " used, ignoring the profile's group keys) or profile (the row's num_unique_system_prompts x"
                    + " users_per_system_prompt). Default: ${DEFAULT-VALUE}.")
    String value;

    /** Accepts the two pools by name. */
    static final class Pool implements ITypeConverter<String> {
        @Override
        public String convert(String text) {
            if (!text.equals(SimulationSettings.POOL_BUILD_DEFAULT) && !text.equals(SimulationSettings.POOL_PROFILE)) {
                throw new TypeConversionException("must be " + SimulationSettings.POOL_BUILD_DEFAULT + " or "
                        + SimulationSettings.POOL_PROFILE + ", got '" + text + "'");
            }
            return text;
        }
    }
}
