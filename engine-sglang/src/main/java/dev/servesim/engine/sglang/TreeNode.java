package dev.servesim.engine.sglang;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A node of the radix tree, SGLang's {@code TreeNode} (python/sglang/srt/mem_cache/radix_cache.py). It holds a run
 * of tokens and their KV slots; as the pool is a counter, the slots are just {@code key.length()} of them. Children
 * are keyed by their first page (their first token at page size 1), in insertion order so that walks are
 * deterministic; a split keeps the child's position, as a Python dict does when a key is assigned again.
 */
final class TreeNode {

    final long id;
    TreeNode parent;
    TokenKey key;
    final Map<TokenKey, TreeNode> children = new LinkedHashMap<>();
    int lockRef;
    double lastAccessTime;
    final double creationTime;
    int hitCount;
    int priority;
    /** Hashes of its pages as published to routers ({@link RadixEvents}), {@code null} if nothing is published. */
    long[] pageHashes;
    /** Its position in the tree's list of leaves ({@link RadixCache}), -1 while it has children (or is the root). */
    int leafIndex = -1;

    TreeNode(long id, TreeNode parent, TokenKey key, double now, int priority) {
        this.id = id;
        this.parent = parent;
        this.key = key;
        this.lastAccessTime = now;
        this.creationTime = now;
        this.priority = priority;
    }

    /** KV slots this node holds: one per token. */
    int tokens() {
        return key.length();
    }

    boolean isLeaf() {
        return children.isEmpty();
    }

    @Override
    public String toString() {
        return "node " + id + " " + key;
    }
}
