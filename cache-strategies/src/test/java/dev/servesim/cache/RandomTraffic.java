package dev.servesim.cache;

import static org.assertj.core.api.Assertions.assertThat;

import dev.servesim.api.cache.KvCacheStrategy;
import dev.servesim.api.request.PromptContent;
import dev.servesim.api.request.Request;
import dev.servesim.api.request.Segment;
import dev.servesim.cache.TestingEngine.Sequence;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Random request sequences for property tests: multi-turn sessions over shared system prompts, follow-ups that
 * continue, repeat or rewrite their history, concurrent turns of one session, chunked prefills, preemptions and
 * pools small enough that eviction happens all the time. Every operation goes through {@link TestingEngine}, which
 * checks the pool invariants after each one.
 */
final class RandomTraffic {

    private static final int MAX_RUNNING = 6;
    private static final long SYSTEM_PROMPTS = 3;

    private final SplittableRandom random;
    private final TestingEngine engine;
    private final int blockSize;
    private final int maxTokens;
    private final int[] systemPromptTokens = new int[(int) SYSTEM_PROMPTS];
    private final ArrayDeque<Sequence> waiting = new ArrayDeque<>();
    private final List<Sequence> running = new ArrayList<>();
    /** The latest request of each session, by session id. */
    private final List<Request> lastTurns = new ArrayList<>();
    private long nextId = 1;
    private long nextContent = 1_000;

    private RandomTraffic(KvCacheStrategy cache, Runnable verify, int blocks, int blockSize, long seed) {
        this.random = new SplittableRandom(seed);
        this.engine = new TestingEngine(cache, blocks, blockSize, verify);
        this.blockSize = blockSize;
        // a request alone always fits: prompt and outputs within the pool
        this.maxTokens = blocks * blockSize;
        for (int k = 0; k < systemPromptTokens.length; k++) {
            systemPromptTokens[k] = 1 + random.nextInt(Math.max(1, maxTokens / 3));
        }
    }

    /** Runs {@code operations} random operations, then preempts everything and checks that the pool is all free. */
    static void run(KvCacheStrategy cache, Runnable verify, int blocks, int blockSize, long seed, int operations) {
        RandomTraffic traffic = new RandomTraffic(cache, verify, blocks, blockSize, seed);
        for (int k = 0; k < operations; k++) {
            traffic.step();
        }
        for (Sequence sequence : traffic.running) {
            traffic.engine.free(sequence);
        }
        assertThat(traffic.engine.referencedBlocks()).isZero();
        assertThat(cache.freeBlocks()).isEqualTo(blocks);
    }

    private void step() {
        int choice = random.nextInt(20);
        if (choice < 5) {
            waiting.addLast(new Sequence(nextRequest(), blockSize));
        } else if (choice < 9) {
            admit();
        } else if (choice < 19) {
            advance();
        } else if (!running.isEmpty()) {
            preempt(running.get(random.nextInt(running.size())));
        }
    }

    private void admit() {
        if (waiting.isEmpty() || running.size() >= MAX_RUNNING) {
            return;
        }
        Sequence sequence = waiting.peekFirst();
        if (engine.admit(sequence, chunk())) {
            waiting.pollFirst();
            if (!sequence.finished) {
                running.add(sequence);
            }
        }
    }

    private void advance() {
        if (running.isEmpty()) {
            return;
        }
        Sequence sequence = running.get(random.nextInt(running.size()));
        // as vLLM: when blocks run out, preempt the most recently admitted request until this one fits
        while (!engine.advance(sequence, chunk())) {
            Sequence victim = running.get(running.size() - 1);
            preempt(victim);
            if (victim == sequence) {
                return;
            }
        }
        if (sequence.finished) {
            running.remove(sequence);
        }
    }

    private void preempt(Sequence sequence) {
        running.remove(sequence);
        engine.free(sequence);
        waiting.addFirst(sequence);
    }

    private int chunk() {
        return 1 + random.nextInt(3 * blockSize);
    }

    private Request nextRequest() {
        if (!lastTurns.isEmpty() && random.nextInt(3) > 0) {
            int session = random.nextInt(lastTurns.size());
            Request previous = lastTurns.get(session);
            PromptContent prompt = followUp(previous);
            int outputs = 1 + random.nextInt(2 * blockSize);
            if (prompt.tokens() + outputs <= maxTokens) {
                Request next = new Request(nextId++, session, previous.turn() + 1, 0, prompt, outputs, 0, "");
                lastTurns.set(session, next);
                return next;
            }
        }
        int session = lastTurns.size();
        List<Segment> segments = new ArrayList<>();
        if (random.nextInt(3) > 0) {
            int system = random.nextInt(systemPromptTokens.length);
            segments.add(new Segment(1 + system, systemPromptTokens[system]));
        }
        int used = segments.isEmpty() ? 0 : segments.get(0).tokens();
        int room = maxTokens - used - 1;
        segments.add(new Segment(nextContent++, 1 + random.nextInt(Math.max(1, Math.min(room, 4 * blockSize)))));
        PromptContent prompt = PromptContent.of(segments);
        int outputs = Math.max(1, Math.min(1 + random.nextInt(2 * blockSize), maxTokens - prompt.tokens()));
        if (prompt.tokens() + outputs > maxTokens) {
            prompt = PromptContent.single(nextContent++, 1);
        }
        Request request = new Request(nextId++, session, 1, 0, prompt, outputs, 0, "");
        lastTurns.add(request);
        return request;
    }

    /** The next turn's prompt: usually history + response + a new message; sometimes a repeat or a rewrite. */
    private PromptContent followUp(Request previous) {
        List<Segment> history = previous.prompt().segments();
        int kind = random.nextInt(10);
        if (kind == 0) {
            return previous.prompt();
        }
        List<Segment> segments = new ArrayList<>(history);
        if (kind == 1) {
            // the client rewrote the history: drop its first segment
            if (segments.size() > 1) {
                segments.remove(0);
            }
        } else {
            segments.add(new Segment(previous.outputContentId(), previous.maxOutputTokens()));
        }
        segments.add(new Segment(nextContent++, 1 + random.nextInt(2 * blockSize)));
        return PromptContent.of(segments);
    }
}
