package dev.servesim.testing.conformance;

import dev.servesim.api.request.Request;
import dev.servesim.api.request.RequestRecord;
import dev.servesim.api.sim.EventScheduler;
import dev.servesim.api.sim.RandomStreams;
import dev.servesim.api.workload.WorkloadContext;
import dev.servesim.api.workload.WorkloadSource;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Passes a workload source's calls through, checking {@link WorkloadSource} and {@link WorkloadContext#submit}:
 * {@code start} once, every request submitted at its arrival time with a unique id, a prompt and at least one output
 * token, {@code onRequestDone} once per submitted request, and {@code close} once, last.
 */
final class CheckedWorkloadSource implements WorkloadSource {

    private final Checks checks;
    private final String name;
    private final Set<Long> submitted = new HashSet<>();
    private final Set<Long> open = new HashSet<>();
    private WorkloadSource source;
    private int starts;
    private int closes;
    private long ended;

    CheckedWorkloadSource(Checks checks, String name) {
        this.checks = checks;
        this.name = "workload source '" + name + "'";
    }

    /** The context the source is created with: the runner's, with {@code submit} checked. */
    WorkloadContext watch(WorkloadContext context) {
        return new WorkloadContext() {
            @Override
            public EventScheduler scheduler() {
                return context.scheduler();
            }

            @Override
            public RandomStreams random() {
                return context.random();
            }

            @Override
            public int maxModelLen() {
                return context.maxModelLen();
            }

            @Override
            public void submit(Request request) {
                checkSubmit(request, context.scheduler().now());
                context.submit(request);
            }
        };
    }

    CheckedWorkloadSource wrap(WorkloadSource created) {
        this.source = created;
        return this;
    }

    private void checkSubmit(Request request, double now) {
        if (starts == 0 || closes > 0) {
            throw checks.fail(name + " submitted a request " + (starts == 0 ? "before start()" : "after close()"));
        }
        if (request == null) {
            throw checks.fail(name + " submitted null");
        }
        if (request.arrivalTime() != now) {
            throw checks.fail(name + " submitted request " + request.id() + " at " + now + " s, but it arrives at "
                    + request.arrivalTime() + " s");
        }
        if (!submitted.add(request.id())) {
            throw checks.fail(name + " submitted request id " + request.id() + " twice");
        }
        if (request.promptTokens() < 1 || request.maxOutputTokens() < 1) {
            throw checks.fail(name + " submitted request " + request.id() + " with " + request.promptTokens()
                    + " prompt tokens and " + request.maxOutputTokens() + " output tokens (at least 1 each)");
        }
        open.add(request.id());
    }

    @Override
    public void start() {
        if (starts++ > 0) {
            throw checks.fail(name + ": start() called twice");
        }
        source.start();
    }

    @Override
    public void onRequestDone(RequestRecord record) {
        if (!open.remove(record.request().id())) {
            throw checks.fail(name + " was told request " + record.request().id() + " ended, but it did not submit "
                    + "it or was told already");
        }
        ended++;
        source.onRequestDone(record);
    }

    @Override
    public Map<String, Long> counters() {
        Map<String, Long> counters = source.counters();
        if (counters == null) {
            throw checks.fail(name + ": counters() returned null");
        }
        return counters;
    }

    @Override
    public void close() {
        if (closes++ > 0) {
            throw checks.fail(name + ": close() called twice");
        }
        source.close();
    }

    long submitted() {
        return submitted.size();
    }

    long ended() {
        return ended;
    }

    int starts() {
        return starts;
    }

    int closes() {
        return closes;
    }

    String name() {
        return name;
    }
}
