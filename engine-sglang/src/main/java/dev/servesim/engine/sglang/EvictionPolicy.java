package dev.servesim.engine.sglang;

import java.util.Comparator;

/**
 * Order in which the radix cache evicts unlocked leaves ({@code --radix-eviction-policy}), SGLang's strategies in
 * python/sglang/srt/mem_cache/evict_policy.py. Each strategy's {@code get_priority(node)} is a key, and the smallest
 * key is evicted first from a min-heap:
 * <ul>
 *   <li>{@code lru}: {@code last_access_time}</li>
 *   <li>{@code lfu}: {@code (hit_count, last_access_time)}</li>
 *   <li>{@code fifo}: {@code creation_time}</li>
 *   <li>{@code mru}: {@code -last_access_time}</li>
 *   <li>{@code filo}: {@code -creation_time}</li>
 *   <li>{@code priority}: {@code (priority, last_access_time)}, lower priority values first</li>
 * </ul>
 * Simulated times tie far more often than {@code time.monotonic()} does, so equal keys are broken by node id (creation
 * order), which keeps eviction deterministic; Python would compare the nodes by {@code last_access_time} and then
 * leave the order to the heap.
 */
enum EvictionPolicy {
    LRU("lru", Comparator.comparingDouble((TreeNode node) -> node.lastAccessTime)),
    LFU("lfu", Comparator.comparingInt((TreeNode node) -> node.hitCount)
            .thenComparingDouble(node -> node.lastAccessTime)),
    FIFO("fifo", Comparator.comparingDouble((TreeNode node) -> node.creationTime)),
    MRU("mru", Comparator.comparingDouble((TreeNode node) -> -node.lastAccessTime)),
    FILO("filo", Comparator.comparingDouble((TreeNode node) -> -node.creationTime)),
    PRIORITY("priority", Comparator.comparingInt((TreeNode node) -> node.priority)
            .thenComparingDouble(node -> node.lastAccessTime));

    private final String configName;
    private final Comparator<TreeNode> order;

    EvictionPolicy(String configName, Comparator<TreeNode> key) {
        this.configName = configName;
        this.order = key.thenComparingLong(node -> node.id);
    }

    /** The name SGLang's flag takes. */
    String configName() {
        return configName;
    }

    /** Evicted first compares smallest. */
    Comparator<TreeNode> order() {
        return order;
    }

    static EvictionPolicy fromName(String name) {
        for (EvictionPolicy policy : values()) {
            if (policy.configName.equals(name)) {
                return policy;
            }
        }
        StringBuilder known = new StringBuilder();
        for (EvictionPolicy policy : values()) {
            known.append(known.length() == 0 ? "" : ", ").append(policy.configName);
        }
        throw new IllegalArgumentException("unknown radix eviction policy '" + name + "'; known: " + known);
    }
}
