package dev.servesim.core;

import java.util.Arrays;

/**
 * Binary min-heap of events ordered by (time, sequence), with each event's heap index kept in the event so that
 * cancellation removes it in O(log n) instead of leaving garbage in the queue.
 */
final class EventQueue {

    private Event[] heap = new Event[64];
    private int size;
    private int regular;

    int size() {
        return size;
    }

    /** Queued events that are not daemon events. */
    int regularCount() {
        return regular;
    }

    Event peek() {
        return size == 0 ? null : heap[0];
    }

    void add(Event event) {
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, size * 2);
        }
        heap[size] = event;
        event.heapIndex = size;
        size++;
        if (!event.daemon()) {
            regular++;
        }
        siftUp(size - 1);
    }

    Event poll() {
        if (size == 0) {
            return null;
        }
        Event top = heap[0];
        removeAt(0);
        return top;
    }

    void remove(Event event) {
        int index = event.heapIndex;
        if (index >= 0 && index < size && heap[index] == event) {
            removeAt(index);
        }
    }

    private void removeAt(int index) {
        Event removed = heap[index];
        if (!removed.daemon()) {
            regular--;
        }
        size--;
        Event last = heap[size];
        heap[size] = null;
        removed.heapIndex = -1;
        if (index < size) {
            heap[index] = last;
            last.heapIndex = index;
            siftDown(index);
            if (heap[index] == last) {
                siftUp(index);
            }
        }
    }

    private void siftUp(int index) {
        Event event = heap[index];
        while (index > 0) {
            int parent = (index - 1) >>> 1;
            Event parentEvent = heap[parent];
            if (!event.before(parentEvent)) {
                break;
            }
            heap[index] = parentEvent;
            parentEvent.heapIndex = index;
            index = parent;
        }
        heap[index] = event;
        event.heapIndex = index;
    }

    private void siftDown(int index) {
        Event event = heap[index];
        int half = size >>> 1;
        while (index < half) {
            int child = 2 * index + 1;
            int right = child + 1;
            if (right < size && heap[right].before(heap[child])) {
                child = right;
            }
            if (!heap[child].before(event)) {
                break;
            }
            heap[index] = heap[child];
            heap[index].heapIndex = index;
            index = child;
        }
        heap[index] = event;
        event.heapIndex = index;
    }
}
