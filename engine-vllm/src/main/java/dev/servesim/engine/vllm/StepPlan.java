package dev.servesim.engine.vllm;

import dev.servesim.engine.common.steptime.StepBatch;
import java.util.Arrays;

/**
 * One scheduled step, as vLLM's {@code SchedulerOutput}: the requests in scheduling order, the tokens each computes
 * from which computed count, whether the step samples a token for it, and the batch the step-time model sees. With
 * asynchronous scheduling two plans are alive at once (one executing, the next one already scheduled), so a request
 * may appear in both; what a step does for it is kept here, not on the request. Reused by {@link VllmScheduler}.
 */
final class StepPlan {

    private RequestState[] states = new RequestState[64];
    private boolean[] samples = new boolean[64];
    private int count;
    final StepBatch batch = new StepBatch();
    /** Preemptions made while scheduling this step. */
    int preemptions;
    /** Scheduled and not yet applied by {@link VllmScheduler#update}. */
    boolean inUse;

    void clear() {
        Arrays.fill(states, 0, count, null);
        count = 0;
        preemptions = 0;
        batch.clear();
    }

    void add(RequestState state, int scheduledTokens, int scheduledFrom, boolean sample) {
        if (count == states.length) {
            int size = count * 2;
            states = Arrays.copyOf(states, size);
            samples = Arrays.copyOf(samples, size);
        }
        states[count] = state;
        samples[count] = sample;
        count++;
        batch.add(scheduledTokens, scheduledFrom);
    }

    int size() {
        return count;
    }

    RequestState state(int index) {
        return states[index];
    }

    /** Tokens the step computes for request {@code index}. */
    int tokens(int index) {
        return batch.newTokens(index);
    }

    /** The request's computed tokens before the step. */
    int from(int index) {
        return batch.contextTokens(index);
    }

    boolean samples(int index) {
        return samples[index];
    }
}
