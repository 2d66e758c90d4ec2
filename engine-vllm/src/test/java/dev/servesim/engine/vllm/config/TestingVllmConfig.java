package dev.servesim.engine.vllm.config;

import dev.servesim.api.ServesimException;
import dev.servesim.engine.common.hardware.HardwareSpec;
import dev.servesim.engine.common.model.Dtype;
import dev.servesim.engine.common.model.KvCacheDtype;
import dev.servesim.engine.common.steptime.CoefficientBound;
import dev.servesim.engine.common.steptime.StepTime;
import dev.servesim.engine.vllm.VllmEngineFactory;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds a {@link VllmConfig} from snake_case keys as the runner binds YAML (absent keys are {@code null}) and resolves
 * it, so tests name only the keys they set: {@code TestingVllmConfig.of("max_num_seqs", 2, "block_size", 16)}. A text
 * value of {@code hardware} names a GPU, as in YAML.
 */
public final class TestingVllmConfig {

    private TestingVllmConfig() {}

    /** The configuration as the runner binds and then resolves it (through the factory). */
    public static VllmConfig of(Object... keysAndValues) {
        return new VllmEngineFactory().resolve(bound(keysAndValues));
    }

    /** The configuration as the runner binds it, before the factory resolves it. */
    public static VllmConfig bound(Object... keysAndValues) {
        if (keysAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("keys and values must come in pairs");
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            values.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        RecordComponent[] components = VllmConfig.class.getRecordComponents();
        Class<?>[] types = new Class<?>[components.length];
        Object[] arguments = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            types[i] = components[i].getType();
            String key = snakeCase(components[i].getName());
            if (values.containsKey(key)) {
                arguments[i] = bind(key, types[i], values.remove(key));
            }
        }
        if (!values.isEmpty()) {
            throw new IllegalArgumentException("unknown keys " + values.keySet());
        }
        try {
            return VllmConfig.class.getDeclaredConstructor(types).newInstance(arguments);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * As the runner binds a text value: a GPU name for {@code hardware} (`hardware: H100`), a name through the enum's
     * {@code of} for the keys taking one of a few names, whose refusal the runner reports with the key.
     */
    private static Object bind(String key, Class<?> type, Object value) {
        if (!(value instanceof String text)) {
            return value;
        }
        if (type == HardwareSpec.class) {
            return HardwareSpec.valueOf(text);
        }
        try {
            if (type == Dtype.class) {
                return Dtype.of(text);
            } else if (type == KvCacheDtype.class) {
                return KvCacheDtype.of(text);
            } else if (type == SchedulingPolicy.class) {
                return SchedulingPolicy.of(text);
            } else if (type == StepTime.class) {
                return StepTime.of(text);
            } else if (type == CoefficientBound.class) {
                return CoefficientBound.of(text);
            }
        } catch (IllegalArgumentException e) {
            throw ServesimException.config(key, e.getMessage());
        }
        return value;
    }

    static String snakeCase(String camel) {
        StringBuilder out = new StringBuilder();
        for (char c : camel.toCharArray()) {
            if (Character.isUpperCase(c)) {
                out.append('_').append(Character.toLowerCase(c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
