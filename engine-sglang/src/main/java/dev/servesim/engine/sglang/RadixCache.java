package dev.servesim.engine.sglang;

import static java.util.Objects.requireNonNull;

import dev.servesim.api.ErrorKind;
import dev.servesim.api.ServesimException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * SGLang's prefix cache, a radix tree over token identities (python/sglang/srt/mem_cache/radix_cache.py,
 * {@code RadixCache}). Each node holds a run of tokens and their KV slots; the slots are counted, not named (see
 * {@link SlotPool}). Keys are {@link TokenKey}s: a token is (content id, offset), compared exactly.
 *
 * <ul>
 *   <li><b>Pages.</b> With {@code pageSize > 1} a match is rounded down to whole pages and an insert stores whole
 *       pages only ({@code match_prefix} and {@code insert} with {@code _key_match_paged}); children are keyed by
 *       their first page.</li>
 *   <li><b>Split.</b> A match or insert that ends inside a node splits it ({@code _split_node}): the new upper node
 *       takes the shared tokens and the child's lock count, and is created now.</li>
 *   <li><b>Locks.</b> {@link #incLockRef} and {@link #decLockRef} count users on every node from a node up to the
 *       root; a node moves between the evictable and protected totals when its count leaves or reaches 0. The root is
 *       locked once for ever, as in SGLang, so it is never evicted.</li>
 *   <li><b>Eviction.</b> {@link #evict} heaps the unlocked leaves in the {@link EvictionPolicy}'s order and frees
 *       leaves until enough tokens are freed; a parent left without children and unlocked joins the heap.</li>
 *   <li><b>Time.</b> Match and insert set {@code last_access_time} to the simulated time on every node of the
 *       path, root included. A match also counts a hit on each node of the matched path, the count LFU eviction
 *       reads; SGLang's hit counting was not available to check here, so "one hit per node each time a match walks
 *       through it" is this model's reading.</li>
 * </ul>
 *
 * <p>Slot accounting: the pool's free slots, the tree's {@link #totalSize()} and the slots requests own outside the
 * tree ({@link RequestKv#ownTokens()}) always add up to the pool's capacity; the request-level methods
 * ({@link #allocate}, {@link #cacheUnfinishedRequest}, {@link #cacheFinishedRequest}, {@link #release}) keep it so.
 * Not thread-safe; owned by one engine.
 */
final class RadixCache {

    /**
     * Leaves {@link #evict} takes by scanning for the smallest before it heaps the rest: most evictions free one or
     * two leaves, and a scan is cheaper than heaping every leaf; the order taken is the same either way.
     */
    private static final int SCANNED_EVICTIONS = 8;

    private final SlotPool pool;
    private final int pageSize;
    private final EvictionPolicy evictionPolicy;
    private final RadixEvents events;
    private TreeNode root;
    private long nextNodeId;
    private int evictableSize;
    private int protectedSize;
    /** Every node without children but the root, kept as the tree changes, so eviction needs no walk of the tree. */
    private final List<TreeNode> leafNodes = new ArrayList<>();

    /** The match of a key against the tree: the tokens found and the node where the match ends. */
    record MatchResult(int matchedTokens, TreeNode lastNode) {

        MatchResult {
            requireNonNull(lastNode, "lastNode is null");
        }
    }

    RadixCache(SlotPool pool, int pageSize, EvictionPolicy evictionPolicy) {
        this(pool, pageSize, evictionPolicy, RadixEvents.none());
    }

    /** A tree that publishes the pages it stores and evicts to {@code events}. */
    RadixCache(SlotPool pool, int pageSize, EvictionPolicy evictionPolicy, RadixEvents events) {
        this.pool = requireNonNull(pool, "pool is null");
        this.evictionPolicy = requireNonNull(evictionPolicy, "evictionPolicy is null");
        this.events = requireNonNull(events, "events is null");
        if (pageSize < 1) {
            throw new IllegalArgumentException("page size must be at least 1, got " + pageSize);
        }
        this.pageSize = pageSize;
        reset();
    }

    /**
     * Empties the tree ({@code reset()}); the caller accounts for the slots it held. Publishes no removals: only a
     * tree that publishes nothing (the waiting-queue tree of {@link SchedulePolicy}) is reset.
     */
    void reset() {
        nextNodeId = 0;
        root = new TreeNode(nextNodeId++, null, TokenKey.EMPTY, 0.0, 0);
        root.lockRef = 1;
        evictableSize = 0;
        protectedSize = 0;
        leafNodes.clear();
    }

    SlotPool pool() {
        return pool;
    }

    int pageSize() {
        return pageSize;
    }

    TreeNode root() {
        return root;
    }

    /** Tokens in unlocked nodes ({@code evictable_size()}). */
    int evictableSize() {
        return evictableSize;
    }

    /** Tokens in locked nodes ({@code protected_size()}). */
    int protectedSize() {
        return protectedSize;
    }

    /** Tokens cached in the tree, which hold as many slots. */
    int totalSize() {
        return evictableSize + protectedSize;
    }

    private int pageAligned(int tokens) {
        return tokens / pageSize * pageSize;
    }

    private TokenKey childKey(TokenKey key) {
        return key.prefix(Math.min(pageSize, key.length()));
    }

    /**
     * The longest cached prefix of {@code key}, in whole pages ({@code match_prefix} and
     * {@code _match_prefix_helper}). A match that ends inside a node splits it, so the result always ends at a node
     * boundary. Refreshes the access time of the path at {@code now} and counts a hit on each matched node.
     */
    MatchResult matchPrefix(TokenKey key, double now) {
        TokenKey rest = key.prefix(pageAligned(key.length()));
        TreeNode node = root;
        node.lastAccessTime = now;
        int matched = 0;
        while (!rest.isEmpty()) {
            TreeNode child = node.children.get(childKey(rest));
            if (child == null) {
                break;
            }
            child.lastAccessTime = now;
            int shared = child.key.sharedPrefix(rest, pageSize);
            if (shared < child.tokens()) {
                TreeNode upper = split(child, shared, now);
                upper.hitCount++;
                matched += shared;
                node = upper;
                break;
            }
            child.hitCount++;
            matched += shared;
            node = child;
            rest = rest.dropFirst(shared);
        }
        return new MatchResult(matched, node);
    }

    /** Inserts {@code key} with priority 0; see {@link #insert(TokenKey, double, int)}. */
    int insert(TokenKey key, double now) {
        return insert(key, now, 0);
    }

    /**
     * Inserts the whole pages of {@code key} ({@code insert} and {@code _insert_helper}) and returns how many of
     * its tokens were already cached, which the caller's slots duplicate. The new tokens go into one new unlocked
     * leaf, whose slots the caller hands over (the tree takes them; the pool does not change). Refreshes the access
     * time of the path and raises each node's priority to at least {@code priority}.
     */
    int insert(TokenKey key, double now, int priority) {
        TokenKey path = key.prefix(pageAligned(key.length()));
        TokenKey rest = path;
        TreeNode node = root;
        node.lastAccessTime = now;
        node.priority = Math.max(node.priority, priority);
        int present = 0;
        while (!rest.isEmpty()) {
            TreeNode child = node.children.get(childKey(rest));
            if (child == null) {
                break;
            }
            child.lastAccessTime = now;
            child.priority = Math.max(child.priority, priority);
            int shared = child.key.sharedPrefix(rest, pageSize);
            present += shared;
            rest = rest.dropFirst(shared);
            node = shared < child.tokens() ? split(child, shared, now) : child;
            node.priority = Math.max(node.priority, priority);
        }
        if (!rest.isEmpty()) {
            TreeNode leaf = new TreeNode(nextNodeId++, node, rest, now, priority);
            leaf.pageHashes = events.stored(path, path.length() - rest.length());
            if (node.isLeaf()) {
                removeLeaf(node);
            }
            node.children.put(childKey(rest), leaf);
            addLeaf(leaf);
            evictableSize += rest.length();
        }
        return present;
    }

    // _split_node: child keeps its tail under a new node that takes the first `at` tokens and the child's place
    private TreeNode split(TreeNode child, int at, double now) {
        TreeNode parent = child.parent;
        TokenKey placeKey = childKey(child.key);
        TreeNode upper = new TreeNode(nextNodeId++, parent, child.key.prefix(at), now, child.priority);
        upper.lockRef = child.lockRef;
        upper.pageHashes = events.head(child.pageHashes, at);
        child.pageHashes = events.tail(child.pageHashes, at);
        child.key = child.key.dropFirst(at);
        child.parent = upper;
        upper.children.put(childKey(child.key), child);
        parent.children.put(placeKey, upper);
        return upper;
    }

    /** Locks the path from {@code node} to the root ({@code inc_lock_ref}); returns the change in evictable size. */
    int incLockRef(TreeNode node) {
        int delta = 0;
        for (TreeNode at = node; at != root; at = at.parent) {
            if (at.lockRef == 0) {
                evictableSize -= at.tokens();
                protectedSize += at.tokens();
                delta -= at.tokens();
            }
            at.lockRef++;
        }
        return delta;
    }

    /** Unlocks the path from {@code node} to the root ({@code dec_lock_ref}); returns the change in evictable size. */
    int decLockRef(TreeNode node) {
        int delta = 0;
        for (TreeNode at = node; at != root; at = at.parent) {
            if (at.lockRef <= 0) {
                throw new ServesimException(ErrorKind.INVARIANT, "radix cache: unlocking " + at + ", which is not locked");
            }
            if (at.lockRef == 1) {
                evictableSize += at.tokens();
                protectedSize -= at.tokens();
                delta += at.tokens();
            }
            at.lockRef--;
        }
        return delta;
    }

    /**
     * Frees at least {@code tokens} slots by evicting unlocked leaves, or every evictable node if that is fewer
     * ({@code evict}); returns the tokens freed. Leaves leave in the eviction policy's order, and a parent whose last
     * child left and which nobody locks becomes a candidate at once.
     */
    int evict(int tokens) {
        List<TreeNode> leaves = unlockedLeaves();
        Comparator<TreeNode> order = evictionPolicy.order();
        int evicted = 0;
        int taken = 0;
        while (evicted < tokens && !leaves.isEmpty()) {
            if (++taken > SCANNED_EVICTIONS) {
                // many leaves to free: heap the rest, as SGLang does from the start
                return evicted + evictInOrder(new PriorityQueue<>(order), leaves, tokens - evicted);
            }
            // the order is total (ties go to the node id), so the smallest leaf is the one the heap would give
            int smallest = 0;
            for (int i = 1; i < leaves.size(); i++) {
                if (order.compare(leaves.get(i), leaves.get(smallest)) < 0) {
                    smallest = i;
                }
            }
            TreeNode leaf = leaves.get(smallest);
            leaves.set(smallest, leaves.get(leaves.size() - 1));
            leaves.remove(leaves.size() - 1);
            TreeNode parent = evictLeaf(leaf);
            if (parent == null) {
                break;
            }
            evicted += leaf.tokens();
            if (parent.children.isEmpty() && parent.lockRef == 0) {
                leaves.add(parent);
            }
        }
        return evicted;
    }

    /** Frees leaves from {@code heap}, filled with {@code leaves}, until {@code tokens} are freed. */
    private int evictInOrder(PriorityQueue<TreeNode> heap, List<TreeNode> leaves, int tokens) {
        heap.addAll(leaves);
        int evicted = 0;
        while (evicted < tokens && !heap.isEmpty()) {
            TreeNode leaf = heap.poll();
            TreeNode parent = evictLeaf(leaf);
            if (parent == null) {
                break;
            }
            evicted += leaf.tokens();
            if (parent.children.isEmpty() && parent.lockRef == 0) {
                heap.add(parent);
            }
        }
        return evicted;
    }

    /** Frees {@code leaf} and returns its parent; {@code null} for the root, which is never evicted. */
    private TreeNode evictLeaf(TreeNode leaf) {
        if (leaf == root) {
            return null;
        }
        pool.free(leaf.tokens());
        deleteLeaf(leaf);
        events.removed(leaf.pageHashes);
        return leaf.parent;
    }

    // _collect_leaves (SGLang walks the tree; the leaves are kept here instead, the same set)
    private List<TreeNode> unlockedLeaves() {
        List<TreeNode> leaves = new ArrayList<>();
        for (TreeNode leaf : leafNodes) {
            if (leaf.lockRef == 0) {
                leaves.add(leaf);
            }
        }
        return leaves;
    }

    /** The nodes without children but the root, in no particular order (a copy; for tests). */
    List<TreeNode> leaves() {
        return new ArrayList<>(leafNodes);
    }

    private void addLeaf(TreeNode node) {
        if (node != root) {
            node.leafIndex = leafNodes.size();
            leafNodes.add(node);
        }
    }

    private void removeLeaf(TreeNode node) {
        int index = node.leafIndex;
        if (index < 0) {
            return;
        }
        TreeNode last = leafNodes.remove(leafNodes.size() - 1);
        if (last != node) {
            leafNodes.set(index, last);
            last.leafIndex = index;
        }
        node.leafIndex = -1;
    }

    // _delete_leaf, by the leaf's child key rather than a scan of its siblings
    private void deleteLeaf(TreeNode leaf) {
        TreeNode removed = leaf.parent.children.remove(childKey(leaf.key));
        if (removed != leaf) {
            throw new ServesimException(ErrorKind.INVARIANT, "radix cache: " + leaf + " is not its parent's child");
        }
        removeLeaf(leaf);
        if (leaf.parent.isLeaf()) {
            addLeaf(leaf.parent);
        }
        evictableSize -= leaf.tokens();
    }

    /** A request that starts with the cached prefix {@code match}: locks its path (the scheduler's admission). */
    RequestKv lock(MatchResult match) {
        incLockRef(match.lastNode());
        return new RequestKv(match.matchedTokens(), match.lastNode());
    }

    /**
     * Gives {@code request} {@code tokens} more slots, evicting first if too few are free ({@code alloc_token_slots}
     * in python/sglang/srt/mem_cache/common.py: when {@code available_size() < num_tokens} it evicts
     * {@code num_tokens}, not the shortfall). False, with nothing allocated, if the slots cannot be found.
     */
    boolean allocate(RequestKv request, int tokens) {
        if (pool.freeTokens() < tokens) {
            evict(tokens);
        }
        if (!pool.allocate(tokens)) {
            return false;
        }
        request.kvTokens += tokens;
        return true;
    }

    /**
     * Puts a running request's KV into the tree after a prefill chunk ({@code cache_unfinished_req}):
     * {@code tokens} are the request's tokens, of which the first {@code request.kvTokens()} have KV. Their whole
     * pages are inserted; slots that duplicate tokens someone else cached meanwhile are freed and the tree's copy is
     * used; the request's lock moves to the end of the new path.
     */
    void cacheUnfinishedRequest(RequestKv request, TokenKey tokens, double now) {
        TokenKey computed = computedTokens(request, tokens);
        int aligned = pageAligned(computed.length());
        int present = insert(computed.prefix(aligned), now);
        pool.free(present - request.cachedTokens);
        MatchResult match = matchPrefix(computed, now);
        decLockRef(request.lastNode);
        incLockRef(match.lastNode());
        request.cachedTokens = match.matchedTokens();
        request.lastNode = match.lastNode();
    }

    /**
     * Puts a finished request's KV into the tree and lets it go ({@code cache_finished_req}): whole pages are
     * inserted, duplicate slots and the trailing partial page are freed, and the lock is released.
     */
    void cacheFinishedRequest(RequestKv request, TokenKey tokens, double now) {
        TokenKey computed = computedTokens(request, tokens);
        int aligned = pageAligned(computed.length());
        int present = insert(computed.prefix(aligned), now);
        pool.free(present - request.cachedTokens);
        pool.free(computed.length() - aligned);
        decLockRef(request.lastNode);
        request.clear(root);
    }

    /** Lets a request go without caching its KV (retraction, abort): frees its own slots and releases its lock. */
    void release(RequestKv request) {
        pool.free(request.ownTokens());
        decLockRef(request.lastNode);
        request.clear(root);
    }

    private static TokenKey computedTokens(RequestKv request, TokenKey tokens) {
        if (tokens.length() < request.kvTokens) {
            throw new IllegalArgumentException("request has KV for " + request.kvTokens + " tokens but only "
                    + tokens.length() + " were given");
        }
        return tokens.prefix(request.kvTokens);
    }
}
