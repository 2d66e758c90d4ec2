package dev.servesim.testing.conformance;

import dev.servesim.api.request.Request;
import dev.servesim.api.request.RequestRecord;
import dev.servesim.api.router.ReplicaView;
import dev.servesim.api.router.Router;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Passes a router's calls through, checking {@link Router}'s contract: every choice is a replica of the list it was
 * given, and the runner reports each placed request's end exactly once, and only for requests the router placed.
 */
final class CheckedRouter implements Router {

    private final Router router;
    private final Checks checks;
    private final String name;
    private final int replicas;
    private final Map<Long, Integer> openRoutes = new HashMap<>();
    private long routes;
    private long done;

    CheckedRouter(Router router, Checks checks, String name, int replicas) {
        this.router = router;
        this.checks = checks;
        this.name = "router '" + name + "'";
        this.replicas = replicas;
    }

    @Override
    public int route(Request request, List<ReplicaView> views) {
        if (views.isEmpty() || views.size() > replicas) {
            throw checks.fail(name + " was offered " + views.size() + " replicas in a cluster of " + replicas);
        }
        for (int i = 0; i < views.size(); i++) {
            if (views.get(i).index() != i) {
                throw checks.fail(name + " was offered replica " + views.get(i).index() + " at position " + i);
            }
        }
        int choice = router.route(request, views);
        if (choice < 0 || choice >= views.size()) {
            throw checks.fail(name + " sent request " + request.id() + " to replica " + choice + " of "
                    + views.size() + " (0 to " + (views.size() - 1) + ")");
        }
        routes++;
        openRoutes.merge(request.id(), 1, Integer::sum);
        return choice;
    }

    @Override
    public void onRequestDone(RequestRecord record) {
        long id = record.request().id();
        Integer open = openRoutes.remove(id);
        if (open == null) {
            throw checks.fail(name + " was told request " + id + " ended, but it did not place it or was told "
                    + "already");
        }
        done++;
        router.onRequestDone(record);
    }

    long routes() {
        return routes;
    }

    long done() {
        return done;
    }

    String name() {
        return name;
    }
}
