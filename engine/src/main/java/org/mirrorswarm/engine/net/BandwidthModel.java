package org.mirrorswarm.engine.net;

/**
 * Shares link capacity among flows. Every flow crosses exactly one uplink (a mirror's, a tracker's or a
 * peer's) and one downlink (a client's). Capacities and rates are in bytes per second; time is the SSJ
 * simulator's. Changing the flows or caps re-shares bandwidth; the model calls a flow's listener, at the
 * right simulated time, whenever its current segment has fully arrived.
 */
public interface BandwidthModel {
    /** The model's id in scenario files: {@code exact} or {@code fast}. */
    String id();

    /** Adds a link and returns its number; capacity may be +infinity. */
    int addLink(double capacity);

    double capacity(int link);

    /** Changes a link's capacity from now on (a mirror slowing down or recovering). */
    void setCapacity(int link, double capacity);

    /** Starts a flow whose first segment is {@code bytes} long, limited to {@code cap} bytes/s. */
    Flow start(int up, int down, double cap, double bytes, FlowListener listener);

    /** Changes a flow's own limit from now on. */
    void setCap(Flow flow, double cap);

    /** Gives a flow whose segment just arrived its next segment of {@code bytes}. */
    void next(Flow flow, double bytes);

    /** The flow's rate now, bytes per second. */
    double rate(Flow flow);

    /** Bytes of the current segment still to arrive at this moment. */
    double remaining(Flow flow);

    /** Ends a flow now; its bandwidth goes to the others. Idempotent. */
    void stop(Flow flow);

    /** Total rate through a link now. */
    double linkRate(int link);

    /** Flows in progress. */
    int flowCount();
}
