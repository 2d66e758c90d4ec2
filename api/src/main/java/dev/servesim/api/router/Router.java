package dev.servesim.api.router;

import dev.servesim.api.request.Request;
import dev.servesim.api.request.RequestRecord;
import java.util.List;

/**
 * Chooses the engine replica of each arriving request. One instance per run, created before the first event.
 */
public interface Router {

    /**
     * Chooses the replica that serves {@code request}. Called once per request at its arrival time.
     *
     * @param request the arriving request
     * @param replicas every replica of the cluster, indexed by position ({@code replicas.get(i).index() == i}); the
     *     list and its views are only valid during the call
     * @return the index of the chosen replica, {@code 0 <= index < replicas.size()}
     */
    int route(Request request, List<ReplicaView> replicas);

    /**
     * A request this router placed completed or was rejected (not called for requests still in flight when the run
     * stops). Routers that keep per-session or per-request state update it here. The default does nothing.
     */
    default void onRequestDone(RequestRecord record) {}
}
