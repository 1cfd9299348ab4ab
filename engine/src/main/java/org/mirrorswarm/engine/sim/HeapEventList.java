package org.mirrorswarm.engine.sim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.ListIterator;
import java.util.concurrent.CancellationException;
import umontreal.ssj.simevents.Event;
import umontreal.ssj.simevents.eventlist.EventList;

/**
 * An SSJ {@link EventList} kept as an array-backed 4-ary heap ordered by (time, priority, insertion
 * order), so that ties always break the same way: events due at the same time and priority run in the
 * order they were scheduled ({@link #addFirst} puts an event before those). Each event's heap index is
 * kept in SSJ's spare per-event integer ({@link Event#setRa}), so cancelling or rescheduling costs
 * O(log n) like adding and removing the first; nothing is allocated per event once the arrays have grown.
 * Four children per node halve the depth of a binary heap, which pays with 10^5 pending events.
 *
 * <p>Measured against SSJ's {@code SplayTree} in {@code bench}'s {@code EventListBench} (hold model).
 * Not thread-safe, as SSJ's lists are not: one list per {@code Simulator}, one simulator per thread.
 *
 * <p>An interrupt of the simulating thread ends its run: {@link #removeFirst} looks every
 * {@value #CHECK_EVERY} events and then throws {@link CancellationException}, so a pool stopped with
 * {@code shutdownNow} really stops, and lets go of what its runs hold.
 */
public final class HeapEventList implements EventList {
    private Event[] events = new Event[64];
    private double[] times = new double[64];
    private double[] priorities = new double[64];
    private long[] order = new long[64];
    private int size;
    private long nextOrder;
    private long nextFirst = -1;
    private long executed;
    /** Events between two looks at the thread's interrupt status. */
    static final int CHECK_EVERY = 4096;

    @Override
    public boolean isEmpty() {
        return size == 0;
    }

    /** Number of pending events. */
    public int size() {
        return size;
    }

    @Override
    public void clear() {
        for (int i = 0; i < size; i++) {
            events[i].setRa(-1);
            events[i] = null;
        }
        size = 0;
    }

    @Override
    public void add(Event ev) {
        insert(ev, nextOrder++);
    }

    /** Adds {@code ev} before every event due at the same time and priority. */
    @Override
    public void addFirst(Event ev) {
        insert(ev, nextFirst--);
    }

    /** Not supported: this list orders by (time, priority, insertion order) only. */
    @Override
    public void addBefore(Event ev, Event other) {
        throw new UnsupportedOperationException("HeapEventList orders events by time, priority and insertion order");
    }

    /** Not supported: this list orders by (time, priority, insertion order) only. */
    @Override
    public void addAfter(Event ev, Event other) {
        throw new UnsupportedOperationException("HeapEventList orders events by time, priority and insertion order");
    }

    @Override
    public Event getFirst() {
        return size == 0 ? null : events[0];
    }

    @Override
    public Event getFirstOfClass(String cl) {
        Event best = null;
        int bestIndex = -1;
        for (int i = 0; i < size; i++) {
            if (events[i].getClass().getName().equals(cl) && (best == null || less(i, bestIndex))) {
                best = events[i];
                bestIndex = i;
            }
        }
        return best;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <E extends Event> E getFirstOfClass(Class<E> cl) {
        Event best = null;
        int bestIndex = -1;
        for (int i = 0; i < size; i++) {
            if (events[i].getClass() == cl && (best == null || less(i, bestIndex))) {
                best = events[i];
                bestIndex = i;
            }
        }
        return (E) best;
    }

    /** A snapshot of the pending events in the order they will run; changes to it do not affect the list. */
    @Override
    public ListIterator<Event> listIterator() {
        Integer[] idx = new Integer[size];
        for (int i = 0; i < size; i++) {
            idx[i] = i;
        }
        Arrays.sort(idx, Comparator.comparingDouble((Integer i) -> times[i])
                .thenComparingDouble(i -> priorities[i]).thenComparingLong(i -> order[i]));
        List<Event> sorted = new ArrayList<>(size);
        for (Integer i : idx) {
            sorted.add(events[i]);
        }
        return sorted.listIterator();
    }

    @Override
    public Iterator<Event> iterator() {
        return listIterator();
    }

    @Override
    public boolean remove(Event ev) {
        int i = ev.getRa();
        if (i < 0 || i >= size || events[i] != ev) {
            i = -1;
            for (int k = 0; k < size; k++) {
                if (events[k] == ev) {
                    i = k;
                    break;
                }
            }
            if (i < 0) {
                return false;
            }
        }
        removeAt(i);
        return true;
    }

    /** Events taken off the list to run so far. */
    public long executed() {
        return executed;
    }

    @Override
    public Event removeFirst() {
        if (size == 0) {
            return null;
        }
        if ((++executed & (CHECK_EVERY - 1)) == 0 && Thread.currentThread().isInterrupted()) {
            throw new CancellationException("simulation interrupted after " + executed + " events");
        }
        Event first = events[0];
        removeAt(0);
        return first;
    }

    private void insert(Event ev, long ord) {
        if (size == events.length) {
            int n = size * 2;
            events = Arrays.copyOf(events, n);
            times = Arrays.copyOf(times, n);
            priorities = Arrays.copyOf(priorities, n);
            order = Arrays.copyOf(order, n);
        }
        int i = size++;
        set(i, ev, ev.time(), ev.priority(), ord);
        siftUp(i);
    }

    private void removeAt(int i) {
        events[i].setRa(-1);
        int last = --size;
        if (i != last) {
            set(i, events[last], times[last], priorities[last], order[last]);
            events[last] = null;
            siftDown(i);
            siftUp(i);
        } else {
            events[last] = null;
        }
    }

    private void set(int i, Event ev, double t, double p, long o) {
        events[i] = ev;
        times[i] = t;
        priorities[i] = p;
        order[i] = o;
        ev.setRa(i);
    }

    private boolean less(int a, int b) {
        if (times[a] != times[b]) {
            return times[a] < times[b];
        }
        if (priorities[a] != priorities[b]) {
            return priorities[a] < priorities[b];
        }
        return order[a] < order[b];
    }

    private void siftUp(int i) {
        while (i > 0) {
            int parent = (i - 1) >>> 2;
            if (!less(i, parent)) {
                return;
            }
            swap(i, parent);
            i = parent;
        }
    }

    private void siftDown(int i) {
        while (true) {
            int first = 4 * i + 1;
            if (first >= size) {
                return;
            }
            int child = first;
            int last = Math.min(first + 4, size);
            for (int c = first + 1; c < last; c++) {
                if (less(c, child)) {
                    child = c;
                }
            }
            if (!less(child, i)) {
                return;
            }
            swap(i, child);
            i = child;
        }
    }

    private void swap(int a, int b) {
        Event ea = events[a];
        double ta = times[a];
        double pa = priorities[a];
        long oa = order[a];
        set(a, events[b], times[b], priorities[b], order[b]);
        set(b, ea, ta, pa, oa);
    }
}
