package org.example.compat;

import dev.servesim.api.request.PromptContent;
import dev.servesim.api.request.Request;
import dev.servesim.api.request.RequestRecord;
import dev.servesim.api.request.Segment;
import dev.servesim.api.workload.WorkloadContext;
import dev.servesim.api.workload.WorkloadSource;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.random.RandomGenerator;
import org.example.compat.config.CompatSourceConfig;

/**
 * Session {@code s} starts at {@code s * interval} with a 48-token system prompt shared by all sessions and a question
 * of 16 to 47 tokens; when its first turn is done, the second turn repeats the first prompt and its answer and asks
 * 16 more tokens (closed loop).
 */
final class CompatSource implements WorkloadSource {

    private static final long SYSTEM_PROMPT = 1;

    private final CompatSourceConfig config;
    private final WorkloadContext context;
    private final RandomGenerator questions;
    private long nextId;
    private long secondTurns;

    CompatSource(CompatSourceConfig config, WorkloadContext context) {
        this.config = config;
        this.context = context;
        this.questions = context.random().stream("questions");
    }

    @Override
    public void start() {
        for (int session = 0; session < config.sessions(); session++) {
            context.scheduler().scheduleAt(session * config.interval(), this::firstTurn);
        }
    }

    private void firstTurn() {
        long id = nextId++;
        PromptContent prompt = PromptContent.of(new Segment(SYSTEM_PROMPT, 48),
                new Segment(1000 + id, 16 + questions.nextInt(32)));
        submit(new Request(id, id, 1, context.scheduler().now(), prompt, config.outputTokens(), 0, "first"));
    }

    private void submit(Request request) {
        if (request.promptTokens() + request.maxOutputTokens() > context.maxModelLen()) {
            throw new IllegalStateException("request " + request.id() + " exceeds max_model_len");
        }
        context.submit(request);
    }

    @Override
    public void onRequestDone(RequestRecord record) {
        Request first = record.request();
        if (first.turn() != 1 || record.outputTokens() == 0) {
            return;
        }
        PromptContent prompt = first.prompt().append(List.of(new Segment(first.outputContentId(), record.outputTokens()),
                new Segment(2000 + first.id(), 16)));
        secondTurns++;
        submit(new Request(nextId++, first.sessionId(), 2, context.scheduler().now(), prompt, config.outputTokens(), 0,
                "second"));
    }

    @Override
    public Map<String, Long> counters() {
        return new TreeMap<>(Map.of("compat_second_turns", secondTurns));
    }
}
