package dev.servesim.loadgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.servesim.api.engine.EngineLoad;
import dev.servesim.api.request.PromptContent;
import dev.servesim.api.request.Request;
import dev.servesim.loadgen.TestingOpenAiServer.Answer;
import dev.servesim.loadgen.config.RemoteConfig;
import dev.servesim.runner.RunControl;
import dev.servesim.testing.RecordingRequestListener.Event;
import dev.servesim.testing.RecordingRequestListener.Type;
import dev.servesim.testing.TestingEngineContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The remote engine's lifecycle events, with the test's thread as the run's thread. */
class RemoteEngineTest {

    /** The run's thread, played by the test: posted actions wait until the test runs them. */
    private static final class QueuedRunThread implements RunThread {
        final BlockingQueue<Runnable> posted = new LinkedBlockingQueue<>();
        int holds;

        @Override
        public void post(Runnable action) {
            posted.add(action);
        }

        @Override
        public void hold() {
            holds++;
        }

        @Override
        public void release() {
            holds--;
        }

        /** Runs what the server's answers post until {@code done}, for at most 20 s. */
        void runUntil(BooleanSupplier done) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!done.getAsBoolean()) {
                Runnable action = posted.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                assertThat(action).as("an answer within 20 s").isNotNull();
                action.run();
            }
        }
    }

    @TempDir
    Path folder;

    private final TestingOpenAiServer server = new TestingOpenAiServer();
    private final TestingEngineContext context = new TestingEngineContext();
    private final QueuedRunThread runThread = new QueuedRunThread();
    private final RunControl control = new RunControl();
    private TraceWriter trace;
    private RemoteEngine engine;

    RemoteEngineTest() throws IOException {}

    @AfterEach
    void stop() {
        if (engine != null) {
            engine.close();
        }
        server.close();
    }

    private RemoteEngine engine(double timeout, int maxConnections, OptionalLong maxRequests) {
        RemoteSession session = new RemoteSession("", maxRequests);
        trace = new TraceWriter(folder.resolve("trace.jsonl"), new ObjectMapper().createObjectNode());
        session.attach(runThread, control, trace);
        engine = new RemoteEngine(new RemoteConfig(server.url(), TestingOpenAiServer.MODEL, 4096, timeout, 5.0,
                maxConnections), context, session);
        return engine;
    }

    private static Request request(long id, int outputTokens) {
        return Request.single(id, 0, PromptContent.single(id, 40), outputTokens);
    }

    private boolean ended(long id) {
        return context.recorded().events(id).stream()
                .anyMatch(event -> event.type() == Type.FINISHED || event.type() == Type.REJECTED);
    }

    private List<Type> types(long id) {
        return context.recorded().events(id).stream().map(Event::type).toList();
    }

    @Test
    void aStreamedAnswerIsReportedInTheListenersOrderAndTraced() throws Exception {
        engine(600, 8, OptionalLong.empty()).submit(request(1, 5));
        assertThat(runThread.holds).as("the run waits for the answer").isEqualTo(1);
        runThread.runUntil(() -> ended(1));

        assertThat(types(1)).containsExactly(Type.QUEUED, Type.SCHEDULED, Type.PREFILL_CHUNK, Type.TOKENS,
                Type.TOKENS, Type.TOKENS, Type.TOKENS, Type.TOKENS, Type.FINISHED);
        Event scheduled = context.recorded().events(Type.SCHEDULED).get(0);
        assertThat(scheduled.value()).as("cached tokens are not known before the end").isZero();
        assertThat(scheduled.detail()).isEqualTo("REMOTE");
        assertThat(context.recorded().events(Type.PREFILL_CHUNK).get(0).value()).isEqualTo(40);
        assertThat(context.recorded().outputTokens(1)).isEqualTo(5);
        assertThat(runThread.holds).isZero();
        assertThat(trace.records()).isEqualTo(1);
        assertThat(engine.counters()).containsEntry("requests_sent", 1L).containsEntry("http_errors", 0L);
    }

    @Test
    void chunksOfSeveralTokensAreCountedFromTheUsageTheyCarry() throws Exception {
        server.tokensPerChunk(2);
        engine(600, 8, OptionalLong.empty()).submit(request(1, 5));
        runThread.runUntil(() -> ended(1));

        assertThat(context.recorded().events(Type.TOKENS)).extracting(Event::value).containsExactly(2, 2, 1);
        assertThat(types(1)).endsWith(Type.FINISHED);
    }

    @Test
    void anErrorAnswerIsARejectionWithTheServersMessage() throws Exception {
        server.answer(Answer.BAD_REQUEST);
        engine(600, 8, OptionalLong.empty()).submit(request(1, 5));
        runThread.runUntil(() -> ended(1));

        assertThat(types(1)).containsExactly(Type.QUEUED, Type.REJECTED);
        assertThat(context.recorded().events(Type.REJECTED).get(0).detail())
                .isEqualTo("HTTP 400: the prompt is not welcome");
        assertThat(runThread.holds).isZero();
        assertThat(trace.records()).isZero();
        assertThat(engine.counters()).containsEntry("http_errors", 1L);
    }

    @Test
    void aRequestStillOpenAtItsTimeoutIsRejectedThen() {
        server.answer(Answer.HANG);
        engine(0.25, 8, OptionalLong.empty()).submit(request(1, 5));
        // the timeout is an event of the run at 0.25 s (simulated time is wall time in a loadgen run)
        context.simulation().run(10);

        assertThat(types(1)).containsExactly(Type.QUEUED, Type.REJECTED);
        Event rejected = context.recorded().events(Type.REJECTED).get(0);
        assertThat(rejected.time()).isEqualTo(0.25);
        assertThat(rejected.detail()).isEqualTo("timeout: not done within 0.25 s");
        assertThat(runThread.holds).isZero();
    }

    @Test
    void requestsBeyondTheConnectionsWaitForOne() throws Exception {
        RemoteEngine remote = engine(600, 1, OptionalLong.empty());
        remote.submit(request(1, 3));
        remote.submit(request(2, 3));
        assertThat(remote.load()).isEqualTo(new EngineLoad(1, 1, 0, 0));
        assertThat(server.completions()).hasSizeLessThanOrEqualTo(1);
        runThread.runUntil(() -> ended(1) && ended(2));

        assertThat(types(2)).endsWith(Type.FINISHED);
        assertThat(server.completions()).hasSize(2);
        assertThat(remote.load()).isEqualTo(new EngineLoad(0, 0, 0, 0));
    }

    @Test
    void requestsBeyondTheLimitAreNeverSentAndTheRunStopsOnceTheOthersEnded() throws Exception {
        RemoteEngine remote = engine(600, 8, OptionalLong.of(1));
        remote.submit(request(1, 3));
        remote.submit(request(2, 3));
        assertThat(control.stopRequested()).isFalse();
        runThread.runUntil(() -> ended(1));

        assertThat(types(2)).containsExactly(Type.QUEUED);
        assertThat(server.completions()).hasSize(1);
        assertThat(control.stopRequested()).isTrue();
        assertThat(remote.counters()).containsEntry("requests_not_sent", 1L);
    }

    @Test
    void theEngineExistsOnlyInALoadgenRun() throws IOException {
        RemoteSession unattached = new RemoteSession("", OptionalLong.empty());
        RemoteConfig config = new RemoteConfig(server.url(), "m", 0, 1.0, 1.0, 1);

        assertThatThrownBy(() -> new RemoteEngine(config, context, unattached))
                .hasMessage("framework 'remote' is servesim loadgen's: run the configuration with servesim loadgen "
                        + "--target URL");
        assertThat(Files.list(folder)).isEmpty();
    }
}
