package dev.servesim.engine.sglang;

import static java.util.Objects.requireNonNull;

import dev.servesim.api.request.Request;

/**
 * One request in an SGLang replica, SGLang's {@code Req} (python/sglang/srt/managers/schedule_batch.py) reduced to
 * what the scheduler reads: its tokens so far (prompt, then outputs), its KV handle while it runs, and its entry in
 * the waiting queue while it waits. Owned by {@link SglangScheduler}.
 */
final class SglangRequest {

    final Request request;
    /** Outputs it generates before it finishes: {@code max_output_tokens} within the context. */
    final int maxNewTokens;
    private final TokenKey prompt;
    /** Outputs generated so far ({@code len(output_ids)}). */
    int outputs;
    /** Its KV while admitted, {@code null} while waiting. */
    RequestKv kv;
    /** Its entry in the waiting queue, {@code null} while running. */
    WaitingRequest waiting;
    /** Tokens the current admission still prefills after this step's chunk; 0 once decoding. */
    int remainingPrefill;
    /** Tokens this step computes for it. */
    int stepTokens;
    /** Finished: all its outputs are out. */
    boolean finished;
    /** Whether this step samples a token for it (the last prefill chunk, or a decode step). */
    boolean stepSamples;
    /** When it reached the scheduler's input queue, seconds. */
    double queuedTime;
    /** Prompt tokens whose KV a prefill server computed ({@link DecodePrealloc}); 0 if none. */
    int remoteTokens;

    SglangRequest(Request request, int maxNewTokens) {
        this.request = requireNonNull(request, "request is null");
        this.maxNewTokens = maxNewTokens;
        this.prompt = TokenKey.of(request.prompt());
    }

    /** The prompt followed by the outputs so far, as the radix tree keys them. */
    TokenKey tokens() {
        if (outputs == 0) {
            return prompt;
        }
        return TokenKey.builder().append(request.prompt()).append(request.outputContentId(), 0, outputs).build();
    }

    int promptTokens() {
        return prompt.length();
    }

    Retraction.RunningRequest asRunning() {
        return new Retraction.RunningRequest(request.id(), promptTokens(), outputs, maxNewTokens, kv.cachedTokens());
    }

    @Override
    public String toString() {
        return "request " + request.id();
    }
}
