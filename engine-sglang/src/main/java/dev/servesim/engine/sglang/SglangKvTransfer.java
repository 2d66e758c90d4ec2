package dev.servesim.engine.sglang;

import static java.util.Objects.requireNonNull;

import dev.servesim.api.engine.KvTransferSupport;
import dev.servesim.api.engine.ServingEngine;
import dev.servesim.api.request.Request;

/**
 * An sglang replica in a disaggregated deployment, as SGLang serves with {@code --disaggregation-mode prefill} or
 * {@code decode} (python/sglang/srt/disaggregation/): a prefill replica computes the prompt like any request and its
 * KV leaves at {@link #kvBytesPerToken()}; a decode replica takes a request in through its normal submission (the
 * same checks and delays) and then, instead of prefilling it, queues it in its {@link DecodePrealloc} until the pool
 * can hold the transferred KV.
 */
final class SglangKvTransfer implements KvTransferSupport {

    private final ServingEngine engine;
    private final DecodePrealloc prealloc;
    private final long kvBytesPerToken;

    SglangKvTransfer(ServingEngine engine, DecodePrealloc prealloc, long kvBytesPerToken) {
        this.engine = requireNonNull(engine, "engine is null");
        this.prealloc = requireNonNull(prealloc, "prealloc is null");
        this.kvBytesPerToken = kvBytesPerToken;
    }

    /** Every layer's K and V on every tensor-parallel rank: what Mooncake or NIXL moves per token. */
    @Override
    public long kvBytesPerToken() {
        return kvBytesPerToken;
    }

    /**
     * SGLang's prefill server sends the KV of the whole prompt, which the runner hands over as all but the last
     * token (the last one is computed again with the first output, see {@link SglangScheduler}). A transfer of
     * fewer tokens, which SGLang never makes, is not taken in: the request computes its whole prompt here.
     */
    @Override
    public void submitWithRemoteKv(Request request, int remoteTokens) {
        if (remoteTokens < 0 || remoteTokens >= request.promptTokens()) {
            throw new IllegalArgumentException("request " + request.id() + ": " + remoteTokens
                    + " remote tokens of a prompt of " + request.promptTokens());
        }
        if (remoteTokens > 0 && remoteTokens == request.promptTokens() - 1) {
            prealloc.expect(request.id(), remoteTokens);
        }
        engine.submit(request);
    }
}
