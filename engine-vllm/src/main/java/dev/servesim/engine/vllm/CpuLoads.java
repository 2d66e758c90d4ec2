package dev.servesim.engine.vllm;

import java.util.ArrayList;

/**
 * Waiting requests that hold GPU blocks for a copy from the CPU tier, as vLLM's WAITING_FOR_REMOTE_KVS requests
 * (reference §5): the copy starts when the request is looked up, the request stays in the waiting queue, and the
 * first scheduling pass after the copy is done admits it with the loaded tokens computed. Owned by
 * {@link VllmScheduler}.
 */
final class CpuLoads {

    /** Cache event of an admission that found blocks in the CPU tier. */
    static final String CPU_HIT = "CPU_HIT";

    private final CpuKvTier cpu;
    private final BlockPool pool;
    private final int blockSize;
    /** In the order the copies started. */
    private final ArrayList<RequestState> holding = new ArrayList<>();
    private long stallReleases;

    CpuLoads(CpuKvTier cpu, BlockPool pool, int blockSize) {
        this.cpu = cpu;
        this.pool = pool;
        this.blockSize = blockSize;
    }

    /** The request holds GPU blocks for its GPU hits and its CPU blocks and waits for the copy. */
    void start(RequestState state, double now, int gpuHitBlocks, int cpuBlocks) {
        state.loadState = RequestState.LOADING;
        state.loadReadyTime = now + cpu.load(cpuBlocks);
        state.admissionCachedTokens = (gpuHitBlocks + cpuBlocks) * blockSize;
        state.loadedTokens = state.admissionCachedTokens;
        state.admissionCacheEvent = CPU_HIT;
        holding.add(state);
    }

    /**
     * The copy is done: as vLLM's _update_waiting_for_remote_kv, the hit and loaded blocks count as computed (all
     * but the last token if they cover every token) and become findable in the GPU prefix cache.
     */
    void finish(RequestState state) {
        int computed = Math.min(state.loadedTokens, state.numTokens());
        if (computed == state.numTokens()) {
            computed--;
        }
        state.computedTokens = computed;
        state.loadState = RequestState.LOADED;
        pool.register(state, computed);
    }

    /** The request was admitted to the running batch. */
    void admitted(RequestState state) {
        holding.remove(state);
        state.loadState = RequestState.NOT_LOADING;
    }

    /**
     * The earliest time a copy in flight after {@code now} is done, or {@code NaN} if none is. An engine that
     * scheduled an empty step waits until then (vLLM's engine loop polls; nothing else can change meanwhile).
     */
    double nextReadyAfter(double now) {
        double earliest = Double.NaN;
        for (int k = 0; k < holding.size(); k++) {
            RequestState state = holding.get(k);
            double ready = state.loadReadyTime;
            if (state.loadState == RequestState.LOADING && ready > now && !(ready >= earliest)) {
                earliest = ready;
            }
        }
        return earliest;
    }

    /**
     * Breaks a stall that vLLM's scheduler can reach in a small pool, called when a pass scheduled nothing, nothing
     * runs and requests wait: if no copy is in flight, the requests holding blocks for finished copies (queued behind
     * a request that cannot get blocks) release them; the blocks stay cached on the GPU, so those requests hit them
     * when admitted. Returns false, changing nothing, unless it released blocks.
     */
    boolean releaseIfStalled(double now) {
        if (holding.isEmpty() || !Double.isNaN(nextReadyAfter(now))) {
            return false;
        }
        for (int k = 0; k < holding.size(); k++) {
            RequestState state = holding.get(k);
            if (state.loadState == RequestState.LOADING) {
                finish(state);
            }
            pool.free(state);
            state.computedTokens = 0;
            state.loadState = RequestState.NOT_LOADING;
        }
        holding.clear();
        stallReleases++;
        return true;
    }

    /** Times {@link #releaseIfStalled} broke a stall. */
    long stallReleases() {
        return stallReleases;
    }
}
