package dev.servesim.runner.simulation;

import dev.servesim.api.cache.KvCacheStrategy;
import dev.servesim.api.ServesimException;
import dev.servesim.api.engine.KvTransferSupport;
import dev.servesim.api.engine.ServingEngine;
import dev.servesim.api.request.BlockHashChain;
import dev.servesim.api.request.Request;
import dev.servesim.api.request.RequestRecord;
import dev.servesim.api.request.StepRecord;
import dev.servesim.api.sim.RandomStreams;
import dev.servesim.core.Simulation;
import dev.servesim.runner.BoundComponent;
import dev.servesim.runner.ClusterSettings;
import dev.servesim.runner.RunConfiguration;
import it.unimi.dsi.fastutil.longs.LongOpenHashSet;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The serving layout of a run on one simulated clock: pools of {@link Replica}s, each behind its own router, and
 * how a request crosses them. A request enters the entry pool; in a co-located deployment (one replica, a cluster,
 * or replica groups) it ends there. A disaggregated deployment composes the same parts with a {@link Handoff}: the
 * entry (prefill) pool receives a copy that generates one token (vLLM's P/D proxy sends {@code max_tokens = 1}); when
 * the copy finishes, its KV cache crosses a {@link KvTransfer} to the next (decode) pool, whose router chooses a
 * replica then, and which receives the original request with all but the last prompt token already computed
 * (reference 7.2).
 *
 * <p>Routers see load as of the last periodic report (every {@code cluster.report_interval}, paused while idle), the
 * replicas' own in-flight counts, and the cache events each replica published.
 *
 * <p>A request may also be pinned to a replica of the entry pool ({@link #submit(Request, int)}: {@code servesim
 * serve}'s per-replica ports), as a client that talks to one server directly. The entry pool's router is then neither
 * asked nor told: it does not count the request among its own in flight ({@link Replica#inFlight()}) and gets no
 * {@code onRequestDone} for it, though the replica's reported load and published cache events include it, as they
 * would for a router in front of servers that also take direct traffic. In a disaggregated deployment the pin places
 * the prefill copy; the decode pool's router still chooses the decode replica and hears of its end.
 */
final class Deployment implements RequestObserver {

    private final Simulation simulation;
    private final RequestTracker tracker;
    private final ClusterSettings.NetworkSettings network;
    private final double reportInterval;
    private final List<Pool> pools;
    private final List<Replica> replicas = new ArrayList<>();
    private final List<KvCacheStrategy> caches = new ArrayList<>();
    private final Pool entry;
    /** Where a request goes once its prompt is computed, or null if it ends in the entry pool. */
    private final Handoff handoff;
    // requests pinned to their entry replica, while in flight
    private final LongOpenHashSet pinned = new LongOpenHashSet();
    // the prompt chain of the request being routed, computed once for every replica's cachedPrefixBlocks
    private long chainRequestId = -1;
    private int chainBlockSize;
    private BlockHashChain chain;

    /** The KV cache of prefilled prompts crosses {@code transfer} to the replicas of {@code next}. */
    record Handoff(KvTransfer transfer, Pool next) {}

    @Inject
    Deployment(RunConfiguration configuration, Simulation simulation, RandomStreams random, RequestTracker tracker,
            SinkSet sinks, SummaryCollector summary, LiveMode live) {
        this.simulation = simulation;
        this.tracker = tracker;
        ClusterSettings cluster = configuration.cluster();
        network = cluster.network();
        reportInterval = cluster.reportInterval();
        Consumer<StepRecord> steps = step -> {
            summary.step(step);
            sinks.step(step);
        };
        // live requests come from real clients over real connections (servesim serve)
        ReplicaFactory factory = new ReplicaFactory(configuration, simulation, random, steps, this::chainOf, caches,
                live.input().isPresent());
        if (cluster.disaggregated()) {
            int prefillReplicas = cluster.prefill().replicas();
            entry = factory.pool("prefill", 0, prefillReplicas, tracker.prefillListener(this::prefilled));
            Pool decode = factory.pool("decode", prefillReplicas, cluster.replicas() - prefillReplicas,
                    tracker.listener());
            for (Pool pool : List.of(entry, decode)) {
                for (Replica replica : pool.replicas()) {
                    replica.supportKvTransfer(kvTransferOf(replica, configuration));
                }
            }
            handoff = new Handoff(new KvTransfer(cluster.transfer(), configuration.settings().warmup()), decode);
            pools = List.of(entry, decode);
        } else {
            entry = factory.pool("", 0, cluster.replicas(), tracker.listener());
            handoff = null;
            pools = List.of(entry);
        }
        pools.forEach(pool -> replicas.addAll(pool.replicas()));
    }

    /** Starts the periodic load reports the routers read; called once at time 0. */
    void start(PeriodicTicks ticks) {
        if (entry.routed()) {
            ticks.every(reportInterval, this::report, () -> tracker.inFlightCount() > 0);
        }
    }

    private void report() {
        double now = simulation.now();
        for (Replica replica : replicas) {
            replica.report(now);
        }
    }

    /** Hands an arriving request to the entry pool's chosen replica. */
    void submit(Request request) {
        Replica replica = entry.choose(request);
        replica.assigned();
        enter(request, replica);
    }

    /**
     * Hands an arriving request straight to replica {@code id} of the entry pool, skipping the router.
     *
     * @throws IllegalArgumentException unless {@link #pinnable}{@code (id)}
     */
    void submit(Request request, int id) {
        if (!pinnable(id)) {
            throw new IllegalArgumentException("replica " + id + " does not take arrivals");
        }
        Replica replica = entry.replicas().get(id - entry.first());
        replica.received();
        pinned.add(request.id());
        enter(request, replica);
    }

    /** Whether requests may be pinned to replica {@code id}: whether it is in the entry pool. */
    boolean pinnable(int id) {
        return id >= entry.first() && id < entry.first() + entry.size();
    }

    /** The replicas requests may be pinned to, as {@code first-last} or one number, for messages. */
    String pinnableRange() {
        int last = entry.first() + entry.size() - 1;
        return entry.size() == 1 ? Integer.toString(last) : entry.first() + " to " + last;
    }

    private void enter(Request request, Replica replica) {
        tracker.arrived(request, replica.id());
        Request copy = handoff == null ? request : new Request(request.id(), request.sessionId(), request.turn(),
                request.arrivalTime(), request.prompt(), 1, request.priority(), request.profile());
        if (network.instant()) {
            replica.engine().submit(copy);
        } else {
            // routed on arrival; the prompt reaches the replica after crossing the network
            simulation.schedule(network.inbound(request.promptTokens()), () -> replica.engine().submit(copy));
        }
    }

    /** The prefill copy of {@code request} finished on replica {@code id}: its KV cache leaves for the next pool. */
    private void prefilled(Request request, int id) {
        Replica source = replicas.get(id);
        source.left(1, !pinned.contains(request.id()));
        double seconds = handoff.transfer().seconds(request, source.kvTransfer().kvBytesPerToken());
        simulation.schedule(seconds, () -> decode(request));
    }

    private void decode(Request request) {
        Replica replica = handoff.next().choose(request);
        replica.assigned();
        tracker.decoding(request, replica.id());
        replica.kvTransfer().submitWithRemoteKv(request, request.promptTokens() - 1);
    }

    @Override
    public void ended(RequestRecord record, int prefillReplica) {
        boolean wasPinned = pinned.remove(record.request().id());
        Replica replica = replicas.get(record.replica());
        // a pinned request's entry replica was not the router's choice; a decode replica always is
        boolean routed = !wasPinned || replica.pool() != entry;
        replica.left(record.outputTokens(), routed);
        if (routed) {
            replica.pool().ended(replica, record);
        }
        if (prefillReplica >= 0 && record.replica() != prefillReplica && !wasPinned) {
            Replica prefill = replicas.get(prefillReplica);
            prefill.pool().ended(prefill, record);
        }
    }

    @Override
    public void unfinished(RequestRecord record) {
        boolean wasPinned = pinned.remove(record.request().id());
        Replica replica = replicas.get(record.replica());
        replica.left(record.outputTokens(), !wasPinned || replica.pool() != entry);
    }

    List<Pool> pools() {
        return pools;
    }

    List<Replica> replicas() {
        return replicas;
    }

    List<ServingEngine> engines() {
        return replicas.stream().map(Replica::engine).toList();
    }

    /** Every replica's cache strategy (as the engine sees it), in creation order. */
    List<KvCacheStrategy> caches() {
        return caches;
    }

    /** The KV transfer of a disaggregated deployment, or null. */
    KvTransfer transfer() {
        return handoff == null ? null : handoff.transfer();
    }

    /** The replica's engine as a {@link KvTransferSupport}, or a configuration error naming the framework. */
    private static KvTransferSupport kvTransferOf(Replica replica, RunConfiguration configuration) {
        BoundComponent framework = configuration.replicaFrameworks().get(replica.id());
        return replica.engine().capability(KvTransferSupport.class).orElseThrow(() -> ServesimException.config(
                "cluster.mode", "disaggregated needs engines that can hand over and take in KV caches, and framework '"
                        + framework.name() + "' (plugin " + framework.factory().plugin().name()
                        + ") does not (its engine does not implement KvTransferSupport); use mode: colocated"));
    }

    private BlockHashChain chainOf(Request request, int blockSize) {
        if (request.id() != chainRequestId || chainBlockSize != blockSize || chain == null) {
            chain = BlockHashChain.of(request.prompt(), blockSize);
            chainRequestId = request.id();
            chainBlockSize = blockSize;
        }
        return chain;
    }
}
