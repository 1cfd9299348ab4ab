package org.mirrorswarm.engine.net;

import java.util.Arrays;

/** An indexed binary min-heap of small non-negative ints (link numbers) keyed by doubles. */
final class IntHeap {
    private int[] heap = new int[16];
    private double[] key = new double[16];
    private int[] pos = new int[16];
    private int size;

    IntHeap() {
        Arrays.fill(pos, -1);
    }

    boolean isEmpty() {
        return size == 0;
    }

    boolean contains(int id) {
        return id < pos.length && pos[id] >= 0;
    }

    int peek() {
        return heap[0];
    }

    double peekKey() {
        return key[heap[0]];
    }

    void put(int id, double k) {
        ensure(id);
        key[id] = k;
        if (pos[id] >= 0) {
            up(pos[id]);
            down(pos[id]);
        } else {
            if (size == heap.length) {
                heap = Arrays.copyOf(heap, size * 2);
            }
            heap[size] = id;
            pos[id] = size;
            up(size++);
        }
    }

    int poll() {
        int id = heap[0];
        remove(id);
        return id;
    }

    void remove(int id) {
        int p = pos[id];
        pos[id] = -1;
        int last = --size;
        if (p != last) {
            heap[p] = heap[last];
            pos[heap[p]] = p;
            up(p);
            down(pos[heap[p]]);
        }
    }

    void clear() {
        for (int i = 0; i < size; i++) {
            pos[heap[i]] = -1;
        }
        size = 0;
    }

    private void ensure(int id) {
        if (id >= pos.length) {
            int n = Math.max(id + 1, pos.length * 2);
            int old = pos.length;
            pos = Arrays.copyOf(pos, n);
            key = Arrays.copyOf(key, n);
            Arrays.fill(pos, old, n, -1);
        }
    }

    private void up(int i) {
        int id = heap[i];
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (key[heap[parent]] <= key[id]) {
                break;
            }
            heap[i] = heap[parent];
            pos[heap[i]] = i;
            i = parent;
        }
        heap[i] = id;
        pos[id] = i;
    }

    private void down(int i) {
        int id = heap[i];
        while (true) {
            int left = 2 * i + 1;
            if (left >= size) {
                break;
            }
            int child = left + 1 < size && key[heap[left + 1]] < key[heap[left]] ? left + 1 : left;
            if (key[heap[child]] >= key[id]) {
                break;
            }
            heap[i] = heap[child];
            pos[heap[i]] = i;
            i = child;
        }
        heap[i] = id;
        pos[id] = i;
    }
}
