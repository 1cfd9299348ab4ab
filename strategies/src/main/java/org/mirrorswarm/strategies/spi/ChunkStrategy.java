package org.mirrorswarm.strategies.spi;

/**
 * Decides which pieces a free connection fetches and from which mirror. Called repeatedly while the
 * scheduler has free connections; an instance serves one scheduler and may keep state.
 */
public interface ChunkStrategy {
    /** The next request to start, or null to leave the remaining connections idle for now. */
    Assignment next(SchedulerView view);
}
