package dev.servesim.engine.vllm;

import dev.servesim.api.request.BlockHashChain;
import dev.servesim.api.request.Request;

/**
 * The engine's mutable view of one request, as vLLM's {@code Request} (vllm/v1/request.py): tokens so far (prompt
 * then outputs), tokens with KV computed, and the request's block table. Owned by {@link VllmScheduler}; the block
 * table fields are maintained by {@link BlockPool}. Dropped when the request finishes.
 */
final class RequestState {

    final Request request;
    final int promptTokens;
    /** Outputs to generate: the request's {@code maxOutputTokens}, capped so prompt plus output fit max_model_len. */
    final int maxOutputTokens;
    /**
     * Block hashes of all tokens so far; generated tokens are appended as content {@link #outputContentId}. The cache
     * strategy is given {@code chain.build()}, an immutable chain of the tokens at that moment.
     */
    final BlockHashChain.Builder chain;
    final long outputContentId;

    int outputTokens;
    /** vLLM's {@code num_computed_tokens}: advanced when a step is scheduled, reset to 0 by a preemption. */
    int computedTokens;
    /** Token count at the last admission; positions below it are prefill (or recompute), later ones decode. */
    int prefillEnd;
    boolean finished;

    /** Tokens scheduled in the step being planned, and whether it holds the request (cleared when planned). */
    int scheduledTokens;
    boolean scheduledThisStep;
    /** vLLM's {@code num_output_placeholders}: tokens a scheduled step will sample and that are not appended yet. */
    int placeholders;
    /** In the waiting queue after a preemption, not re-admitted yet. */
    boolean preempted;

    /** Block table: ids of the blocks holding positions {@code 0 .. blockCount * blockSize - 1}, in order. */
    int[] blocks = new int[4];
    int blockCount;
    /** Leading blocks of the table already registered with the cache strategy. */
    int registeredBlocks;
    /** Leading blocks already offered to the CPU tier since the last admission. */
    int offeredBlocks;

    /** CPU tier: {@link #NOT_LOADING}, {@link #LOADING} (blocks held, copy in flight) or {@link #LOADED}. */
    int loadState;
    /** When the copy of a {@link #LOADING} request is done, seconds. */
    double loadReadyTime;
    /** Leading tokens whose KV the GPU prefix cache and the copy provide. */
    int loadedTokens;
    /** Tokens served from the GPU prefix cache and the CPU tier at this admission, and the lookup's class. */
    int admissionCachedTokens;
    /**
     * Leading prompt tokens whose KV a prefill replica computed and sent (disaggregated decode side); taken as
     * computed at the first admission, then 0.
     */
    int remoteTokens;
    String admissionCacheEvent = "";

    static final int NOT_LOADING = 0;
    static final int LOADING = 1;
    static final int LOADED = 2;

    RequestState(Request request, int maxOutputTokens, int blockSize) {
        this.request = request;
        this.promptTokens = request.promptTokens();
        this.maxOutputTokens = maxOutputTokens;
        this.chain = BlockHashChain.builder(blockSize).append(request.prompt());
        this.outputContentId = request.outputContentId();
    }

    /** vLLM's {@code num_tokens}: prompt plus outputs generated so far. */
    int numTokens() {
        return promptTokens + outputTokens;
    }

    /** Appends one sampled token; true if the request has all its outputs. */
    boolean appendOutputToken() {
        chain.append(outputContentId, outputTokens, 1);
        outputTokens++;
        return outputTokens >= maxOutputTokens;
    }
}
