package dev.servesim.engine.sglang;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Which running requests a decode step that lacks memory sends back to the waiting queue, and the new
 * {@code new_token_ratio}: SGLang's {@code ScheduleBatch.retract_decode} (python/sglang/srt/managers/schedule_batch.py).
 *
 * <p>Running requests are sorted by {@code (len(output_ids), -len(origin_input_ids))} descending, stably, and
 * retracted from the end, so the one with the fewest outputs goes first and, among equal outputs, the longest
 * input. At least one is retracted, then more until the free slots give every remaining request room for
 * {@link #RETRACT_DECODE_STEPS} more tokens ({@code available_size() < len(sorted_indices) * retract_decode_steps}
 * in the loop), but the last request is never retracted. A retracted request frees the slots it owns
 * ({@link RunningRequest#ownTokens()}); its cached prefix is only unlocked and counts only if the caller's
 * {@code availableTokens} already includes it, as SGLang's loop evicts with what it frees.
 *
 * <p>The new ratio is {@code min(1.0, (sum of remaining outputs + RETRACT_DECODE_STEPS x remaining requests) /
 * sum of remaining max_new_tokens)}. This is the formula as remembered from SGLang's {@code retract_decode}; its
 * source was not available to check here, in particular whether the denominator carries a {@code + 1}. Without one
 * a zero denominator (every remaining {@code max_new_tokens} 0) would divide by zero, so that case gives 1.0.
 */
final class Retraction {

    /** Tokens of room each remaining request must have after a retraction (global_config {@code retract_decode_steps}). */
    static final int RETRACT_DECODE_STEPS = 20;

    /**
     * A running request as retraction sees it.
     *
     * @param id the request's id
     * @param inputTokens {@code len(origin_input_ids)}
     * @param outputTokens {@code len(output_ids)}
     * @param maxNewTokens {@code max_new_tokens}
     * @param prefixTokens tokens of its KV in the radix tree (its locked prefix), freed only by eviction
     */
    record RunningRequest(long id, int inputTokens, int outputTokens, int maxNewTokens, int prefixTokens) {

        RunningRequest {
            if (inputTokens < 0 || outputTokens < 0 || maxNewTokens < 0 || prefixTokens < 0) {
                throw new IllegalArgumentException("request " + id + ": negative token count");
            }
            if (prefixTokens > inputTokens + outputTokens) {
                throw new IllegalArgumentException("request " + id + ": prefix " + prefixTokens + " beyond its "
                        + (inputTokens + outputTokens) + " tokens");
            }
        }

        /** Slots it holds outside the tree, which retracting it frees. */
        int ownTokens() {
            return inputTokens + outputTokens - prefixTokens;
        }
    }

    /**
     * The outcome: {@code retracted} in the order they were retracted, {@code kept} in the sorted order, and the new
     * {@code new_token_ratio}.
     */
    record Result(List<RunningRequest> retracted, List<RunningRequest> kept, double newTokenRatio) {

        Result {
            retracted = List.copyOf(retracted);
            kept = List.copyOf(kept);
        }
    }

    private static final Comparator<RunningRequest> KEEP_FIRST = Comparator
            .comparingInt(RunningRequest::outputTokens).reversed()
            .thenComparingInt(RunningRequest::inputTokens);

    private Retraction() {
    }

    /**
     * Retracts from {@code running} until {@code availableTokens} plus what the retracted free gives every remaining
     * request {@link #RETRACT_DECODE_STEPS} tokens.
     *
     * @param availableTokens slots free, or obtainable by eviction, before anything is retracted
     */
    static Result retract(List<RunningRequest> running, int availableTokens) {
        List<RunningRequest> sorted = new ArrayList<>(running);
        sorted.sort(KEEP_FIRST);
        List<RunningRequest> retracted = new ArrayList<>();
        long available = availableTokens;
        boolean firstIteration = true;
        while (firstIteration || available < (long) sorted.size() * RETRACT_DECODE_STEPS) {
            if (sorted.size() <= 1) {
                break;
            }
            firstIteration = false;
            RunningRequest request = sorted.remove(sorted.size() - 1);
            retracted.add(request);
            available += request.ownTokens();
        }
        long decoded = 0;
        long maxNew = 0;
        for (RunningRequest request : sorted) {
            decoded += request.outputTokens();
            maxNew += request.maxNewTokens();
        }
        double ratio = maxNew == 0 ? 1.0
                : Math.min(1.0, (decoded + (double) RETRACT_DECODE_STEPS * sorted.size()) / maxNew);
        return new Result(retracted, sorted, ratio);
    }
}
