package dev.servesim.engine.vllm;

import dev.servesim.api.request.BlockHashChain;
import dev.servesim.engine.common.steptime.ShardedModel;
import java.util.Arrays;

/**
 * The CPU KV tier, as vLLM v0.15's native OffloadingConnector with its LRU manager (vllm/v1/kv_offload/**,
 * reference §5), keyed by the same chained block hashes as the GPU prefix cache:
 * <ul>
 *   <li><b>write-through stores</b>: every full block a step computes is offered when the step is scheduled and
 *       stored when the step ends (the copy overlaps compute on its own stream, so it costs no step time); a block
 *       already on the CPU is skipped; when the tier is full its least recently used block is evicted. GPU evictions
 *       copy nothing: the tier already holds a recency-ordered superset of recently computed blocks;
 *   <li><b>lookup on admission</b>: after the GPU prefix hit of {@code h} blocks, the request's blocks present on
 *       the CPU are touched (last block first, so a chain's prefix becomes most recent), then consecutive CPU blocks
 *       from block {@code h} on are counted;
 *   <li><b>load</b>: the engine moves those blocks to the GPU over the host link, {@link #loadSeconds} per load.
 * </ul>
 * The LRU is a doubly linked list over slots, indexed by a {@link LongIntMap}: every operation is O(1) and allocates
 * nothing once the pending-store buffer has grown.
 */
final class CpuKvTier {

    /** Fraction of the PCIe peak that pinned-memory block copies reach. */
    static final double HOST_LINK_EFFICIENCY = 0.8;
    private static final int NONE = -1;

    private final int capacity;
    private final double secondsPerBlock;
    private final LongIntMap index;
    private final long[] hashes;
    private final int[] older;
    private final int[] newer;
    private int oldest = NONE;
    private int newest = NONE;
    private int size;

    private long[] pending = new long[64];
    private int pendingCount;

    private long storedBlocks;
    private long evictedBlocks;
    private long loads;
    private long loadedBlocks;

    /**
     * @param capacity blocks the tier holds, 0 for no tier
     * @param secondsPerBlock time to copy one block to every GPU of the replica (they copy in parallel)
     */
    CpuKvTier(int capacity, double secondsPerBlock) {
        this.capacity = capacity;
        this.secondsPerBlock = secondsPerBlock;
        int slots = Math.max(capacity, 0);
        this.index = new LongIntMap(Math.max(1, Math.min(slots, 1 << 20)));
        this.hashes = new long[slots];
        this.older = new int[slots];
        this.newer = new int[slots];
    }

    /** A tier of {@code capacity} blocks for {@code model}: one block's bytes per GPU over the host link. */
    static CpuKvTier of(int capacity, ShardedModel model, int blockSize, double hostLinkBytesPerSecond) {
        double bytesPerGpu = (double) model.pageBytes(blockSize) * model.maxStageLayers();
        return new CpuKvTier(capacity, bytesPerGpu / (hostLinkBytesPerSecond * HOST_LINK_EFFICIENCY));
    }

    boolean enabled() {
        return capacity > 0;
    }

    int capacity() {
        return capacity;
    }

    /** Blocks on the CPU now. */
    int size() {
        return size;
    }

    /** A block computed by the step being scheduled; stored by the next {@link #commit}. */
    void offer(long hash) {
        if (pendingCount == pending.length) {
            pending = Arrays.copyOf(pending, pendingCount * 2);
        }
        pending[pendingCount++] = hash;
    }

    /** The step ended: stores the blocks offered since the last commit. */
    void commit() {
        for (int k = 0; k < pendingCount; k++) {
            store(pending[k]);
        }
        pendingCount = 0;
    }

    /**
     * Touches the blocks of {@code chain} held on the CPU and counts those present from block {@code from} on,
     * up to block {@code maxBlocks} (exclusive).
     */
    int match(BlockHashChain chain, int from, int maxBlocks) {
        int blocks = Math.min(maxBlocks, chain.fullBlocks());
        for (int k = blocks - 1; k >= 0; k--) {
            int slot = index.get(chain.hash(k));
            if (slot != NONE) {
                moveToNewest(slot);
            }
        }
        int count = 0;
        while (from + count < blocks && index.containsKey(chain.hash(from + count))) {
            count++;
        }
        return count;
    }

    /** Time to load {@code blocks} blocks to the GPUs; counts the load. */
    double load(int blocks) {
        loads++;
        loadedBlocks += blocks;
        return blocks * secondsPerBlock;
    }

    double secondsPerBlock() {
        return secondsPerBlock;
    }

    long storedBlocks() {
        return storedBlocks;
    }

    long evictedBlocks() {
        return evictedBlocks;
    }

    long loads() {
        return loads;
    }

    long loadedBlocks() {
        return loadedBlocks;
    }

    private void store(long hash) {
        if (capacity == 0 || index.containsKey(hash)) {
            return;
        }
        int slot;
        if (size < capacity) {
            slot = size++;
        } else {
            slot = oldest;
            unlink(slot);
            index.remove(hashes[slot]);
            evictedBlocks++;
        }
        hashes[slot] = hash;
        index.put(hash, slot);
        linkNewest(slot);
        storedBlocks++;
    }

    private void moveToNewest(int slot) {
        if (slot != newest) {
            unlink(slot);
            linkNewest(slot);
        }
    }

    private void unlink(int slot) {
        int before = older[slot];
        int after = newer[slot];
        if (before == NONE) {
            oldest = after;
        } else {
            newer[before] = after;
        }
        if (after == NONE) {
            newest = before;
        } else {
            older[after] = before;
        }
    }

    private void linkNewest(int slot) {
        older[slot] = newest;
        newer[slot] = NONE;
        if (newest == NONE) {
            oldest = slot;
        } else {
            newer[newest] = slot;
        }
        newest = slot;
    }
}
