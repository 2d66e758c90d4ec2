package dev.servesim.workload;

import dev.servesim.api.request.Request;
import dev.servesim.api.request.RequestRecord;
import dev.servesim.api.request.RequestStatus;
import dev.servesim.api.sim.EventScheduler;
import dev.servesim.api.sim.RandomStreams;
import dev.servesim.api.workload.WorkloadContext;
import dev.servesim.api.workload.WorkloadSource;
import dev.servesim.core.SeededRandomStreams;
import dev.servesim.core.Simulation;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A workload context on the real kernel that also plays a simple server, for closed-loop sources: a request whose
 * prompt is at least {@code maxModelLen} is rejected at once (as vLLM does); any other gets its first token after
 * {@code ttft} seconds and one more token every {@code itl} seconds, its output capped so that prompt plus output fit
 * the context, and completes after its last token; then the source's {@code onRequestDone} is called. With a
 * {@code ttft} of {@code NaN} nothing ever completes (open loop only).
 */
final class TestingServingContext implements WorkloadContext {

    private final Simulation simulation = new Simulation();
    private final RandomStreams random;
    private final int maxModelLen;
    private final double ttft;
    private final double itl;
    private final boolean keep;
    private final List<Request> submitted = new ArrayList<>();
    private final List<RequestRecord> records = new ArrayList<>();
    private Consumer<Request> onSubmit = request -> { };
    private Consumer<RequestRecord> onRecord = record -> { };
    private WorkloadSource source;
    private long count;
    private int inFlight;
    private int maxInFlight;

    /**
     * @param keep whether to keep every request and record in memory (off for the large streaming tests)
     */
    TestingServingContext(long seed, int maxModelLen, double ttft, double itl, boolean keep) {
        this.random = new SeededRandomStreams(seed).child("workload");
        this.maxModelLen = maxModelLen;
        this.ttft = ttft;
        this.itl = itl;
        this.keep = keep;
    }

    /** Open loop: requests never complete. */
    static TestingServingContext openLoop(long seed) {
        return new TestingServingContext(seed, Integer.MAX_VALUE, Double.NaN, 0, true);
    }

    /** Every request completes {@code ttft + itl * (outputs - 1)} seconds after it arrived. */
    static TestingServingContext serving(long seed, int maxModelLen, double ttft, double itl) {
        return new TestingServingContext(seed, maxModelLen, ttft, itl, true);
    }

    TestingServingContext onSubmit(Consumer<Request> action) {
        this.onSubmit = action;
        return this;
    }

    TestingServingContext onRecord(Consumer<RequestRecord> action) {
        this.onRecord = action;
        return this;
    }

    /** Starts {@code workload} and runs the simulation until no event is left. */
    TestingServingContext run(WorkloadSource workload) {
        return run(workload, Double.MAX_VALUE);
    }

    /** Starts {@code workload} and runs the simulation until no event is left or the next is after the horizon. */
    TestingServingContext run(WorkloadSource workload, double horizonSeconds) {
        this.source = workload;
        workload.start();
        simulation.run(horizonSeconds);
        return this;
    }

    Simulation simulation() {
        return simulation;
    }

    List<Request> submitted() {
        return List.copyOf(submitted);
    }

    List<RequestRecord> records() {
        return List.copyOf(records);
    }

    long count() {
        return count;
    }

    int maxInFlight() {
        return maxInFlight;
    }

    @Override
    public EventScheduler scheduler() {
        return simulation;
    }

    @Override
    public RandomStreams random() {
        return random;
    }

    @Override
    public int maxModelLen() {
        return maxModelLen;
    }

    @Override
    public void submit(Request request) {
        if (request.arrivalTime() != simulation.now()) {
            throw new IllegalStateException("request " + request.id() + " submitted at " + simulation.now()
                    + " s but arrives at " + request.arrivalTime() + " s");
        }
        count++;
        if (keep) {
            submitted.add(request);
        }
        onSubmit.accept(request);
        if (Double.isNaN(ttft)) {
            return;
        }
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        double now = simulation.now();
        if (request.promptTokens() >= maxModelLen) {
            simulation.schedule(0, () -> done(new RequestRecord(request, 0, RequestStatus.REJECTED,
                    "prompt longer than max_model_len", now, Double.NaN, Double.NaN, now, 0, 0, "", 0, Double.NaN,
                    Double.NaN)));
            return;
        }
        int outputs = (int) Math.min(request.maxOutputTokens(), (long) maxModelLen - request.promptTokens());
        double first = now + ttft;
        double finish = first + itl * (outputs - 1);
        simulation.scheduleAt(finish, () -> done(new RequestRecord(request, 0, RequestStatus.COMPLETED, "", now, now,
                first, finish, outputs, 0, "MISS", 0, outputs > 1 ? itl : Double.NaN,
                outputs > 1 ? itl : Double.NaN)));
    }

    private void done(RequestRecord record) {
        inFlight--;
        if (keep) {
            records.add(record);
        }
        onRecord.accept(record);
        source.onRequestDone(record);
    }
}
