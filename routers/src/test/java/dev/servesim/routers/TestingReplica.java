package dev.servesim.routers;

import dev.servesim.api.request.Request;
import dev.servesim.api.router.ReplicaView;
import java.util.ArrayList;
import java.util.List;

/** A replica view whose reported figures and cached prefix a test sets by hand. */
final class TestingReplica implements ReplicaView {

    private final int index;
    int running;
    int waiting;
    int inFlight;
    double kvUsage;
    int cachedBlocks;
    int promptBlocks = 10;

    TestingReplica(int index) {
        this.index = index;
    }

    static List<ReplicaView> cluster(int replicas) {
        List<ReplicaView> list = new ArrayList<>();
        for (int i = 0; i < replicas; i++) {
            list.add(new TestingReplica(i));
        }
        return List.copyOf(list);
    }

    static TestingReplica at(List<ReplicaView> replicas, int index) {
        return (TestingReplica) replicas.get(index);
    }

    @Override
    public int index() {
        return index;
    }

    @Override
    public int running() {
        return running;
    }

    @Override
    public int waiting() {
        return waiting;
    }

    @Override
    public int inFlight() {
        return inFlight;
    }

    @Override
    public double kvUsage() {
        return kvUsage;
    }

    @Override
    public double reportTime() {
        return 0;
    }

    @Override
    public int cachedPrefixBlocks(Request request) {
        return cachedBlocks;
    }

    @Override
    public int promptBlocks(Request request) {
        return promptBlocks;
    }
}
