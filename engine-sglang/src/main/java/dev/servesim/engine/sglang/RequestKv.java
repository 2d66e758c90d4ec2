package dev.servesim.engine.sglang;

/**
 * One request's KV as the radix cache sees it (SGLang keeps it on {@code Req}: {@code prefix_indices},
 * {@code last_node} and the slots in {@code req_to_token_pool}): the first {@link #cachedTokens()} tokens are in the
 * tree on the path the request locks, which ends at {@link #lastNode()}; the rest of its {@link #kvTokens()} slots
 * are its own. Created by {@link RadixCache#lock}; changed only by the cache.
 */
final class RequestKv {

    int cachedTokens;
    int kvTokens;
    TreeNode lastNode;

    RequestKv(int cachedTokens, TreeNode lastNode) {
        this.cachedTokens = cachedTokens;
        this.kvTokens = cachedTokens;
        this.lastNode = lastNode;
    }

    int cachedTokens() {
        return cachedTokens;
    }

    int kvTokens() {
        return kvTokens;
    }

    TreeNode lastNode() {
        return lastNode;
    }

    /** Slots this request holds outside the tree. */
    int ownTokens() {
        return kvTokens - cachedTokens;
    }

    void clear(TreeNode root) {
        cachedTokens = 0;
        kvTokens = 0;
        lastNode = root;
    }
}
