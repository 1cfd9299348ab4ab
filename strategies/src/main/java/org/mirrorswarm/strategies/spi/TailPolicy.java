package org.mirrorswarm.strategies.spi;

/**
 * What to do with connections that are still free once the chunk strategy has nothing more to give:
 * typically duplicate or split slow in-flight requests near the end of a download.
 */
public interface TailPolicy {
    /** The next duplicate or stolen request to start, or null. */
    Assignment next(SchedulerView view);
}
