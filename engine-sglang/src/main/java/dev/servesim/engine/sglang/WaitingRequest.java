package dev.servesim.engine.sglang;

import static java.util.Objects.requireNonNull;

/**
 * A request in the waiting queue as the schedule policy sees it, SGLang's {@code Req} reduced to what
 * python/sglang/srt/managers/schedule_policy.py reads: its tokens so far (prompt, then any output from before a
 * retraction), its {@code max_new_tokens}, and the prefix match the policy stores on it ({@code prefix_indices},
 * {@code last_node}), which admission then uses.
 */
final class WaitingRequest {

    final long id;
    final TokenKey tokens;
    final int outputTokens;
    final int maxNewTokens;
    int prefixTokens;
    TreeNode lastNode;

    /** A new request: its tokens are its prompt. */
    WaitingRequest(long id, TokenKey tokens, int maxNewTokens) {
        this(id, tokens, 0, maxNewTokens);
    }

    /**
     * @param id the request's id, for tests and messages
     * @param tokens the tokens to prefill: the prompt followed by the outputs generated before a retraction
     * @param outputTokens how many of {@code tokens} are such outputs ({@code len(output_ids)})
     * @param maxNewTokens the request's {@code max_new_tokens}
     */
    WaitingRequest(long id, TokenKey tokens, int outputTokens, int maxNewTokens) {
        this.id = id;
        this.tokens = requireNonNull(tokens, "tokens is null");
        if (tokens.isEmpty()) {
            throw new IllegalArgumentException("request " + id + " has no tokens");
        }
        if (maxNewTokens < 0) {
            throw new IllegalArgumentException("request " + id + ": max_new_tokens must be at least 0");
        }
        if (outputTokens < 0 || outputTokens >= tokens.length()) {
            throw new IllegalArgumentException("request " + id + ": " + outputTokens + " outputs in "
                    + tokens.length() + " tokens");
        }
        this.outputTokens = outputTokens;
        this.maxNewTokens = maxNewTokens;
    }

    /**
     * The tokens a prefix match may cover ({@code Req.adjust_max_prefix_ids}): all but the last, so that at least
     * one token is computed and gives the logits of the next.
     */
    TokenKey maxPrefix() {
        return tokens.prefix(tokens.length() - 1);
    }

    /** Tokens still to prefill after the cached prefix ({@code extend_input_len}). */
    int extendTokens() {
        return tokens.length() - prefixTokens;
    }

    @Override
    public String toString() {
        return "request " + id;
    }
}
