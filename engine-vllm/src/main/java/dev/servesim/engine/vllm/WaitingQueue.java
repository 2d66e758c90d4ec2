package dev.servesim.engine.vllm;

import dev.servesim.engine.vllm.config.SchedulingPolicy;
import java.util.ArrayDeque;
import java.util.PriorityQueue;

/** vLLM's waiting queue (vllm/v1/core/sched/request_queue.py): a deque under FCFS, a heap under priority. */
interface WaitingQueue {

    /** A new request. */
    void add(RequestState state);

    /** A preempted request: the head under FCFS ({@code appendleft}), its heap position under priority. */
    void addPreempted(RequestState state);

    /** The next request to admit, or {@code null}. */
    RequestState peek();

    RequestState poll();

    /** Removes {@code state} (a preempted request that finished with its last token in flight). */
    void remove(RequestState state);

    int size();

    default boolean isEmpty() {
        return size() == 0;
    }

    static WaitingQueue forPolicy(SchedulingPolicy policy) {
        return switch (policy) {
            case FCFS -> new Fcfs();
            case PRIORITY -> new Priority();
        };
    }

    /** Arrival order; preempted requests go back to the head. */
    final class Fcfs implements WaitingQueue {
        private final ArrayDeque<RequestState> deque = new ArrayDeque<>();

        @Override
        public void add(RequestState state) {
            deque.addLast(state);
        }

        @Override
        public void addPreempted(RequestState state) {
            deque.addFirst(state);
        }

        @Override
        public RequestState peek() {
            return deque.peekFirst();
        }

        @Override
        public RequestState poll() {
            return deque.pollFirst();
        }

        @Override
        public void remove(RequestState state) {
            deque.removeFirstOccurrence(state);
        }

        @Override
        public int size() {
            return deque.size();
        }
    }

    /** Heap on (priority, arrival time, request id), lowest first. */
    final class Priority implements WaitingQueue {
        private final PriorityQueue<RequestState> heap = new PriorityQueue<>(Priority::compare);

        private static int compare(RequestState a, RequestState b) {
            int byPriority = Integer.compare(a.request.priority(), b.request.priority());
            if (byPriority != 0) {
                return byPriority;
            }
            int byArrival = Double.compare(a.request.arrivalTime(), b.request.arrivalTime());
            return byArrival != 0 ? byArrival : Long.compare(a.request.id(), b.request.id());
        }

        @Override
        public void add(RequestState state) {
            heap.add(state);
        }

        @Override
        public void addPreempted(RequestState state) {
            heap.add(state);
        }

        @Override
        public RequestState peek() {
            return heap.peek();
        }

        @Override
        public RequestState poll() {
            return heap.poll();
        }

        @Override
        public void remove(RequestState state) {
            heap.remove(state);
        }

        @Override
        public int size() {
            return heap.size();
        }
    }
}
