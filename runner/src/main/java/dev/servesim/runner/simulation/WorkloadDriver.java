package dev.servesim.runner.simulation;

import dev.servesim.api.ErrorKind;
import dev.servesim.api.ServesimException;
import dev.servesim.api.request.Request;
import dev.servesim.api.request.RequestRecord;
import dev.servesim.api.sim.EventScheduler;
import dev.servesim.api.sim.RandomStreams;
import dev.servesim.api.workload.WorkloadContext;
import dev.servesim.api.workload.WorkloadSource;
import dev.servesim.core.Simulation;
import dev.servesim.runner.RunConfiguration;
import jakarta.inject.Inject;
import java.util.Map;

/** The workload source of a run, wired to the engines. */
final class WorkloadDriver implements RequestObserver {

    private final WorkloadSource source;

    @Inject
    WorkloadDriver(RunConfiguration configuration, Simulation simulation, RandomStreams random,
            Deployment deployment) {
        RandomStreams workloadRandom = random.child("workload").child(configuration.workload().name());
        int maxModelLen = Integer.MAX_VALUE;
        for (var replica : deployment.replicas()) {
            var info = replica.engine().info();
            if (info.maxModelLen() > 0) {
                maxModelLen = Math.min(maxModelLen, info.maxModelLen());
            }
        }
        WorkloadContext context = new RunWorkloadContext(simulation, workloadRandom, maxModelLen, deployment);
        source = Components.workload(configuration.workload(), context);
    }

    void start() {
        source.start();
    }

    void close() {
        source.close();
    }

    @Override
    public void ended(RequestRecord record, int prefillReplica) {
        source.onRequestDone(record);
    }

    /** A request unfinished at the end of the run is no news to the workload. */
    @Override
    public void unfinished(RequestRecord record) {}

    Map<String, Long> counters() {
        return source.counters();
    }

    private record RunWorkloadContext(EventScheduler scheduler, RandomStreams random, int maxModelLen,
            Deployment deployment) implements WorkloadContext {

        @Override
        public void submit(Request request) {
            if (request.arrivalTime() != scheduler.now()) {
                throw new ServesimException(ErrorKind.PLUGIN, "workload submitted request " + request.id()
                        + " at " + scheduler.now() + " s, but its arrival time is " + request.arrivalTime() + " s");
            }
            deployment.submit(request);
        }
    }
}
