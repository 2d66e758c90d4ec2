package dev.servesim.engine.common.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** The KV cache dtype ({@code kv_cache_dtype}), as vLLM's {@code --kv-cache-dtype}. */
public enum KvCacheDtype {
    /** The weight dtype. */
    AUTO("auto"),
    BF16("bf16"),
    FP16("fp16"),
    FP8("fp8"),
    FP8_E4M3("fp8_e4m3"),
    FP8_E5M2("fp8_e5m2");

    private final String value;

    KvCacheDtype(String value) {
        this.value = value;
    }

    /** As written in the configuration. */
    @JsonValue
    public String value() {
        return value;
    }

    /** Bytes of one element when the weights are {@code weights}. */
    public int bytesPerElement(Dtype weights) {
        return switch (this) {
            case AUTO -> weights.bytesPerElement();
            case BF16, FP16 -> 2;
            case FP8, FP8_E4M3, FP8_E5M2 -> 1;
        };
    }

    @Override
    public String toString() {
        return value;
    }

    /**
     * The dtype {@code text} names, ignoring case.
     *
     * @throws IllegalArgumentException listing the values if it names none
     */
    @JsonCreator
    public static KvCacheDtype of(String text) {
        return EnumValues.parse(values(), KvCacheDtype::value, text);
    }
}
