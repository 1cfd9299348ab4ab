package org.mirrorswarm.engine.net;

/** Told when a flow's current segment has arrived; it then gives the flow its next segment or stops it. */
@FunctionalInterface
public interface FlowListener {
    void segmentDone(Flow flow);
}
