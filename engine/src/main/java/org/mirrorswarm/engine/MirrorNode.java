package org.mirrorswarm.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.mirrorswarm.strategies.Mirror;

/** A simulated mirror: an uplink, a connection limit, its faults, and what it served. */
final class MirrorNode {
    final int index;
    final Mirror record;
    final int region;
    final int uplink;
    final double capacity;
    final int connectionLimit;
    final double perConnectionRate;
    final Faults faults;

    private int downCount;
    private final List<Double> slowFactors = new ArrayList<>();
    private Flight[] active = new Flight[8];
    private int activeCount;
    long bytes;
    long requests;
    private double[] bins = new double[16];
    private final double binWidth;

    MirrorNode(int index, Mirror record, int region, int uplink, double capacity, MirrorGroup g, double binWidth) {
        this.index = index;
        this.record = record;
        this.region = region;
        this.uplink = uplink;
        this.capacity = capacity;
        this.connectionLimit = g.connectionLimit();
        this.perConnectionRate = g.perConnectionRate();
        this.faults = g.faults();
        this.binWidth = binWidth;
    }

    /** Requests being served now. */
    int activeCount() {
        return activeCount;
    }

    void add(Flight f) {
        if (activeCount == active.length) {
            active = Arrays.copyOf(active, activeCount * 2);
        }
        active[activeCount] = f;
        f.mirrorSlot = activeCount++;
    }

    void remove(Flight f) {
        int slot = f.mirrorSlot;
        if (slot < 0) {
            return;
        }
        Flight last = active[--activeCount];
        active[slot] = last;
        last.mirrorSlot = slot;
        active[activeCount] = null;
        f.mirrorSlot = -1;
    }

    boolean isUp() {
        return downCount == 0;
    }

    /** True while the mirror has not synced the release, so new packages are missing. */
    boolean isStale(double now) {
        return now < faults.staleUntil();
    }

    /** Goes down (outages may overlap: it is up again only when every one has ended). */
    void crash() {
        if (downCount++ == 0) {
            for (Flight f : Arrays.copyOf(active, activeCount)) {
                f.mirrorDied();
            }
        }
    }

    void recover() {
        downCount--;
    }

    /** The capacity factor now in force, the product of every active slowdown. */
    double slowFactor() {
        double f = 1;
        for (double x : slowFactors) {
            f *= x;
        }
        return f;
    }

    void slowDown(double factor) {
        slowFactors.add(factor);
    }

    void speedUp(double factor) {
        slowFactors.remove((Double) factor);
    }

    /** Counts {@code n} bytes sent between {@code from} and {@code to}, spread evenly over that time. */
    void served(long n, double from, double to) {
        bytes += n;
        int last = (int) (to / binWidth);
        if (last >= bins.length) {
            bins = Arrays.copyOf(bins, Math.max(last + 1, bins.length * 2));
        }
        int first = (int) (from / binWidth);
        if (first >= last || to <= from) {
            bins[last] += n;
            return;
        }
        double rate = n / (to - from);
        for (int b = first; b <= last; b++) {
            double lo = Math.max(from, b * binWidth);
            double hi = Math.min(to, (b + 1) * binWidth);
            if (hi > lo) {
                bins[b] += rate * (hi - lo);
            }
        }
    }

    double[] bins(double end) {
        return Arrays.copyOf(bins, Math.max(1, (int) Math.ceil(end / binWidth)));
    }
}
