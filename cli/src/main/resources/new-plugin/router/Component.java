package {{package}};

import dev.servesim.api.request.Request;
import dev.servesim.api.router.ReplicaView;
import dev.servesim.api.router.Router;
import java.util.List;

/**
 * Sends each request to the next replica in turn. A real policy starts from what each {@link ReplicaView} reports:
 * its load as last reported, the requests this router has in flight there, and its cached prefix of the request.
 */
final class {{component}} implements Router {

    private int next;

    {{component}}(int firstReplica) {
        next = firstReplica;
    }

    @Override
    public int route(Request request, List<ReplicaView> replicas) {
        int chosen = next % replicas.size();
        next = chosen + 1;
        return chosen;
    }
}
