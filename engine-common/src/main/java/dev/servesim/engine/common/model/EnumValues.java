package dev.servesim.engine.common.model;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Reads the values of the keys that take one of a few names (dtypes, policies, step times): written in lower case,
 * read ignoring case. The runner binds such a key through the enum's {@code of} and writes it through its
 * {@code value}, so the resolved configuration shows the names users write. Public for the enums of the engines'
 * configurations (the vllm engine's {@code SchedulingPolicy}) and of the other packages of this library.
 */
public final class EnumValues {

    private EnumValues() {}

    /**
     * The constant whose value is {@code text}, ignoring case.
     *
     * @throws IllegalArgumentException listing the values if there is none (the runner prefixes the key)
     */
    public static <E extends Enum<E>> E parse(E[] constants, Function<E, String> value, String text) {
        requireNonNull(text, "text is null");
        String lower = text.toLowerCase(Locale.ROOT);
        List<String> values = new ArrayList<>();
        for (E constant : constants) {
            if (value.apply(constant).equals(lower)) {
                return constant;
            }
            values.add(value.apply(constant));
        }
        throw new IllegalArgumentException("must be one of " + values + ", got " + text);
    }
}
