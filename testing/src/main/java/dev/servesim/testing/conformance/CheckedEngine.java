package dev.servesim.testing.conformance;

import dev.servesim.api.cache.KvCacheStrategy;
import dev.servesim.api.engine.EngineContext;
import dev.servesim.api.engine.EngineInfo;
import dev.servesim.api.engine.EngineLoad;
import dev.servesim.api.engine.KvTransferSupport;
import dev.servesim.api.engine.ServingEngine;
import dev.servesim.api.request.Request;
import dev.servesim.api.request.RequestListener;
import dev.servesim.api.request.StepRecord;
import dev.servesim.api.sim.EventScheduler;
import dev.servesim.api.sim.RandomStreams;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Passes an engine's calls through, checking what it reports against {@link RequestListener}'s contract: events at
 * the current simulated time, for requests submitted to this engine, in lifecycle order (queued, scheduled, prefill
 * chunks and tokens while running or from a step in flight when it was preempted, preempted back to waiting, then
 * finished or rejected exactly once), never more output tokens than asked for; steps with sane figures, in time
 * order; a load within the engine's KV geometry.
 */
final class CheckedEngine implements ServingEngine {

    /**
     * Where a request is. {@code PREEMPTED} is waiting after a preemption: a step planned before the preemption may
     * still be in flight, and its outputs still arrive (vLLM's async scheduling, reference section 2.6), up to
     * finishing the request.
     */
    private enum Phase { SUBMITTED, WAITING, RUNNING, PREEMPTED }

    private static final Set<Phase> NEW = EnumSet.of(Phase.SUBMITTED);
    private static final Set<Phase> ADMISSIBLE = EnumSet.of(Phase.WAITING, Phase.PREEMPTED);
    private static final Set<Phase> RUNNING = EnumSet.of(Phase.RUNNING);
    private static final Set<Phase> COMPUTING = EnumSet.of(Phase.RUNNING, Phase.PREEMPTED);
    private static final Set<Phase> ANY = EnumSet.allOf(Phase.class);

    private final Checks checks;
    private final String name;
    private final Map<Long, Phase> phases = new HashMap<>();
    private final Map<Long, Integer> tokens = new HashMap<>();
    private final Map<Long, Request> requests = new HashMap<>();
    private ServingEngine engine;
    private EventScheduler scheduler;
    private long submitted;
    private long ended;
    private double lastStepEnd = Double.NEGATIVE_INFINITY;

    CheckedEngine(Checks checks, String name, int replica) {
        this.checks = checks;
        this.name = "engine '" + name + "' (replica " + replica + ")";
    }

    /** The context the engine is created with: the runner's, with its listener and step consumer checked. */
    EngineContext watch(EngineContext context) {
        this.scheduler = context.scheduler();
        RequestListener listener = context.requests();
        Consumer<StepRecord> steps = context.steps();
        return new EngineContext() {
            @Override
            public int replica() {
                return context.replica();
            }

            @Override
            public EventScheduler scheduler() {
                return context.scheduler();
            }

            @Override
            public RandomStreams random() {
                return context.random();
            }

            @Override
            public RequestListener requests() {
                return new CheckedListener(listener);
            }

            @Override
            public Consumer<StepRecord> steps() {
                return step -> {
                    checkStep(step);
                    steps.accept(step);
                };
            }

            @Override
            public KvCacheStrategy createKvCache(int blocks, int blockSizeTokens) {
                return context.createKvCache(blocks, blockSizeTokens);
            }
        };
    }

    CheckedEngine wrap(ServingEngine created) {
        this.engine = created;
        return this;
    }

    @Override
    public void submit(Request request) {
        accept(request);
        engine.submit(request);
    }

    @Override
    @SuppressWarnings("deprecation")
    public void submitWithRemoteKv(Request request, int remoteTokens) {
        accept(request);
        engine.submitWithRemoteKv(request, remoteTokens);
    }

    @Override
    public <T> Optional<T> capability(Class<T> capability) {
        Optional<T> offered = engine.capability(capability);
        if (capability == KvTransferSupport.class && offered.isPresent()) {
            KvTransferSupport transfer = (KvTransferSupport) offered.get();
            KvTransferSupport checked = new KvTransferSupport() {
                @Override
                public long kvBytesPerToken() {
                    return transfer.kvBytesPerToken();
                }

                @Override
                public void submitWithRemoteKv(Request request, int remoteTokens) {
                    accept(request);
                    transfer.submitWithRemoteKv(request, remoteTokens);
                }
            };
            return Optional.of(capability.cast(checked));
        }
        return offered;
    }

    @Override
    public EngineLoad load() {
        EngineLoad load = engine.load();
        if (load == null || load.running() < 0 || load.waiting() < 0 || load.kvBlocksUsed() < 0
                || load.kvBlocksUsed() > load.kvBlocksTotal()) {
            throw checks.fail(name + ": load() reported " + load);
        }
        return load;
    }

    @Override
    public EngineInfo info() {
        EngineInfo info = engine.info();
        if (info == null) {
            throw checks.fail(name + ": info() returned null");
        }
        return info;
    }

    @Override
    public Map<String, Long> counters() {
        Map<String, Long> counters = engine.counters();
        if (counters == null) {
            throw checks.fail(name + ": counters() returned null");
        }
        return counters;
    }

    long submitted() {
        return submitted;
    }

    long ended() {
        return ended;
    }

    String name() {
        return name;
    }

    private void accept(Request request) {
        if (phases.putIfAbsent(request.id(), Phase.SUBMITTED) != null || requests.containsKey(request.id())) {
            throw checks.fail(name + " was given request " + request.id() + " twice");
        }
        requests.put(request.id(), request);
        submitted++;
    }

    private void checkStep(StepRecord step) {
        double end = step.startTime() + step.duration();
        if (step.duration() < 0 || step.prefillTokens() < 0 || step.decodeTokens() < 0
                || step.kvBlocksUsed() < 0 || step.kvBlocksUsed() > step.kvBlocksTotal()) {
            throw checks.fail(name + " reported an impossible step " + step);
        }
        if (end < lastStepEnd) {
            throw checks.fail(name + " reported a step ending at " + end + " s after one ending at " + lastStepEnd
                    + " s");
        }
        lastStepEnd = end;
    }

    /** Checks each event against the request's phase, then passes it on. */
    private final class CheckedListener implements RequestListener {

        private final RequestListener listener;

        CheckedListener(RequestListener listener) {
            this.listener = listener;
        }

        @Override
        public void onQueued(Request request, double time) {
            move(request, time, "onQueued", NEW, Phase.WAITING);
            listener.onQueued(request, time);
        }

        @Override
        public void onScheduled(Request request, double time, int cachedTokens, String cacheEvent) {
            move(request, time, "onScheduled", ADMISSIBLE, Phase.RUNNING);
            if (cachedTokens < 0 || cachedTokens > request.promptTokens() + tokens.getOrDefault(request.id(), 0)) {
                throw checks.fail(name + ": request " + request.id() + " scheduled with " + cachedTokens
                        + " cached tokens, more than it has");
            }
            listener.onScheduled(request, time, cachedTokens, cacheEvent);
        }

        @Override
        public void onPrefillChunk(Request request, double time, int count) {
            move(request, time, "onPrefillChunk", COMPUTING, null);
            if (count < 1) {
                throw checks.fail(name + ": request " + request.id() + " got a prefill chunk of " + count + " tokens");
            }
            listener.onPrefillChunk(request, time, count);
        }

        @Override
        public void onTokens(Request request, double time, int count) {
            move(request, time, "onTokens", COMPUTING, null);
            int total = tokens.merge(request.id(), count, Integer::sum);
            if (count < 1 || total > request.maxOutputTokens()) {
                throw checks.fail(name + ": request " + request.id() + " got " + count + " tokens, " + total
                        + " in all, of at most " + request.maxOutputTokens());
            }
            listener.onTokens(request, time, count);
        }

        @Override
        public void onPreempted(Request request, double time) {
            move(request, time, "onPreempted", RUNNING, Phase.PREEMPTED);
            listener.onPreempted(request, time);
        }

        @Override
        public void onFinished(Request request, double time) {
            end(request, time, "onFinished", COMPUTING);
            if (tokens.getOrDefault(request.id(), 0) < 1) {
                throw checks.fail(name + ": request " + request.id() + " finished without an output token");
            }
            tokens.remove(request.id());
            listener.onFinished(request, time);
        }

        @Override
        public void onRejected(Request request, double time, String reason) {
            end(request, time, "onRejected", ANY);
            if (reason == null || reason.isBlank()) {
                throw checks.fail(name + ": request " + request.id() + " rejected without a reason");
            }
            tokens.remove(request.id());
            listener.onRejected(request, time, reason);
        }

        private void end(Request request, double time, String event, Set<Phase> from) {
            move(request, time, event, from, null);
            phases.remove(request.id());
            ended++;
        }

        /** Checks that {@code event} may happen now to the request, and moves it to {@code to} (null: stays). */
        private void move(Request request, double time, String event, Set<Phase> from, Phase to) {
            if (time != scheduler.now()) {
                throw checks.fail(name + ": " + event + " for request " + request.id() + " carries time " + time
                        + " s, but it is " + scheduler.now() + " s");
            }
            Phase phase = phases.get(request.id());
            if (phase == null) {
                throw checks.fail(name + ": " + event + " for request " + request.id() + ", which "
                        + (requests.containsKey(request.id()) ? "already ended" : "was not submitted to it"));
            }
            if (!from.contains(phase)) {
                throw checks.fail(name + ": " + event + " for request " + request.id() + " while it is "
                        + phase.name().toLowerCase(Locale.ROOT));
            }
            if (to != null) {
                phases.put(request.id(), to);
            }
        }
    }
}
