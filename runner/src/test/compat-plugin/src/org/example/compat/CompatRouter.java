package org.example.compat;

import dev.servesim.api.request.Request;
import dev.servesim.api.request.RequestRecord;
import dev.servesim.api.router.ReplicaView;
import dev.servesim.api.router.Router;
import java.util.List;

/** The replica with the longest cached prefix of the prompt, then the one with the fewest requests in flight. */
final class CompatRouter implements Router {

    private final int replicas;
    private long done;

    CompatRouter(int replicas) {
        this.replicas = replicas;
    }

    @Override
    public int route(Request request, List<ReplicaView> views) {
        int best = 0;
        for (int index = 1; index < replicas; index++) {
            ReplicaView view = views.get(index);
            ReplicaView chosen = views.get(best);
            int cached = view.cachedPrefixBlocks(request);
            int chosenCached = chosen.cachedPrefixBlocks(request);
            if (cached > chosenCached || cached == chosenCached && view.inFlight() < chosen.inFlight()) {
                best = index;
            }
        }
        return best;
    }

    @Override
    public void onRequestDone(RequestRecord record) {
        done++;
    }
}
