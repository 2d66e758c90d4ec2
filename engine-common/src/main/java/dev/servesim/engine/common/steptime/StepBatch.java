package dev.servesim.engine.common.steptime;

import java.util.Arrays;

/**
 * Composition of one step for a {@link StepTimeModel}: for each scheduled request, the tokens computed now and the
 * tokens already in its KV cache (the context they attend to besides themselves). Reused from step to step.
 */
public final class StepBatch {

    private int size;
    private int totalTokens;
    private int[] newTokens = new int[64];
    private int[] contextTokens = new int[64];

    /** An empty batch. */
    public StepBatch() {}

    public void clear() {
        size = 0;
        totalTokens = 0;
    }

    public void add(int tokens, int context) {
        if (size == newTokens.length) {
            newTokens = Arrays.copyOf(newTokens, size * 2);
            contextTokens = Arrays.copyOf(contextTokens, size * 2);
        }
        newTokens[size] = tokens;
        contextTokens[size] = context;
        size++;
        totalTokens += tokens;
    }

    /** Scheduled requests. */
    public int size() {
        return size;
    }

    /** Tokens computed in the step, over all requests. */
    public int totalTokens() {
        return totalTokens;
    }

    /** Tokens request {@code index} computes in the step. */
    public int newTokens(int index) {
        return newTokens[index];
    }

    /** Tokens of request {@code index} whose KV was computed before the step. */
    public int contextTokens(int index) {
        return contextTokens[index];
    }
}
