package dev.servesim.engine.common.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** The weight dtype ({@code dtype}). */
public enum Dtype {
    BF16("bf16"),
    FP16("fp16"),
    FP8("fp8");

    private final String value;

    Dtype(String value) {
        this.value = value;
    }

    /** As written in the configuration. */
    @JsonValue
    public String value() {
        return value;
    }

    /** Bytes of one element. */
    public int bytesPerElement() {
        return switch (this) {
            case BF16, FP16 -> 2;
            case FP8 -> 1;
        };
    }

    @Override
    public String toString() {
        return value;
    }

    /**
     * The dtype {@code text} names, ignoring case; vLLM's and PyTorch's other names {@code bfloat16}, {@code float16}
     * and {@code half} are accepted too.
     *
     * @throws IllegalArgumentException listing the values if it names none
     */
    @JsonCreator
    public static Dtype of(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "bfloat16" -> BF16;
            case "float16", "half" -> FP16;
            default -> EnumValues.parse(values(), Dtype::value, text);
        };
    }
}
