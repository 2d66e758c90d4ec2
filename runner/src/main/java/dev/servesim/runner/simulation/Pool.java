package dev.servesim.runner.simulation;

import dev.servesim.api.ErrorKind;
import dev.servesim.api.ServesimException;
import dev.servesim.api.request.Request;
import dev.servesim.api.request.RequestRecord;
import dev.servesim.api.router.ReplicaView;
import dev.servesim.api.router.Router;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;

/**
 * Consecutive replicas behind one router instance: the whole cluster when co-located (replica groups included), or
 * the prefill or the decode side of a disaggregated deployment. Without a router (one replica, none named) every
 * request goes to the first replica.
 */
final class Pool {

    private static final System.Logger LOG = System.getLogger(Pool.class.getName());

    private final String name;
    private final int first;
    private final List<Replica> replicas = new ArrayList<>();
    private List<ReplicaView> views = List.of();
    private Router router;
    private String routerName = "";
    private boolean warnedUnpublished;

    /** @param name {@code prefill} or {@code decode}, or empty for the pool of a co-located deployment */
    Pool(String name, int first) {
        this.name = name;
        this.first = first;
    }

    void add(Replica replica) {
        replicas.add(replica);
        views = List.copyOf(replicas);
    }

    void route(Router poolRouter, String poolRouterName) {
        router = poolRouter;
        routerName = poolRouterName;
    }

    String name() {
        return name;
    }

    int first() {
        return first;
    }

    int size() {
        return replicas.size();
    }

    List<Replica> replicas() {
        return replicas;
    }

    boolean routed() {
        return router != null;
    }

    /** The replica the router chooses for {@code request}, checked. */
    Replica choose(Request request) {
        if (router == null) {
            return replicas.get(0);
        }
        int index;
        try {
            index = router.route(request, views);
        } catch (ServesimException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new ServesimException(ErrorKind.PLUGIN, "router '" + routerName + "' failed on request "
                    + request.id() + ": " + e, e);
        }
        if (index < 0 || index >= replicas.size()) {
            throw new ServesimException(ErrorKind.PLUGIN, "router '" + routerName + "' chose replica " + index
                    + " for request " + request.id() + ", but the " + (name.isEmpty() ? "cluster" : name + " pool")
                    + " has replicas 0 to " + (replicas.size() - 1));
        }
        return replicas.get(index);
    }

    /**
     * The router asked {@code replica} for cached prefixes, but its engine publishes no KV cache events (it neither
     * took a cache strategy nor asked where to publish its own cache's): says so once, as the router then sees none.
     */
    void askedUnpublished(Replica replica) {
        if (!warnedUnpublished) {
            warnedUnpublished = true;
            LOG.log(Level.WARNING, "router '" + routerName + "' reads the replicas' cached prefixes, but replica "
                    + replica.id() + "'s engine publishes no KV cache events, so it sees none there and routes on the"
                    + " rest (load)");
        }
    }

    /** Whether {@link #askedUnpublished} has warned. */
    boolean warnedUnpublished() {
        return warnedUnpublished;
    }

    /** Tells the router a request it routed to {@code replica} ended; the router knows replicas by pool position. */
    void ended(Replica replica, RequestRecord record) {
        if (router != null) {
            router.onRequestDone(withReplica(record, replica.index()));
        }
    }

    private static RequestRecord withReplica(RequestRecord record, int replica) {
        if (record.replica() == replica) {
            return record;
        }
        return new RequestRecord(record.request(), replica, record.status(), record.reason(), record.queuedTime(),
                record.scheduledTime(), record.firstTokenTime(), record.finishTime(), record.outputTokens(),
                record.cachedTokens(), record.cacheEvent(), record.preemptions(), record.meanItl(), record.maxItl());
    }
}
