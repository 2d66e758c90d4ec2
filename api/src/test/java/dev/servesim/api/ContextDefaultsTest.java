package dev.servesim.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.servesim.api.engine.EngineContext;
import dev.servesim.api.metrics.SinkContext;
import dev.servesim.api.request.PromptContent;
import dev.servesim.api.request.Request;
import dev.servesim.api.request.RequestListener;
import dev.servesim.api.sim.EventScheduler;
import dev.servesim.api.sim.ScheduledEvent;
import dev.servesim.api.workload.WorkloadContext;
import org.junit.jupiter.api.Test;

/** A harness implements only the services the code under test uses; the others say which one is missing. */
class ContextDefaultsTest {

    private static final Request REQUEST = Request.single(1, 0, PromptContent.single(1, 10), 2);

    private static final class EmptyEngineContext implements EngineContext {}

    @Test
    void anEngineContextOffersNoServiceItDoesNotImplement() {
        EngineContext context = new EmptyEngineContext();

        assertThat(context.replica()).isZero();
        assertThatThrownBy(context::scheduler).isInstanceOf(UnsupportedOperationException.class)
                .hasMessage(EmptyEngineContext.class.getName() + " does not offer EngineContext.scheduler()");
        assertThatThrownBy(context::random).hasMessageEndingWith("does not offer EngineContext.random()");
        assertThatThrownBy(context::requests).hasMessageEndingWith("does not offer EngineContext.requests()");
        assertThatThrownBy(context::steps).hasMessageEndingWith("does not offer EngineContext.steps()");
        assertThatThrownBy(() -> context.createKvCache(4, 16))
                .hasMessageEndingWith("does not offer EngineContext.createKvCache(blocks, blockSizeTokens)");
        // nobody reads cache events unless the harness says so
        assertThat(context.kvCacheEvents()).isEmpty();
    }

    @Test
    void aHarnessOverridesOnlyWhatItNeeds() {
        EventScheduler scheduler = new EventScheduler() {
            @Override
            public double now() {
                return 2.5;
            }

            @Override
            public ScheduledEvent schedule(double delaySeconds, Runnable action) {
                throw new UnsupportedOperationException();
            }

            @Override
            public ScheduledEvent scheduleAt(double timeSeconds, Runnable action) {
                throw new UnsupportedOperationException();
            }
        };
        WorkloadContext context = new WorkloadContext() {
            @Override
            public EventScheduler scheduler() {
                return scheduler;
            }
        };

        assertThat(context.scheduler().now()).isEqualTo(2.5);
        assertThat(context.maxModelLen()).isEqualTo(Integer.MAX_VALUE);
        assertThatThrownBy(() -> context.submit(REQUEST)).isInstanceOf(UnsupportedOperationException.class)
                .hasMessageEndingWith("does not offer WorkloadContext.submit(request)");
        assertThatThrownBy(context::random).hasMessageEndingWith("does not offer WorkloadContext.random()");
    }

    @Test
    void aSinkContextOffersNoServiceItDoesNotImplement() {
        SinkContext context = new SinkContext() {};

        assertThat(context.eventsProcessed()).isZero();
        assertThatThrownBy(context::runName).isInstanceOf(UnsupportedOperationException.class)
                .hasMessageEndingWith("does not offer SinkContext.runName()");
        assertThatThrownBy(context::outputDirectory)
                .hasMessageEndingWith("does not offer SinkContext.outputDirectory()");
        assertThatThrownBy(context::clock).hasMessageEndingWith("does not offer SinkContext.clock()");
        assertThatThrownBy(context::configurationYaml)
                .hasMessageEndingWith("does not offer SinkContext.configurationYaml()");
    }

    @Test
    void aRequestListenerOverridesOnlyTheEventsItNeeds() {
        StringBuilder seen = new StringBuilder();
        RequestListener listener = new RequestListener() {
            @Override
            public void onFinished(Request request, double time) {
                seen.append("finished ").append(request.id()).append(" at ").append(time);
            }
        };

        listener.onQueued(REQUEST, 0);
        listener.onScheduled(REQUEST, 0, 0, "MISS");
        listener.onPrefillChunk(REQUEST, 1, 10);
        listener.onTokens(REQUEST, 1, 1);
        listener.onPreempted(REQUEST, 1);
        listener.onRejected(REQUEST, 1, "no reason");
        listener.onFinished(REQUEST, 2);

        assertThat(seen).hasToString("finished 1 at 2.0");
    }
}
