package dev.servesim.engine.sglang;

import dev.servesim.api.cache.KvCacheEvents;
import dev.servesim.api.request.BlockHashChain;
import java.util.Arrays;
import java.util.Optional;

/**
 * The KV events of the radix tree, as SGLang's {@code RadixCache} records them when {@code --kv-events-config} is set
 * ({@code _record_store_event} and {@code _record_remove_event} in python/sglang/srt/mem_cache/radix_cache.py): one
 * {@code BlockStored} per page of a node that enters the tree and one {@code BlockRemoved} per page of a node that is
 * evicted, a page ({@code page_size} tokens) being the block. A page is named by its hash in the
 * {@link BlockHashChain} of the node's whole path at the page size, which is what a router computes from a prompt
 * (SGLang hashes each page's token ids chained to its parent's; the simulator has no token ids). Splitting a node
 * changes no page, so it publishes nothing. {@link #none()} publishes nothing and costs nothing.
 */
final class RadixEvents {

    private static final long[] NO_HASHES = new long[0];
    private static final RadixEvents NONE = new RadixEvents(null, 1);

    private final KvCacheEvents events;
    private final int pageSize;

    private RadixEvents(KvCacheEvents events, int pageSize) {
        this.events = events;
        this.pageSize = pageSize;
    }

    static RadixEvents none() {
        return NONE;
    }

    /** Events to {@code events}, if present, for pages of {@code pageSize} tokens. */
    static RadixEvents of(Optional<KvCacheEvents> events, int pageSize) {
        return events.map(published -> new RadixEvents(published, pageSize)).orElse(NONE);
    }

    boolean enabled() {
        return events != null;
    }

    /**
     * Publishes the pages of a new node, tokens {@code [from, path.length())} of {@code path} (its path from the
     * root, whole pages), and returns their hashes for {@link #removed}; {@code null} when disabled.
     */
    long[] stored(TokenKey path, int from) {
        if (events == null) {
            return null;
        }
        BlockHashChain.Builder chain = BlockHashChain.builder(pageSize);
        int i = 0;
        while (i < path.length()) {
            // runs of one content at consecutive offsets, as a prompt's segments append them
            int end = i + 1;
            while (end < path.length() && path.contentId(end) == path.contentId(i)
                    && path.offset(end) == path.offset(end - 1) + 1) {
                end++;
            }
            chain.append(path.contentId(i), path.offset(i), end - i);
            i = end;
        }
        int first = from / pageSize;
        long[] hashes = new long[chain.fullBlocks() - first];
        for (int page = first; page < chain.fullBlocks(); page++) {
            hashes[page - first] = chain.hash(page);
            events.blockStored(hashes[page - first]);
        }
        return hashes;
    }

    /** Publishes the removal of pages stored with {@link #stored}. */
    void removed(long[] hashes) {
        if (events == null || hashes == null) {
            return;
        }
        for (long hash : hashes) {
            events.blockRemoved(hash);
        }
    }

    /** The hashes of a node split after {@code tokens} of its tokens: those of its first part. */
    long[] head(long[] hashes, int tokens) {
        return hashes == null ? null : tokens == 0 ? NO_HASHES : Arrays.copyOfRange(hashes, 0, tokens / pageSize);
    }

    /** The hashes of a node split after {@code tokens} of its tokens: those of its second part. */
    long[] tail(long[] hashes, int tokens) {
        return hashes == null ? null : Arrays.copyOfRange(hashes, tokens / pageSize, hashes.length);
    }
}
