package dev.servesim.engine.sglang;

import dev.servesim.api.request.PromptContent;
import dev.servesim.api.request.Segment;

/** Helpers that build keys and print a radix tree without touching it (no access times, no splits). */
final class TestingTrees {

    private TestingTrees() {
    }

    /** The tree below the root as {@code key{children}}, children in insertion order; locked nodes end in '*'. */
    static String describe(RadixCache cache) {
        StringBuilder text = new StringBuilder();
        appendChildren(cache.root(), text);
        return text.toString();
    }

    private static void appendChildren(TreeNode node, StringBuilder text) {
        boolean first = true;
        for (TreeNode child : node.children.values()) {
            text.append(first ? "" : " ").append(child.key).append(child.lockRef > 0 ? "*" : "");
            if (!child.isLeaf()) {
                text.append('{');
                appendChildren(child, text);
                text.append('}');
            }
            first = false;
        }
    }

    /** A key of the given segments, each as (content id, tokens). */
    static TokenKey key(long... contentAndTokens) {
        Segment[] segments = new Segment[contentAndTokens.length / 2];
        for (int i = 0; i < segments.length; i++) {
            segments[i] = new Segment(contentAndTokens[2 * i], (int) contentAndTokens[2 * i + 1]);
        }
        return TokenKey.of(PromptContent.of(segments));
    }
}
