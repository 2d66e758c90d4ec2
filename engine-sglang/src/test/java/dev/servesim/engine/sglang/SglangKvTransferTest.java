package dev.servesim.engine.sglang;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.servesim.api.engine.KvTransferSupport;
import dev.servesim.api.request.PromptContent;
import dev.servesim.api.request.Request;
import dev.servesim.api.request.Segment;
import dev.servesim.api.request.StepRecord;
import dev.servesim.engine.common.steptime.StepTimeModel;
import dev.servesim.testing.RecordingRequestListener.Event;
import dev.servesim.testing.RecordingRequestListener.Type;
import dev.servesim.testing.TestingEngineContext;
import org.junit.jupiter.api.Test;

/**
 * The decode side of prefill/decode disaggregation, worked out by hand with every step taking 0.25 s: a request whose
 * prompt's KV arrived takes slots for it and computes only its last prompt token, in its first decode step.
 */
class SglangKvTransferTest {

    private static final StepTimeModel QUARTER_SECOND = batch -> 0.25;

    private final TestingEngineContext context = new TestingEngineContext();
    private final SglangEngine engine = new SglangEngine(SglangSetup.of(SglangEngineGoldenTest.config()), context,
            QUARTER_SECOND);
    private final KvTransferSupport transfer = engine.capability(KvTransferSupport.class).orElseThrow();

    private static Request request(long id, double arrival, long ownContent, int outputs) {
        return Request.single(id, arrival, PromptContent.of(new Segment(7, 64), new Segment(ownContent, 16)), outputs);
    }

    @Test
    void movesWholeLayersOfKvPerToken() {
        // Llama-3.1-8B in bf16: 32 layers x 8 KV heads x 128 x 2 (K and V) x 2 bytes
        assertThat(transfer.kvBytesPerToken()).isEqualTo(131_072L);
        assertThat(engine.info().properties()).containsEntry("kv_bytes_per_token", "131072");
    }

    /*
     * Request 1 (80 tokens, 3 outputs) arrives at 0 with the KV of its first 79 tokens:
     *   step 1 [0, 0.25]:    decode 1: its last prompt token, and its first output
     *   step 2 [0.25, 0.5]:  decode 1: its second output
     *   step 3 [0.5, 0.75]:  decode 1: its third output; it finishes and its 82 tokens with KV enter the tree
     * Request 2 (the same 64 tokens, then 16 others, 2 outputs) arrives at 1 and is prefilled as usual: it finds the
     * shared 64 tokens in the tree that request 1's transferred KV went into.
     */
    @Test
    void aTransferredRequestComputesOnlyItsLastPromptTokenAndLeavesItsKvInTheTree() {
        Request first = request(1, 0.0, 101, 3);
        Request second = request(2, 1.0, 102, 2);
        context.simulation().scheduleAt(0.0, () -> transfer.submitWithRemoteKv(first, 79));
        context.simulation().scheduleAt(1.0, () -> engine.submit(second));

        context.simulation().run(Double.MAX_VALUE);

        assertThat(context.recorded().events(1)).containsExactly(
                new Event(Type.QUEUED, 1, 0.0, 0, ""),
                new Event(Type.SCHEDULED, 1, 0.0, 0, "MISS"),
                new Event(Type.TOKENS, 1, 0.25, 1, ""),
                new Event(Type.TOKENS, 1, 0.5, 1, ""),
                new Event(Type.TOKENS, 1, 0.75, 1, ""),
                new Event(Type.FINISHED, 1, 0.75, 0, ""));
        assertThat(context.recorded().events(2)).extracting(Event::type, Event::value).startsWith(
                tuple(Type.QUEUED, 0), tuple(Type.SCHEDULED, 64));
        assertThat(context.recordedSteps()).extracting(StepRecord::startTime, StepRecord::prefillTokens,
                StepRecord::decodeTokens).containsExactly(
                tuple(0.0, 0, 1),
                tuple(0.25, 0, 1),
                tuple(0.5, 0, 1),
                tuple(1.0, 16, 0),
                tuple(1.25, 0, 1));
        assertThat(engine.counters()).containsEntry("prefill_steps", 1L).containsEntry("decode_steps", 4L);
        assertThat(engine.scheduler().usedTokens()).isZero();
        // request 1's 79 + 3 tokens with KV, then request 2's own 16 + 1
        assertThat(engine.scheduler().cache().totalSize()).isEqualTo(82 + 16 + 1);
    }

    @Test
    void aTransferOfFewerThanAllButTheLastTokenIsComputedAgainWhole() {
        Request request = request(1, 0.0, 101, 2);
        context.simulation().scheduleAt(0.0, () -> transfer.submitWithRemoteKv(request, 40));

        context.simulation().run(Double.MAX_VALUE);

        assertThat(context.recordedSteps()).extracting(StepRecord::prefillTokens, StepRecord::decodeTokens)
                .containsExactly(tuple(80, 0), tuple(0, 1));
        assertThatThrownBy(() -> transfer.submitWithRemoteKv(request, 80))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /*
     * With max_running_requests 1, two transferred requests (3 outputs each) arriving at 0: the second waits in the
     * prealloc queue, counted as waiting, until the first finishes at 0.75; it then runs its three decode steps.
     */
    @Test
    void aTransferredRequestWaitsInThePreallocQueueUntilItCanRun() {
        SglangEngine single = new SglangEngine(SglangSetup.of(SglangEngineGoldenTest.config(7, 1)), context,
                QUARTER_SECOND);
        KvTransferSupport singleTransfer = single.capability(KvTransferSupport.class).orElseThrow();
        context.simulation().scheduleAt(0.0, () -> singleTransfer.submitWithRemoteKv(request(1, 0.0, 101, 3), 79));
        context.simulation().scheduleAt(0.0, () -> singleTransfer.submitWithRemoteKv(request(2, 0.0, 102, 3), 79));

        context.simulation().run(0.1);
        assertThat(single.load().running()).isEqualTo(1);
        assertThat(single.load().waiting()).isEqualTo(1);
        context.simulation().run(Double.MAX_VALUE);

        assertThat(context.recorded().events(2)).extracting(Event::type, Event::time).containsExactly(
                tuple(Type.QUEUED, 0.0),
                tuple(Type.SCHEDULED, 0.75),
                tuple(Type.TOKENS, 1.0),
                tuple(Type.TOKENS, 1.25),
                tuple(Type.TOKENS, 1.5),
                tuple(Type.FINISHED, 1.5));
        assertThat(context.recordedSteps()).extracting(StepRecord::prefillTokens).containsOnly(0);
        assertThat(single.scheduler().usedTokens()).isZero();
    }
}
