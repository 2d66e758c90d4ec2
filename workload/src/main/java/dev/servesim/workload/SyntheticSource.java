package dev.servesim.workload;

import dev.servesim.api.ServesimException;
import dev.servesim.api.request.PromptContent;
import dev.servesim.api.request.Request;
import dev.servesim.api.request.RequestRecord;
import dev.servesim.api.request.RequestStatus;
import dev.servesim.api.request.Segment;
import dev.servesim.api.sim.EventScheduler;
import dev.servesim.api.sim.RandomStreams;
import dev.servesim.api.workload.WorkloadContext;
import dev.servesim.api.workload.WorkloadSource;
import dev.servesim.workload.config.ClientProfileConfig;
import dev.servesim.workload.config.DistributionConfig;
import dev.servesim.workload.config.SyntheticConfig;
import dev.servesim.workload.sampling.Sampler;
import dev.servesim.workload.sampling.Samplers;
import it.unimi.dsi.fastutil.longs.Long2ObjectOpenHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * Sessions of client profiles. Each profile is an independent open-loop stream of session starts; a conversational
 * session sends its later turns closed-loop, each a think time after the previous turn completed. One arrival per
 * profile is scheduled ahead, and only sessions waiting for a response are held, so memory does not grow with the
 * length of the workload.
 */
final class SyntheticSource implements WorkloadSource {

    private static final long INPUT_TAG = ContentIds.tag("synthetic/input");
    private static final long PREFIX_TAG = ContentIds.tag("synthetic/prefix");

    private final SyntheticConfig config;
    private final WorkloadContext context;
    private final EventScheduler scheduler;
    private final Profile[] profiles;
    private final Conversation.Overflow overflow;
    private final Long2ObjectOpenHashMap<Session> awaitingResponse = new Long2ObjectOpenHashMap<>();
    private long nextId;
    private long sessions;
    private long conversationalSessions;
    private long followUpTurns;
    private long streamingRequests;
    private long clippedTurns;
    private long sessionsEndedAtContext;
    private long sessionsEndedByRejection;

    SyntheticSource(SyntheticConfig config, WorkloadContext context) {
        this.config = config;
        this.context = context;
        this.scheduler = context.scheduler();
        this.overflow = Conversation.Overflow.of(config.contextOverflow());
        List<ClientProfileConfig> configs = config.profiles();
        double totalWeight = 0;
        for (ClientProfileConfig profile : configs) {
            totalWeight += profile.weight() == null ? 0 : profile.weight();
        }
        profiles = new Profile[configs.size()];
        for (int i = 0; i < profiles.length; i++) {
            Double rate = config.rate() == null ? null : config.rate() * configs.get(i).weight() / totalWeight;
            profiles[i] = new Profile(i, configs.get(i), rate, context);
        }
    }

    @Override
    public void start() {
        for (Profile profile : profiles) {
            scheduleArrival(profile);
        }
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
        Profile profile = session.profile;
        if (profile.config.continuationProbability() < 1
                && profile.conversationRandom.nextDouble() >= profile.config.continuationProbability()) {
            return;
        }
        double at = scheduler.now() + profile.thinkTime.seconds(profile.thinkRandom);
        if (config.totalDuration() != null && at > config.totalDuration()) {
            return;
        }
        scheduler.scheduleAt(at, () -> followUp(session));
    }

    @Override
    public Map<String, Long> counters() {
        Map<String, Long> counters = new LinkedHashMap<>();
        counters.put("requests", nextId);
        counters.put("sessions", sessions);
        counters.put("conversational_sessions", conversationalSessions);
        counters.put("follow_up_turns", followUpTurns);
        counters.put("streaming_requests", streamingRequests);
        counters.put("clipped_turns", clippedTurns);
        counters.put("sessions_ended_at_context", sessionsEndedAtContext);
        counters.put("sessions_ended_by_rejection", sessionsEndedByRejection);
        return counters;
    }

    private boolean limitReached() {
        return config.numRequests() != null && nextId >= config.numRequests();
    }

    private void scheduleArrival(Profile profile) {
        double at = scheduler.now() + profile.interArrival.seconds(profile.arrivalRandom);
        if (config.totalDuration() != null && at > config.totalDuration()) {
            return;
        }
        scheduler.scheduleAt(at, profile.arrival);
    }

    private void startSession(Profile profile) {
        if (limitReached()) {
            return;
        }
        sessions++;
        double probability = profile.config.conversationalProbability();
        boolean conversational = probability > 0 && profile.conversationRandom.nextDouble() < probability;
        if (conversational) {
            conversationalSessions++;
        }
        Session session = new Session(profile, nextId, conversational,
                new Conversation(profile.prefix, config.accumulateConversationalTokens(), context.maxModelLen()));
        sendTurn(session, profile.promptTokens.tokens(profile.promptRandom));
        scheduleArrival(profile);
    }

    private void followUp(Session session) {
        if (limitReached()) {
            return;
        }
        sendTurn(session, session.profile.followUpTokens.tokens(session.profile.promptRandom));
    }

    private void sendTurn(Session session, int inputTokens) {
        Profile profile = session.profile;
        int drawnOutput = profile.maxOutputTokens.tokens(profile.outputRandom);
        Integer limit = profile.config.maxTokens();
        int outputTokens = limit == null ? drawnOutput : Math.min(drawnOutput, limit);
        Conversation.Turn turn = session.conversation.fit(inputTokens, outputTokens, overflow);
        if (turn == null) {
            sessionsEndedAtContext++;
            return;
        }
        if (turn.clipped()) {
            clippedTurns++;
        }
        long id = nextId++;
        Segment input = new Segment(ContentIds.of(INPUT_TAG, id), turn.inputTokens());
        int turnNumber = session.conversation.turns() + 1;
        if (turnNumber > 1) {
            followUpTurns++;
        }
        PromptContent prompt = session.conversation.prompt(input);
        // a turn whose output the context clipped ends at the context, with reason length
        int maxTokens = limit == null || turn.outputTokens() < outputTokens ? turn.outputTokens() : limit;
        Request request = new Request(id, session.id, turnNumber, scheduler.now(), prompt, turn.outputTokens(),
                profile.config.priority(), profile.name, maxTokens);
        if (profile.streamingRandom.nextDouble() < profile.config.streamingResponseProbability()) {
            streamingRequests++;
        }
        if (session.conversational && session.conversation.turns() < profile.config.maxTurns()) {
            session.lastInput = input;
            awaitingResponse.put(id, session);
        }
        context.submit(request);
    }

    /** A profile's compiled distributions and random streams (all under the profile's name). */
    private final class Profile {
        final ClientProfileConfig config;
        final String name;
        final Sampler interArrival;
        final Sampler promptTokens;
        final Sampler maxOutputTokens;
        final Sampler followUpTokens;
        final Sampler thinkTime;
        final Segment prefix;
        final RandomGenerator arrivalRandom;
        final RandomGenerator promptRandom;
        final RandomGenerator outputRandom;
        final RandomGenerator thinkRandom;
        final RandomGenerator conversationRandom;
        final RandomGenerator streamingRandom;
        final Runnable arrival = () -> startSession(this);

        Profile(int index, ClientProfileConfig config, Double rate, WorkloadContext context) {
            this.config = config;
            this.name = config.name();
            String key = "workload.profiles[" + index + "].";
            int maxModelLen = context.maxModelLen();
            interArrival = interArrival(key + "inter_arrival", config, rate);
            promptTokens = Samplers.compile(config.promptTokens(), key + "prompt_tokens");
            maxOutputTokens = Samplers.compile(config.maxOutputTokens(), key + "max_output_tokens");
            followUpTokens = Samplers.compile(config.followUpTokens(), key + "follow_up_tokens");
            thinkTime = Samplers.compile(config.thinkTime(), key + "think_time");
            int prefixTokens = config.sharedPrefixTokens();
            SessionLimits.checkPrefix(key + "shared_prefix_tokens", prefixTokens, maxModelLen);
            SessionLimits.checkExpected(key + "prompt_tokens", "prompt length", promptTokens, prefixTokens,
                    maxModelLen);
            SessionLimits.checkExpected(key + "follow_up_tokens", "follow-up input", followUpTokens, prefixTokens,
                    maxModelLen);
            SessionLimits.checkExpected(key + "max_output_tokens", "output length", maxOutputTokens, 0, maxModelLen);
            prefix = prefixTokens == 0 ? null : new Segment(ContentIds.of(PREFIX_TAG, index), prefixTokens);
            RandomStreams random = context.random().child(name);
            arrivalRandom = random.stream("arrivals");
            promptRandom = random.stream("prompt");
            outputRandom = random.stream("output");
            thinkRandom = random.stream("think");
            conversationRandom = random.stream("conversation");
            streamingRandom = random.stream("streaming");
        }

        private static Sampler interArrival(String key, ClientProfileConfig config, Double rate) {
            Sampler sampler = config.interArrival() == null
                    ? Samplers.compile(DistributionConfig.exponential(1), key)
                    : Samplers.compile(config.interArrival(), key);
            double mean = sampler.mean();
            if (!(mean > 0) || Double.isInfinite(mean)) {
                throw ServesimException.config(key, "needs a positive, finite mean gap, got " + mean);
            }
            return rate == null ? sampler : Samplers.withMean(sampler, 1 / rate);
        }
    }

    private static final class Session {
        final Profile profile;
        final long id;
        final boolean conversational;
        final Conversation conversation;
        Segment lastInput;

        Session(Profile profile, long id, boolean conversational, Conversation conversation) {
            this.profile = profile;
            this.id = id;
            this.conversational = conversational;
            this.conversation = conversation;
        }
    }
}
