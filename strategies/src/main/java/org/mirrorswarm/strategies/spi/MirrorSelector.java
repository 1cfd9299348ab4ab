package org.mirrorswarm.strategies.spi;

/** Picks one mirror among candidates for a file. An instance serves one scheduler and may keep state. */
public interface MirrorSelector {
    /**
     * Returns one of {@code candidates[0..count)} (mirror numbers in the file's preference order, all of
     * which may start a request now), or -1 to pick none. Called only with {@code count > 0}.
     */
    int select(SchedulerView view, int file, int[] candidates, int count);
}
