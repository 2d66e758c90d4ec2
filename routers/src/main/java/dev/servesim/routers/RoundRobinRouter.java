package dev.servesim.routers;

import dev.servesim.api.request.Request;
import dev.servesim.api.router.ReplicaView;
import dev.servesim.api.router.Router;
import java.util.List;

/** Replica 0, 1, ..., n-1, 0, ... in arrival order. */
final class RoundRobinRouter implements Router {

    private final Rotation rotation = new Rotation();

    @Override
    public int route(Request request, List<ReplicaView> replicas) {
        return rotation.nextInTurn(replicas.size());
    }
}
