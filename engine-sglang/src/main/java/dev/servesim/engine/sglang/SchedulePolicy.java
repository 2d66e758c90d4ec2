package dev.servesim.engine.sglang;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * Orders the waiting queue before admission ({@code --schedule-policy}), SGLang's {@code SchedulePolicy} in
 * python/sglang/srt/managers/schedule_policy.py, called once per scheduling step ({@code calc_priority}).
 *
 * <ul>
 *   <li>{@code fcfs} (the default): arrival order, untouched.</li>
 *   <li>{@code lpm}: longest cached prefix first; with more than {@link #LPM_FALLBACK_QUEUE_LENGTH} waiting it falls
 *       back to {@code fcfs} for that step, skipping the matching ({@code _determine_active_policy}).</li>
 *   <li>{@code dfs-weight}: a depth-first walk of the tree in which each node weighs the number of waiting requests
 *       whose match ends in its subtree; heavier children first, a node's own requests after its children's
 *       ({@code _sort_by_dfs_weight}, {@code _calc_weight}, {@code _get_dfs_priority}).</li>
 *   <li>{@code lof}: largest {@code max_new_tokens} first.</li>
 *   <li>{@code random}: a shuffle drawn from the stream passed in, the loop of Python's {@code random.shuffle}.</li>
 * </ul>
 * Sorts are stable, as Python's are. The cache-aware policies match every waiting request against the cache and
 * store the result on it ({@code _compute_prefix_matches}). There they also share prefixes within the batch: a
 * request whose cached match is at most {@link #IN_BATCH_PREFIX_CACHING_CHECK_THRESHOLD} tokens is matched against
 * a scratch tree of the earlier such requests of this step; if that covers at least
 * {@link #IN_BATCH_PREFIX_CACHING_DEPRIORITIZE_THRESHOLD} tokens it is deprioritized, otherwise its tokens go into
 * the scratch tree. {@code lpm} sorts deprioritized requests last so the shared prefix is computed once and then hits
 * the cache; {@code dfs-weight} computes the set but does not use it, as in SGLang.
 */
final class SchedulePolicy {

    /**
     * A request whose prefix cached so far is at most this many tokens is checked for in-batch sharing
     * (schedule_policy.py {@code IN_BATCH_PREFIX_CACHING_CHECK_THRESHOLD}, environment default 32).
     */
    static final int IN_BATCH_PREFIX_CACHING_CHECK_THRESHOLD = 32;

    /**
     * A checked request whose prefix matches at least this many tokens of an earlier waiting request is deprioritized
     * (schedule_policy.py {@code IN_BATCH_PREFIX_CACHING_DEPRIORITIZE_THRESHOLD}, environment default 32).
     */
    static final int IN_BATCH_PREFIX_CACHING_DEPRIORITIZE_THRESHOLD = 32;

    /**
     * Above this many waiting requests {@code lpm} is replaced by {@code fcfs} for the step
     * (schedule_policy.py {@code _determine_active_policy}: {@code len(waiting_queue) > 128}).
     */
    static final int LPM_FALLBACK_QUEUE_LENGTH = 128;

    /** The policies, by the names SGLang's flag takes. */
    enum Policy {
        FCFS("fcfs", false),
        LPM("lpm", true),
        DFS_WEIGHT("dfs-weight", true),
        LOF("lof", false),
        RANDOM("random", false);

        private final String configName;
        private final boolean cacheAware;

        Policy(String configName, boolean cacheAware) {
            this.configName = configName;
            this.cacheAware = cacheAware;
        }

        String configName() {
            return configName;
        }

        boolean cacheAware() {
            return cacheAware;
        }

        static Policy fromName(String name) {
            for (Policy policy : values()) {
                if (policy.configName.equals(name)) {
                    return policy;
                }
            }
            StringBuilder known = new StringBuilder();
            for (Policy policy : values()) {
                known.append(known.length() == 0 ? "" : ", ").append(policy.configName);
            }
            throw new IllegalArgumentException("unknown schedule policy '" + name + "'; known: " + known);
        }
    }

    private final Policy policy;
    private final RadixCache treeCache;
    private final RandomGenerator random;
    // the waiting queue radix tree: tokens only, never slots (SGLang builds it without allocators)
    private final RadixCache waitingQueueTree = new RadixCache(new SlotPool(0), 1, EvictionPolicy.LRU);

    SchedulePolicy(Policy policy, RadixCache treeCache, RandomGenerator random) {
        this.policy = requireNonNull(policy, "policy is null");
        this.treeCache = requireNonNull(treeCache, "treeCache is null");
        this.random = requireNonNull(random, "random is null");
    }

    Policy policy() {
        return policy;
    }

    /**
     * Reorders {@code waitingQueue} in place ({@code calc_priority}) at simulated time {@code now}; true if the
     * requests' prefix matches were computed (by a cache-aware policy), so admission may use them.
     */
    boolean calcPriority(List<WaitingRequest> waitingQueue, double now) {
        if (policy == Policy.FCFS) {
            return false;
        }
        Policy active = policy == Policy.LPM && waitingQueue.size() > LPM_FALLBACK_QUEUE_LENGTH ? Policy.FCFS : policy;
        switch (active) {
            case LPM -> {
                Set<WaitingRequest> deprioritized = computePrefixMatches(waitingQueue, now);
                waitingQueue.sort(Comparator.comparingLong(
                        request -> deprioritized.contains(request) ? Long.MAX_VALUE : -request.prefixTokens));
            }
            case DFS_WEIGHT -> {
                computePrefixMatches(waitingQueue, now);
                sortByDfsWeight(waitingQueue);
            }
            case LOF -> waitingQueue.sort(Comparator.comparingInt(request -> -request.maxNewTokens));
            case RANDOM -> shuffle(waitingQueue);
            case FCFS -> {
            }
        }
        return active.cacheAware();
    }

    // _compute_prefix_matches
    private Set<WaitingRequest> computePrefixMatches(List<WaitingRequest> waitingQueue, double now) {
        // membership only, never iterated
        Set<WaitingRequest> deprioritized = new HashSet<>();
        waitingQueueTree.reset();
        for (WaitingRequest request : waitingQueue) {
            TokenKey prefix = request.maxPrefix();
            RadixCache.MatchResult match = treeCache.matchPrefix(prefix, now);
            request.prefixTokens = match.matchedTokens();
            request.lastNode = match.lastNode();
            if (request.prefixTokens <= IN_BATCH_PREFIX_CACHING_CHECK_THRESHOLD) {
                int inBatch = waitingQueueTree.matchPrefix(prefix, now).matchedTokens();
                if (inBatch >= IN_BATCH_PREFIX_CACHING_DEPRIORITIZE_THRESHOLD) {
                    deprioritized.add(request);
                } else {
                    waitingQueueTree.insert(prefix, now);
                }
            }
        }
        return deprioritized;
    }

    private void sortByDfsWeight(List<WaitingRequest> waitingQueue) {
        Map<TreeNode, List<WaitingRequest>> lastNodeToRequests = new LinkedHashMap<>();
        for (WaitingRequest request : waitingQueue) {
            lastNodeToRequests.computeIfAbsent(request.lastNode, node -> new ArrayList<>()).add(request);
        }
        // lookups only, never iterated
        Map<TreeNode, Integer> weights = new HashMap<>();
        for (Map.Entry<TreeNode, List<WaitingRequest>> entry : lastNodeToRequests.entrySet()) {
            weights.put(entry.getKey(), entry.getValue().size());
        }
        calcWeight(treeCache.root(), weights);
        waitingQueue.clear();
        dfsPriority(treeCache.root(), weights, lastNodeToRequests, waitingQueue);
    }

    // _calc_weight: a node weighs its own requests plus its subtree's
    private static int calcWeight(TreeNode node, Map<TreeNode, Integer> weights) {
        int weight = weights.getOrDefault(node, 0);
        for (TreeNode child : node.children.values()) {
            weight += calcWeight(child, weights);
        }
        weights.put(node, weight);
        return weight;
    }

    // _get_dfs_priority: heavier children first (stable), then the node's own requests
    private static void dfsPriority(TreeNode node, Map<TreeNode, Integer> weights,
            Map<TreeNode, List<WaitingRequest>> lastNodeToRequests, List<WaitingRequest> queue) {
        List<TreeNode> children = new ArrayList<>(node.children.values());
        children.sort(Comparator.comparingInt(child -> -weights.getOrDefault(child, 0)));
        for (TreeNode child : children) {
            dfsPriority(child, weights, lastNodeToRequests, queue);
        }
        queue.addAll(lastNodeToRequests.getOrDefault(node, List.of()));
    }

    // Python's random.shuffle: for i from n-1 down to 1, swap x[i] with x[j], j uniform in [0, i]
    private void shuffle(List<WaitingRequest> waitingQueue) {
        for (int i = waitingQueue.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            WaitingRequest swapped = waitingQueue.get(i);
            waitingQueue.set(i, waitingQueue.get(j));
            waitingQueue.set(j, swapped);
        }
    }
}
