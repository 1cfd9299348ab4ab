package org.mirrorswarm.strategies;

import java.util.Objects;

/**
 * Everything that decides a scheduler's behaviour. Two schedulers with equal configs fed equal events
 * make equal decisions.
 *
 * @param chunk          chunk-assignment strategy
 * @param selector       mirror selector, or {@code null} for the chunk strategy's own default
 * @param tail           tail policy, or {@code null} for the chunk strategy's own default
 * @param maxConnections connections open at once over all files and mirrors
 * @param maxPerMirror   connections to one mirror at once, unless the mirror sets its own limit
 * @param maxPerFile     connections for one file at once; 0 means no limit beyond the others
 * @param seed           seed of the scheduler's own random choices (random selectors, tie breaks)
 * @param ewmaAlpha      weight of a new throughput sample once warmed up (aria2 uses 0.2)
 * @param ewmaWarmup     samples averaged plainly before the EWMA takes over (aria2 uses 5)
 * @param peakEwmaTau    decay time constant of the peak-EWMA latency, seconds (Finagle uses 10 s)
 * @param banBase        first ban after a failure, seconds; each further ban doubles it
 * @param banMax         longest ban, seconds
 * @param maxFailures    consecutive transient failures after which a mirror is dropped for the run
 * @param badPieceLimit  pieces failing verification after which a mirror is dropped for the run (by default
 *                       the first: a mirror whose bytes did not verify is not trusted again)
 * @param maxCopies      most copies of one piece in flight at once (endgame and hedging duplicate)
 * @param earlyRequests  requests a mirror at its connection limit may take beyond it (0: none), each once all
 *                       it was asked for should be delivered within its typical latency (pipelined, the
 *                       first behind short answers in progress at once), so that the next
 *                       answer starts as the last one ends instead of a round trip later (the live client
 *                       pipelines them on its connection, or opens at most {@value #EARLY_CONNECTIONS} more
 *                       where it cannot); a refusal (an error status, a refused or dropped connection before
 *                       any byte) of a request that overlapped an early one is not held against the mirror,
 *                       and a mirror that refuses three gets no more
 * @param earlyPipelined whether early requests ride on a busy connection (pipelined behind its answer, or an
 *                       HTTP/2 stream) and so take none of {@code maxConnections}; when false each is counted
 *                       as the connection it may open
 */
public record SchedulerConfig(StrategySpec chunk, StrategySpec selector, StrategySpec tail,
                              int maxConnections, int maxPerMirror, int maxPerFile, long seed,
                              double ewmaAlpha, int ewmaWarmup, double peakEwmaTau,
                              double banBase, double banMax, int maxFailures, int badPieceLimit,
                              int maxCopies, int earlyRequests, boolean earlyPipelined) {

    public SchedulerConfig {
        Objects.requireNonNull(chunk, "chunk");
        positive("maxConnections", maxConnections);
        positive("maxPerMirror", maxPerMirror);
        if (maxPerFile < 0) {
            throw new IllegalArgumentException("maxPerFile must be >= 0 (0 = no limit), got " + maxPerFile);
        }
        if (!(ewmaAlpha > 0 && ewmaAlpha <= 1)) {
            throw new IllegalArgumentException("ewmaAlpha must be in (0, 1], got " + ewmaAlpha);
        }
        positive("ewmaWarmup", ewmaWarmup);
        positiveFinite("peakEwmaTau", peakEwmaTau);
        positiveFinite("banBase", banBase);
        positiveFinite("banMax", banMax);
        if (banMax < banBase) {
            throw new IllegalArgumentException("banMax " + banMax + " is shorter than banBase " + banBase);
        }
        positive("maxFailures", maxFailures);
        positive("badPieceLimit", badPieceLimit);
        if (maxCopies < 1) {
            throw new IllegalArgumentException("maxCopies must be >= 1, got " + maxCopies);
        }
        if (earlyRequests < 0 || earlyRequests > MAX_EARLY_REQUESTS) {
            throw new IllegalArgumentException("earlyRequests must be 0–" + MAX_EARLY_REQUESTS + ", got " + earlyRequests);
        }
    }

    /**
     * Early requests per mirror where each takes a connection of its own: measured on 200 packages from four
     * loopback mirrors 20 ms away, 4.1 s in-process without early requests, 3.35 s with one, 3.18 s with two,
     * 3.11–3.14 s with three; two kept, as each is a connection more to a mirror that may allow one per client.
     */
    public static final int EARLY_CONNECTIONS = 2;

    /** The most early requests per mirror a config may allow. */
    public static final int MAX_EARLY_REQUESTS = 64;

    private static void positive(String name, int v) {
        if (v <= 0) {
            throw new IllegalArgumentException(name + " must be positive, got " + v);
        }
    }

    private static void positiveFinite(String name, double v) {
        if (!(v > 0) || Double.isInfinite(v)) {
            throw new IllegalArgumentException(name + " must be positive and finite, got " + v);
        }
    }

    /**
     * The defaults: the {@code adaptive} chunk strategy with its own selector and tail, 16 connections,
     * one per mirror (what most mirrors allow; MirrorManager advertises {@code maxconnections="1"}).
     */
    public static SchedulerConfig defaults() {
        return new SchedulerConfig(StrategySpec.of("adaptive"), null, null, 16, 1, 0, 0L,
                0.2, 5, 10.0, 1.0, 300.0, 5, 1, 2, 0, false);
    }

    /** The defaults with another chunk strategy (and that strategy's default selector and tail). */
    public static SchedulerConfig of(String chunkId) {
        return defaults().withChunk(StrategySpec.of(chunkId));
    }

    public SchedulerConfig withChunk(StrategySpec v) {
        return new SchedulerConfig(v, selector, tail, maxConnections, maxPerMirror, maxPerFile, seed,
                ewmaAlpha, ewmaWarmup, peakEwmaTau, banBase, banMax, maxFailures, badPieceLimit, maxCopies, earlyRequests, earlyPipelined);
    }

    public SchedulerConfig withSelector(StrategySpec v) {
        return new SchedulerConfig(chunk, v, tail, maxConnections, maxPerMirror, maxPerFile, seed,
                ewmaAlpha, ewmaWarmup, peakEwmaTau, banBase, banMax, maxFailures, badPieceLimit, maxCopies, earlyRequests, earlyPipelined);
    }

    public SchedulerConfig withTail(StrategySpec v) {
        return new SchedulerConfig(chunk, selector, v, maxConnections, maxPerMirror, maxPerFile, seed,
                ewmaAlpha, ewmaWarmup, peakEwmaTau, banBase, banMax, maxFailures, badPieceLimit, maxCopies, earlyRequests, earlyPipelined);
    }

    public SchedulerConfig withSelector(String id) {
        return withSelector(StrategySpec.of(id));
    }

    public SchedulerConfig withTail(String id) {
        return withTail(StrategySpec.of(id));
    }

    /** Connection limits: in total, per mirror, per file (0 = no per-file limit). */
    public SchedulerConfig withConnections(int total, int perMirror, int perFile) {
        return new SchedulerConfig(chunk, selector, tail, total, perMirror, perFile, seed,
                ewmaAlpha, ewmaWarmup, peakEwmaTau, banBase, banMax, maxFailures, badPieceLimit, maxCopies, earlyRequests, earlyPipelined);
    }

    public SchedulerConfig withSeed(long v) {
        return new SchedulerConfig(chunk, selector, tail, maxConnections, maxPerMirror, maxPerFile, v,
                ewmaAlpha, ewmaWarmup, peakEwmaTau, banBase, banMax, maxFailures, badPieceLimit, maxCopies, earlyRequests, earlyPipelined);
    }

    /** Ban and exclusion rules. */
    public SchedulerConfig withBans(double base, double max, int failures, int badPieces) {
        return new SchedulerConfig(chunk, selector, tail, maxConnections, maxPerMirror, maxPerFile, seed,
                ewmaAlpha, ewmaWarmup, peakEwmaTau, base, max, failures, badPieces, maxCopies, earlyRequests, earlyPipelined);
    }

    /** Statistics: throughput EWMA weight and warm-up, peak-EWMA time constant. */
    public SchedulerConfig withStatistics(double alpha, int warmup, double tau) {
        return new SchedulerConfig(chunk, selector, tail, maxConnections, maxPerMirror, maxPerFile, seed,
                alpha, warmup, tau, banBase, banMax, maxFailures, badPieceLimit, maxCopies, earlyRequests, earlyPipelined);
    }

    /** See {@code earlyRequests}: none by default; the live client allows some. */
    public SchedulerConfig withEarlyRequests(int v) {
        return new SchedulerConfig(chunk, selector, tail, maxConnections, maxPerMirror, maxPerFile, seed,
                ewmaAlpha, ewmaWarmup, peakEwmaTau, banBase, banMax, maxFailures, badPieceLimit, maxCopies, v, earlyPipelined);
    }

    public SchedulerConfig withMaxCopies(int v) {
        return new SchedulerConfig(chunk, selector, tail, maxConnections, maxPerMirror, maxPerFile, seed,
                ewmaAlpha, ewmaWarmup, peakEwmaTau, banBase, banMax, maxFailures, badPieceLimit, v, earlyRequests, earlyPipelined);
    }

    /** See {@code earlyPipelined}: set by the shell, which knows how it sends an early request. */
    public SchedulerConfig withEarlyPipelined(boolean v) {
        return new SchedulerConfig(chunk, selector, tail, maxConnections, maxPerMirror, maxPerFile, seed,
                ewmaAlpha, ewmaWarmup, peakEwmaTau, banBase, banMax, maxFailures, badPieceLimit, maxCopies, earlyRequests, v);
    }
}
