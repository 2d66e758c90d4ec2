package dev.servesim.runner.simulation;

import dev.servesim.api.router.ReplicaView;
import dev.servesim.api.router.Router;
import java.util.List;

/** Consecutive replicas with one engine configuration and one router instance. */
final class ReplicaPool {
    final String name;
    final int first;
    final int count;
    int blockSize;
    List<ReplicaView> views;
    Router router;

    ReplicaPool(String name, int first, int count) {
        this.name = name;
        this.first = first;
        this.count = count;
    }
}
