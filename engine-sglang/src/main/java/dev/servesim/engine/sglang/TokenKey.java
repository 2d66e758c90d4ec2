package dev.servesim.engine.sglang;

import dev.servesim.api.request.PromptContent;
import dev.servesim.api.request.Segment;
import java.util.Arrays;

/**
 * A sequence of token identities, the key of SGLang's radix tree ({@code RadixKey} in
 * python/sglang/srt/mem_cache/radix_cache.py, a list of token ids there).
 *
 * <p>The simulator has no token ids: a prompt is a list of {@link Segment}s, and token {@code k} of a segment is
 * token {@code k} of content {@code contentId} (see {@link Segment}). So a token's identity here is the pair
 * (content id, offset within that content), kept exactly in two parallel arrays rather than hashed into one long:
 * two keys share a token at a position exactly when both the content id and the offset are equal, with no
 * collisions, which is what SGLang's comparison of token ids gives. The KV of a token also depends on every token
 * before it, but the tree only ever compares keys position by position from the root, so the path to a node already
 * stands for the whole prefix. Generated tokens are appended as content {@code Request.outputContentId()} at offsets
 * 0, 1, ..., as the vllm engine does for its block hashes, so a follow-up turn that repeats a response matches it.
 *
 * <p>Immutable. A key is a view {@code [from, from + length)} of arrays it may share with other keys (slices share
 * their parent's arrays, as the tree's nodes slice the keys inserted into it). {@link #equals} and {@link #hashCode}
 * compare the tokens, so a key of one page serves as a child key.
 */
final class TokenKey {

    private static final long[] NO_CONTENTS = new long[0];
    private static final int[] NO_OFFSETS = new int[0];
    static final TokenKey EMPTY = new TokenKey(NO_CONTENTS, NO_OFFSETS, 0, 0);

    private final long[] contents;
    private final int[] offsets;
    private final int from;
    private final int length;

    private TokenKey(long[] contents, int[] offsets, int from, int length) {
        this.contents = contents;
        this.offsets = offsets;
        this.from = from;
        this.length = length;
    }

    /** The tokens of {@code prompt}. */
    static TokenKey of(PromptContent prompt) {
        return builder().append(prompt).build();
    }

    /** Tokens {@code 0 .. tokens-1} of content {@code contentId}. */
    static TokenKey of(long contentId, int tokens) {
        return builder().append(contentId, 0, tokens).build();
    }

    static Builder builder() {
        return new Builder();
    }

    int length() {
        return length;
    }

    boolean isEmpty() {
        return length == 0;
    }

    long contentId(int index) {
        return contents[from + checkIndex(index)];
    }

    int offset(int index) {
        return offsets[from + checkIndex(index)];
    }

    private int checkIndex(int index) {
        if (index < 0 || index >= length) {
            throw new IndexOutOfBoundsException("token " + index + " of " + length);
        }
        return index;
    }

    /** Tokens {@code [start, end)} of this key, sharing its arrays. */
    TokenKey slice(int start, int end) {
        if (start < 0 || end > length || start > end) {
            throw new IndexOutOfBoundsException("slice [" + start + ", " + end + ") of " + length + " tokens");
        }
        if (start == 0 && end == length) {
            return this;
        }
        return new TokenKey(contents, offsets, from + start, end - start);
    }

    /** The first {@code tokens} tokens. */
    TokenKey prefix(int tokens) {
        return slice(0, tokens);
    }

    /** Everything after the first {@code tokens} tokens. */
    TokenKey dropFirst(int tokens) {
        return slice(tokens, length);
    }

    /**
     * Number of leading tokens this key shares with {@code other}, counted in whole pages of {@code pageSize} tokens
     * (SGLang's {@code _key_match_page_size1} and {@code _key_match_paged}): a page counts only if all its tokens are
     * equal, and a trailing partial page never counts when {@code pageSize > 1}.
     */
    int sharedPrefix(TokenKey other, int pageSize) {
        int limit = Math.min(length, other.length);
        int shared = 0;
        while (shared < limit && contents[from + shared] == other.contents[other.from + shared]
                && offsets[from + shared] == other.offsets[other.from + shared]) {
            shared++;
        }
        return pageSize == 1 ? shared : shared / pageSize * pageSize;
    }

    @Override
    public boolean equals(Object object) {
        return object instanceof TokenKey other && other.length == length && sharedPrefix(other, 1) == length;
    }

    @Override
    public int hashCode() {
        int hash = 1;
        for (int i = from; i < from + length; i++) {
            hash = 31 * hash + Long.hashCode(contents[i]);
            hash = 31 * hash + offsets[i];
        }
        return hash;
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("[");
        int i = 0;
        while (i < length) {
            // runs of one content at consecutive offsets print as content:first-last
            int end = i + 1;
            while (end < length && contents[from + end] == contents[from + i]
                    && offsets[from + end] == offsets[from + end - 1] + 1) {
                end++;
            }
            text.append(i == 0 ? "" : ", ").append(contents[from + i]).append(':').append(offsets[from + i]);
            if (end - i > 1) {
                text.append('-').append(offsets[from + end - 1]);
            }
            i = end;
        }
        return text.append(']').toString();
    }

    /** Builds a key as tokens are appended. Mutable; the keys it builds are not affected by later appends. */
    static final class Builder {

        private long[] contents = new long[16];
        private int[] offsets = new int[16];
        private int length;

        private Builder() {
        }

        Builder append(PromptContent prompt) {
            for (Segment segment : prompt.segments()) {
                append(segment.contentId(), 0, segment.tokens());
            }
            return this;
        }

        /** Appends tokens {@code fromOffset .. fromOffset+count-1} of content {@code contentId}. */
        Builder append(long contentId, int fromOffset, int count) {
            if (count < 0 || fromOffset < 0) {
                throw new IllegalArgumentException("negative offset or count: " + fromOffset + ", " + count);
            }
            if (length + count > contents.length) {
                int capacity = Math.max(contents.length * 2, length + count);
                contents = Arrays.copyOf(contents, capacity);
                offsets = Arrays.copyOf(offsets, capacity);
            }
            for (int k = 0; k < count; k++) {
                contents[length] = contentId;
                offsets[length] = fromOffset + k;
                length++;
            }
            return this;
        }

        int length() {
            return length;
        }

        /** The key of the tokens appended so far; it shares nothing that a later append writes. */
        TokenKey build() {
            if (length == 0) {
                return EMPTY;
            }
            // later appends write beyond length or into a copied array, never into the entries this key sees
            return new TokenKey(contents, offsets, 0, length);
        }
    }
}
