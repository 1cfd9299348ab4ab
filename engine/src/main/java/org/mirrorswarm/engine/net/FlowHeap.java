package org.mirrorswarm.engine.net;

import java.util.Arrays;

/**
 * A binary heap of flows with their keys kept in a parallel {@code double[]}: comparisons read one
 * contiguous array and never touch a flow object, which matters with hundreds of flows per heap and
 * 10^5 heaps' worth of flows in memory. Each flow's position is kept in the flow (one slot per kind of
 * heap it can be in), so updates and removals cost O(log n) and nothing is allocated.
 */
final class FlowHeap {
    private final int slot;
    private final boolean max;
    private Flow[] heap = new Flow[16];
    private double[] keys = new double[16];
    private int size;

    FlowHeap(int slot, boolean max) {
        this.slot = slot;
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

    /** The key of the first flow. */
    double peekKey() {
        return keys[0];
    }

    boolean contains(Flow f) {
        int p = f.heapPos[slot];
        return p >= 0 && p < size && heap[p] == f;
    }

    void add(Flow f, double key) {
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, size * 2);
            keys = Arrays.copyOf(keys, size * 2);
        }
        heap[size] = f;
        keys[size] = key;
        f.heapPos[slot] = size;
        up(size++);
    }

    /** Gives a flow in the heap a new key. */
    void update(Flow f, double key) {
        int p = f.heapPos[slot];
        double old = keys[p];
        keys[p] = key;
        if (less(key, old)) {
            up(p);
        } else {
            down(p);
        }
    }

    void remove(Flow f) {
        int p = f.heapPos[slot];
        f.heapPos[slot] = -1;
        int last = --size;
        if (p != last) {
            Flow moved = heap[last];
            double key = keys[last];
            heap[last] = null;
            heap[p] = moved;
            keys[p] = key;
            moved.heapPos[slot] = p;
            up(p);
            down(moved.heapPos[slot]);
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

    private boolean less(double a, double b) {
        return max ? a > b : a < b;
    }

    private void up(int i) {
        Flow f = heap[i];
        double k = keys[i];
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (!less(k, keys[parent])) {
                break;
            }
            heap[i] = heap[parent];
            keys[i] = keys[parent];
            heap[i].heapPos[slot] = i;
            i = parent;
        }
        heap[i] = f;
        keys[i] = k;
        f.heapPos[slot] = i;
    }

    private void down(int i) {
        Flow f = heap[i];
        double k = keys[i];
        while (true) {
            int left = 2 * i + 1;
            if (left >= size) {
                break;
            }
            int child = left + 1 < size && less(keys[left + 1], keys[left]) ? left + 1 : left;
            if (!less(keys[child], k)) {
                break;
            }
            heap[i] = heap[child];
            keys[i] = keys[child];
            heap[i].heapPos[slot] = i;
            i = child;
        }
        heap[i] = f;
        keys[i] = k;
        f.heapPos[slot] = i;
    }
}
