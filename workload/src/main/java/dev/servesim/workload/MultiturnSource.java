package dev.servesim.workload;

import dev.servesim.api.request.PromptContent;
import dev.servesim.api.request.Request;
import dev.servesim.api.request.RequestRecord;
import dev.servesim.api.request.RequestStatus;
import dev.servesim.api.request.Segment;
import dev.servesim.api.sim.EventScheduler;
import dev.servesim.api.workload.WorkloadContext;
import dev.servesim.api.workload.WorkloadSource;
import dev.servesim.workload.config.MultiturnConfig;
import dev.servesim.workload.sampling.Sampler;
import dev.servesim.workload.sampling.Samplers;
import it.unimi.dsi.fastutil.longs.Long2ObjectOpenHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * Agentic sessions: Poisson session starts; each session runs {@code turns} closed-loop turns on one of
 * {@code prefix_count} shared prefixes (round-robin), its context growing by every turn's new tokens and response.
 */
final class MultiturnSource implements WorkloadSource {

    private static final long INPUT_TAG = ContentIds.tag("multiturn/input");
    private static final long PREFIX_TAG = ContentIds.tag("multiturn/prefix");

    private final MultiturnConfig config;
    private final WorkloadContext context;
    private final EventScheduler scheduler;
    private final Sampler promptTokens;
    private final Sampler outputTokens;
    private final Conversation.Overflow overflow;
    private final RandomGenerator arrivals;
    private final RandomGenerator promptRandom;
    private final RandomGenerator outputRandom;
    private final Long2ObjectOpenHashMap<Session> awaitingResponse = new Long2ObjectOpenHashMap<>();
    private long nextId;
    private long sessions;
    private long clippedTurns;
    private long sessionsEndedAtContext;
    private long sessionsEndedByRejection;

    MultiturnSource(MultiturnConfig config, WorkloadContext context) {
        this.config = config;
        this.context = context;
        this.scheduler = context.scheduler();
        this.overflow = Conversation.Overflow.of(config.contextOverflow());
        int maxModelLen = context.maxModelLen();
        promptTokens = config.promptTokens() != null ? Samplers.constant(config.promptTokens())
                : Samplers.compile(config.promptTokensDistribution(), "workload.prompt_tokens_distribution");
        outputTokens = config.outputTokens() != null ? Samplers.constant(config.outputTokens())
                : Samplers.compile(config.outputTokensDistribution(), "workload.output_tokens_distribution");
        SessionLimits.checkPrefix("workload.prefix_tokens", config.prefixTokens(), maxModelLen);
        SessionLimits.checkExpected(config.promptTokens() != null ? "workload.prompt_tokens"
                : "workload.prompt_tokens_distribution", "first prompt length", promptTokens, config.prefixTokens(),
                maxModelLen);
        SessionLimits.checkExpected(config.outputTokens() != null ? "workload.output_tokens"
                : "workload.output_tokens_distribution", "output length", outputTokens, 0, maxModelLen);
        arrivals = context.random().stream("arrivals");
        promptRandom = context.random().stream("prompt");
        outputRandom = context.random().stream("output");
    }

    @Override
    public void start() {
        scheduleArrival();
    }

    @Override
    public void onRequestDone(RequestRecord record) {
        Session session = awaitingResponse.remove(record.request().id());
        if (session == null) {
            return;
        }
        if (record.status() != RequestStatus.COMPLETED) {
            sessionsEndedByRejection++;
            return;
        }
        session.conversation.completed(session.lastInput, record.request().outputContentId(), record.outputTokens());
        scheduler.schedule(config.thinkTime(), () -> sendTurn(session));
    }

    @Override
    public Map<String, Long> counters() {
        Map<String, Long> counters = new LinkedHashMap<>();
        counters.put("requests", nextId);
        counters.put("sessions", sessions);
        counters.put("clipped_turns", clippedTurns);
        counters.put("sessions_ended_at_context", sessionsEndedAtContext);
        counters.put("sessions_ended_by_rejection", sessionsEndedByRejection);
        return counters;
    }

    private void scheduleArrival() {
        if (config.numSessions() != null && sessions >= config.numSessions()) {
            return;
        }
        double at = scheduler.now() + arrivals.nextExponential() / config.rate();
        if (config.duration() != null && at > config.duration()) {
            return;
        }
        scheduler.scheduleAt(at, this::startSession);
    }

    private void startSession() {
        long index = sessions++;
        Segment prefix = config.prefixTokens() == 0 ? null
                : new Segment(ContentIds.of(PREFIX_TAG, index % config.prefixCount()), config.prefixTokens());
        Session session = new Session(nextId, new Conversation(prefix, true, context.maxModelLen()));
        sendTurn(session);
        scheduleArrival();
    }

    private void sendTurn(Session session) {
        int input = promptTokens.tokens(promptRandom);
        int output = outputTokens.tokens(outputRandom);
        Conversation.Turn turn = session.conversation.fit(input, output, overflow);
        if (turn == null) {
            sessionsEndedAtContext++;
            return;
        }
        if (turn.clipped()) {
            clippedTurns++;
        }
        long id = nextId++;
        Segment segment = new Segment(ContentIds.of(INPUT_TAG, id), turn.inputTokens());
        int turnNumber = session.conversation.turns() + 1;
        PromptContent prompt = session.conversation.prompt(segment);
        Request request = new Request(id, session.id, turnNumber, scheduler.now(), prompt, turn.outputTokens(), 0,
                "");
        if (turnNumber < config.turns()) {
            session.lastInput = segment;
            awaitingResponse.put(id, session);
        }
        context.submit(request);
    }

    private static final class Session {
        final long id;
        final Conversation conversation;
        Segment lastInput;

        Session(long id, Conversation conversation) {
            this.id = id;
            this.conversation = conversation;
        }
    }
}
