package org.mirrorswarm.engine.net;

/**
 * A transfer between an uplink and a downlink, sent in segments (one per piece) so that its receiver
 * learns when each piece has arrived. Its rate is set by the bandwidth model; {@code cap} bounds it
 * (per-connection rate limits, TCP window, slow start). The model's bookkeeping lives in package-private
 * fields so that no per-event object is needed.
 */
public final class Flow {
    final int up;
    final int down;
    final FlowListener listener;
    double cap;
    double rate;
    /** Bytes left in the current segment, as of {@code updated}. */
    double remaining;
    double updated;
    boolean active = true;
    /** Anything the owner wants to find again on a callback. */
    public Object attachment;

    // Exact model.
    int id = -1;
    int slotUp = -1;
    int slotDown = -1;
    double completion = Double.POSITIVE_INFINITY;
    int visit;
    boolean fixed;

    // Fast model.
    double effectiveCap;
    /**
     * The cap heaps' key: at most the effective cap among uncapped flows, at least it among capped ones.
     * Keys that went stale in the harmless direction are corrected only when they reach the top.
     */
    double capKey;
    boolean capped;
    double tag;
    double finish;
    int downSlot = -1;

    // Heap positions, one slot per kind of heap a flow can be in (see FlowHeap):
    // slot 0 orders by time (completion, tag or finish), slot 1 by cap.
    final int[] heapPos = {-1, -1};

    Flow(int up, int down, double cap, double bytes, FlowListener listener, double now) {
        this.up = up;
        this.down = down;
        this.cap = cap;
        this.remaining = bytes;
        this.updated = now;
        this.listener = listener;
    }

    public int up() {
        return up;
    }

    public int down() {
        return down;
    }

    /** The flow's own limit, bytes per second (+infinity for none). */
    public double cap() {
        return cap;
    }

    public boolean isActive() {
        return active;
    }
}
