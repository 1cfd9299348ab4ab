package org.mirrorswarm.strategies.spi;

import java.util.random.RandomGenerator;
import org.mirrorswarm.strategies.MirrorBook;
import org.mirrorswarm.strategies.SchedulerConfig;

/**
 * What a strategy may see of a scheduler, and the few things it may ask of it. Everything here is
 * deterministic given the events so far: time is the last event's time, randomness is seeded.
 */
public interface SchedulerView {
    /** Time of the event being handled, seconds. */
    double now();

    SchedulerConfig config();

    MirrorBook book();

    /** The scheduler's seeded random source; use nothing else. */
    RandomGenerator random();

    int fileCount();

    FileView file(int file);

    /** Connections that could still be opened under the total limit. */
    int freeSlots();

    /** Requests started so far, ended ones included. */
    int requestsStarted();

    /** Number of live requests, in start order. */
    int liveCount();

    /** The {@code i}-th live request in start order. */
    RequestView live(int i);

    /** A request by id while it is live, else null. */
    RequestView request(int id);

    /** True when a new request for {@code file} may go to {@code mirror} now: usable, listed, under every limit. */
    boolean canStart(int file, int mirror);

    /** True when the mirror may serve the file at some time: listed, not dropped for it, not excluded. */
    boolean mayServe(int file, int mirror);

    /**
     * Fills {@code out} with the mirrors for which {@link #canStart} holds, in the file's preference order,
     * skipping {@code exclude} (or -1), and returns how many there are. {@code out} must be large enough
     * for {@link FileView#mirrorCount()} entries.
     */
    int candidates(int file, int exclude, int[] out);

    /** The configured selector's choice among the candidates for {@code file}, skipping {@code exclude}; -1 if none. */
    int choose(int file, int exclude);

    /**
     * The configured selector's choice among {@code candidates[0..count)}, which must all pass
     * {@link #canStart}: for strategies that filter the candidates first. -1 if none.
     */
    int select(int file, int[] candidates, int count);

    /** The {@code q}-quantile of recent piece delivery times, or NaN with fewer than {@code minSamples} samples. */
    double pieceTimeQuantile(double q, int minSamples);

    /** Asks for a {@link org.mirrorswarm.strategies.Event.Timer} at {@code time} so the strategy can look again. */
    void wakeAt(double time);
}
