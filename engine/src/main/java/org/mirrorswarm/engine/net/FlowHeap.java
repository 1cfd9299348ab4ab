package org.mirrorswarm.engine.net;

import java.util.Arrays;

/**
 * A binary min-heap of flows on a key the caller provides, with each flow's position kept in the flow
 * (one slot per heap kind) so that updates and removals cost O(log n) and allocate nothing.
 */
final class FlowHeap {
    /** Reads the key a flow is ordered by. */
    interface Key {
        double of(Flow f);
    }

    private final int slot;
    private final Key key;
    private final boolean max;
    private Flow[] heap = new Flow[16];
    private int size;

    FlowHeap(int slot, Key key, boolean max) {
        this.slot = slot;
        this.key = key;
        this.max = max;
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    Flow peek() {
        return size == 0 ? null : heap[0];
    }

    boolean contains(Flow f) {
        int p = f.heapPos[slot];
        return p >= 0 && p < size && heap[p] == f;
    }

    void add(Flow f) {
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, size * 2);
        }
        heap[size] = f;
        f.heapPos[slot] = size;
        up(size++);
    }

    /** Restores order after the flow's key changed. */
    void update(Flow f) {
        int p = f.heapPos[slot];
        up(p);
        down(f.heapPos[slot]);
    }

    void remove(Flow f) {
        int p = f.heapPos[slot];
        f.heapPos[slot] = -1;
        int last = --size;
        if (p != last) {
            heap[p] = heap[last];
            heap[p].heapPos[slot] = p;
            heap[last] = null;
            up(p);
            down(heap[p].heapPos[slot]);
        } else {
            heap[last] = null;
        }
    }

    Flow poll() {
        Flow f = heap[0];
        remove(f);
        return f;
    }

    void clear() {
        for (int i = 0; i < size; i++) {
            heap[i].heapPos[slot] = -1;
            heap[i] = null;
        }
        size = 0;
    }

    private boolean less(Flow a, Flow b) {
        double ka = key.of(a);
        double kb = key.of(b);
        return max ? ka > kb : ka < kb;
    }

    private void up(int i) {
        Flow f = heap[i];
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (!less(f, heap[parent])) {
                break;
            }
            heap[i] = heap[parent];
            heap[i].heapPos[slot] = i;
            i = parent;
        }
        heap[i] = f;
        f.heapPos[slot] = i;
    }

    private void down(int i) {
        Flow f = heap[i];
        while (true) {
            int left = 2 * i + 1;
            if (left >= size) {
                break;
            }
            int child = left + 1 < size && less(heap[left + 1], heap[left]) ? left + 1 : left;
            if (!less(heap[child], f)) {
                break;
            }
            heap[i] = heap[child];
            heap[i].heapPos[slot] = i;
            i = child;
        }
        heap[i] = f;
        f.heapPos[slot] = i;
    }
}
