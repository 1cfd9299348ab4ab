package org.mirrorswarm.strategies;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * What one client has learnt about each mirror: EWMA throughput per connection, peak-EWMA latency,
 * requests in flight, bytes, successes, failures, and bans with exponential backoff. Mirrors are
 * numbered in the order they were first seen. Readers are public; only the scheduler updates the book.
 *
 * <p>Throughput follows aria2's speed estimate: the plain mean of the first {@code warmup} samples,
 * then an EWMA with weight {@code alpha}. Latency follows Finagle's peak EWMA: a slower sample is taken
 * at once, a faster one is blended in with weight {@code 1 - exp(-Δt/τ)}, and between samples the cost
 * decays towards zero as {@code exp(-Δt/τ)} so an idle mirror is tried again. That is a selector's
 * measure (a spike counts against a mirror for τ); what a request can expect to wait, for sizing ranges and
 * predicting when they end, is {@link #typicalLatency}: the samples averaged as throughput is.
 */
public final class MirrorBook {

    /** Malformed answers after which a mirror is excluded for the run. */
    public static final int MALFORMED_LIMIT = 3;

    /**
     * Tries in a row that failed to connect after which a mirror that has not answered once in the run is excluded
     * (when that is fewer than the configured {@code maxFailures}; connections that failed together, sent before
     * the ban the first of them began, are one try). Nothing listens there, or the host is unreachable:
     * a mirror list with a wrong port or a host long gone. One retry, a ban later, covers a mirror restarting
     * as the download begins; waiting out the whole backoff (15 s at the defaults) for every such mirror made a
     * fetch whose mirrors all refused take that long to say so, where aria2, curl and wget give up at once. A
     * mirror that has answered before keeps the whole backoff: it is more likely to come back.
     */
    public static final int UNANSWERED_CONNECT_LIMIT = 2;

    /**
     * Files a mirror was found to serve in another version than the plan's after which it is excluded for the
     * run: out of date that far (or two colluding mirrors agreeing on bad bytes), it would cost a piece per file.
     */
    public static final int STALE_FILE_LIMIT = 3;

    /** What a recorded failure did to the mirror. */
    public enum Outcome {
        /** Nothing: the failure was not the mirror's fault. */
        IGNORED,
        /** The mirror cannot serve that one file. */
        DROPPED_FOR_FILE,
        /** The mirror is banned until {@link #bannedUntil(int)}. */
        BANNED,
        /** The mirror is excluded for the rest of the run. */
        EXCLUDED
    }

    private final double alpha;
    private final int warmup;
    private final double tau;
    private final double banBase;
    private final double banMax;
    private final int maxFailures;
    private final int badPieceLimit;
    private final int defaultPerMirror;

    private final Map<String, Integer> index = new HashMap<>();
    private double rateSum;
    private int measured;
    private Mirror[] mirrors = new Mirror[0];
    private int size;

    private double[] rate = new double[0];
    private int[] rateSamples = new int[0];
    private double[] cost = new double[0];
    private double[] costStamp = new double[0];
    private int[] latencySamples = new int[0];
    private double[] typical = new double[0];
    private int[] inFlight = new int[0];
    private long[] bytes = new long[0];
    private int[] successes = new int[0];
    private int[] failures = new int[0];
    private int[] consecutive = new int[0];
    /** Whether mirror i has answered at least once in the run: a byte, a latency sample, or a failure past connecting. */
    private boolean[] answered = new boolean[0];
    /** Tries of mirror i that failed to connect while it had never answered, failures of one ban counting once. */
    private int[] unansweredTries = new int[0];
    private int[] badPieces = new int[0];
    private int[] malformed = new int[0];
    private int[] staleFiles = new int[0];
    private int[] banLevel = new int[0];
    private double[] bannedUntil = new double[0];
    private boolean[] excluded = new boolean[0];
    /** How many exclusions there have been: a scheduler compares it to tell whether any came since it last looked. */
    private int exclusions;
    private FailureReason.Kind[] excludedBy = new FailureReason.Kind[0];
    private String[] exclusion = new String[0];
    private FailureReason[] lastFailure = new FailureReason[0];
    private long[] rangeCap = new long[0];
    private int[] earlyRefusals = new int[0];
    private boolean[] wholeAnswers = new boolean[0];
    private boolean[] notPipelined = new boolean[0];
    private double[] lastBytes = new double[0];

    MirrorBook(SchedulerConfig c) {
        this.alpha = c.ewmaAlpha();
        this.warmup = c.ewmaWarmup();
        this.tau = c.peakEwmaTau();
        this.banBase = c.banBase();
        this.banMax = c.banMax();
        this.maxFailures = c.maxFailures();
        this.badPieceLimit = c.badPieceLimit();
        this.defaultPerMirror = c.maxPerMirror();
    }

    /** Number of mirrors seen so far. */
    public int size() {
        return size;
    }

    /** The mirror numbered {@code i}. */
    public Mirror mirror(int i) {
        check(i);
        return mirrors[i];
    }

    /** The number of the mirror with this id, or -1. */
    public int indexOf(String id) {
        Integer i = index.get(id);
        return i == null ? -1 : i;
    }

    /** Connections this client may open to mirror {@code i} at once. */
    public int connectionLimit(int i) {
        int own = mirror(i).maxConnections();
        return own > 0 ? Math.min(own, defaultPerMirror) : defaultPerMirror;
    }

    /** Estimated throughput of one connection to mirror {@code i}, bytes per second, or NaN before any sample. */
    public double throughput(int i) {
        check(i);
        return rateSamples[i] == 0 ? Double.NaN : rate[i];
    }

    /** True once mirror {@code i} has a throughput sample. */
    public boolean hasThroughput(int i) {
        check(i);
        return rateSamples[i] > 0;
    }

    /** Number of throughput samples of mirror {@code i}. */
    public int throughputSamples(int i) {
        check(i);
        return rateSamples[i];
    }

    /** Mean throughput over the mirrors that have one, or NaN when none has. */
    public double meanThroughput() {
        return measured == 0 ? Double.NaN : rateSum / measured;
    }

    /**
     * Peak-EWMA latency (time to first byte) of mirror {@code i} as seen at time {@code now}, seconds, or
     * NaN before any sample. Reading does not change the book: it is Finagle's {@code get()}, which
     * decays the cost towards zero with the time since the last sample.
     */
    public double latency(int i, double now) {
        check(i);
        if (latencySamples[i] == 0) {
            return Double.NaN;
        }
        return cost[i] * Math.exp(-Math.max(0, now - costStamp[i]) / tau);
    }

    /**
     * Typical latency (time to first byte) of mirror {@code i}, seconds, or NaN before any sample: the mean
     * of the first {@code warmup} samples, then an EWMA with weight {@code alpha}, as for throughput. Unlike
     * {@link #latency}, one slow first answer (a cold client, a cold mirror) stops counting after a few
     * requests: measured on loopback mirrors answering in 1–3 ms, the peak EWMA still said 25–38 ms at the
     * end of a 3 s download.
     */
    public double typicalLatency(int i) {
        check(i);
        return latencySamples[i] == 0 ? Double.NaN : typical[i];
    }

    /** Number of latency samples of mirror {@code i}. */
    public int latencySamples(int i) {
        check(i);
        return latencySamples[i];
    }

    /** Requests this client has in flight on mirror {@code i}. */
    public int inFlight(int i) {
        check(i);
        return inFlight[i];
    }

    /** Bytes received from mirror {@code i} that verified. */
    public long bytes(int i) {
        check(i);
        return bytes[i];
    }

    /** Requests to mirror {@code i} that completed their whole range. */
    public int successes(int i) {
        check(i);
        return successes[i];
    }

    /** Failures charged to mirror {@code i}, of every kind. */
    public int failures(int i) {
        check(i);
        return failures[i];
    }

    /** Transient failures of mirror {@code i} since its last success. */
    public int consecutiveFailures(int i) {
        check(i);
        return consecutive[i];
    }

    /** Pieces from mirror {@code i} that failed verification (but for those found to be another version). */
    public int badPieces(int i) {
        check(i);
        return badPieces[i];
    }

    /** Malformed answers from mirror {@code i}. */
    public int malformedAnswers(int i) {
        check(i);
        return malformed[i];
    }

    /** The most recent failure of mirror {@code i}, or null. */
    public FailureReason lastFailure(int i) {
        check(i);
        return lastFailure[i];
    }

    /** End of the current or last ban of mirror {@code i}, or negative infinity when never banned. */
    public double bannedUntil(int i) {
        check(i);
        return bannedUntil[i];
    }

    /** True while mirror {@code i} is banned. */
    public boolean isBanned(int i, double now) {
        check(i);
        return now < bannedUntil[i];
    }

    /** True when mirror {@code i} is excluded for the rest of the run. */
    public boolean isExcluded(int i) {
        check(i);
        return excluded[i];
    }

    /** Why mirror {@code i} was excluded, or null. */
    public String exclusionReason(int i) {
        check(i);
        return exclusion[i];
    }

    /** Neither excluded nor banned at {@code now}. */
    public boolean isUsable(int i, double now) {
        return !isExcluded(i) && !isBanned(i, now);
    }

    // ---- updates, by the scheduler only ----

    int add(Mirror m) {
        Integer known = index.get(m.id());
        if (known != null) {
            return known;
        }
        if (size == mirrors.length) {
            grow(Math.max(4, size * 2));
        }
        mirrors[size] = m;
        bannedUntil[size] = Double.NEGATIVE_INFINITY;
        rangeCap[size] = Long.MAX_VALUE;
        lastBytes[size] = Double.NEGATIVE_INFINITY;
        index.put(m.id(), size);
        return size++;
    }

    private void grow(int n) {
        mirrors = Arrays.copyOf(mirrors, n);
        rate = Arrays.copyOf(rate, n);
        rateSamples = Arrays.copyOf(rateSamples, n);
        cost = Arrays.copyOf(cost, n);
        costStamp = Arrays.copyOf(costStamp, n);
        latencySamples = Arrays.copyOf(latencySamples, n);
        typical = Arrays.copyOf(typical, n);
        inFlight = Arrays.copyOf(inFlight, n);
        bytes = Arrays.copyOf(bytes, n);
        successes = Arrays.copyOf(successes, n);
        failures = Arrays.copyOf(failures, n);
        consecutive = Arrays.copyOf(consecutive, n);
        answered = Arrays.copyOf(answered, n);
        unansweredTries = Arrays.copyOf(unansweredTries, n);
        badPieces = Arrays.copyOf(badPieces, n);
        malformed = Arrays.copyOf(malformed, n);
        staleFiles = Arrays.copyOf(staleFiles, n);
        banLevel = Arrays.copyOf(banLevel, n);
        bannedUntil = Arrays.copyOf(bannedUntil, n);
        excluded = Arrays.copyOf(excluded, n);
        excludedBy = Arrays.copyOf(excludedBy, n);
        exclusion = Arrays.copyOf(exclusion, n);
        lastFailure = Arrays.copyOf(lastFailure, n);
        rangeCap = Arrays.copyOf(rangeCap, n);
        earlyRefusals = Arrays.copyOf(earlyRefusals, n);
        wholeAnswers = Arrays.copyOf(wholeAnswers, n);
        notPipelined = Arrays.copyOf(notPipelined, n);
        lastBytes = Arrays.copyOf(lastBytes, n);
    }

    /**
     * The longest range worth asking mirror {@code i} for, in bytes ({@link Long#MAX_VALUE} until learned):
     * a mirror that served a response at speed and then slowed to a crawl inside it (nginx's
     * {@code limit_rate_after}, a proxy's per-response budget) is fast for shorter responses.
     */
    public long rangeCap(int i) {
        check(i);
        return rangeCap[i];
    }

    /** Early requests (see {@link SchedulerConfig#earlyRequests}) a mirror may turn away before it gets no more. */
    static final int EARLY_REFUSALS = 3;

    /**
     * True once mirror {@code i} has turned away {@value #EARLY_REFUSALS} requests made as others there were
     * ending (see {@link SchedulerConfig#earlyRequests}): it limits connections per client strictly.
     */
    public boolean refusesEarly(int i) {
        check(i);
        return earlyRefusals[i] >= EARLY_REFUSALS;
    }

    void refuseEarly(int i) {
        earlyRefusals[i]++;
    }

    /**
     * True once the shell told that it cannot pipeline requests to mirror {@code i} ({@link Event.NotPipelined}):
     * its early requests then hold connections of their own.
     */
    public boolean notPipelined(int i) {
        check(i);
        return notPipelined[i];
    }

    /** When bytes last came from mirror {@code i} (on any of its requests), or -infinity before any. */
    public double lastBytes(int i) {
        check(i);
        return lastBytes[i];
    }

    void noteBytes(int i, double now) {
        lastBytes[i] = Math.max(lastBytes[i], now);
    }

    void markNotPipelined(int i) {
        notPipelined[i] = true;
    }

    /**
     * True once an answer of mirror {@code i} came whole, or mostly, with its first bytes (a small file in one
     * read, or in one and a short rest), so that no time worth measuring a rate by was spent on it: its answers
     * take its latency, not their length.
     */
    public boolean answersWhole(int i) {
        check(i);
        return wholeAnswers[i];
    }

    void sawWholeAnswer(int i) {
        wholeAnswers[i] = true;
    }

    void capRange(int i, long maxBytes) {
        check(i);
        rangeCap[i] = Math.min(rangeCap[i], Math.max(1, maxBytes));
    }

    void recordThroughput(int i, double bytesPerSecond) {
        if (!(bytesPerSecond >= 0) || Double.isInfinite(bytesPerSecond)) {
            return;
        }
        int n = ++rateSamples[i];
        double old = rate[i];
        rate[i] = n <= warmup ? old + (bytesPerSecond - old) / n : (1 - alpha) * old + alpha * bytesPerSecond;
        if (n == 1) {
            measured++;
            rateSum += rate[i];
        } else {
            rateSum += rate[i] - old;
        }
    }

    void recordLatency(int i, double seconds, double now) {
        if (!(seconds >= 0) || Double.isInfinite(seconds)) {
            return;
        }
        answered[i] = true;
        addLatency(i, seconds, now);
    }

    /**
     * A wait for a first byte that is only an upper bound on mirror {@code i}'s latency: the answer was queued
     * behind the one before it on the same connection (a pipelined request sent while that one was still
     * coming in), so it measures how long the queue was, not the mirror. It can lower the estimates, never
     * raise them: taken as is, such waits fed the queue they measured (requests were sent one typical latency
     * before the queue drained, so the next wait was that latency and whatever the rate estimate was off by)
     * and loopback mirrors 1 ms away ended a download 0.4 s deep in requests, the idle mirrors' tail checks
     * counting that 0.4 s against every duplicate.
     */
    void recordLatencyBound(int i, double seconds, double now) {
        if (!(seconds >= 0) || Double.isInfinite(seconds)) {
            return;
        }
        answered[i] = true;
        if (latencySamples[i] == 0) {
            addLatency(i, seconds, now);
            return;
        }
        // Both estimates take the bound as a sample where it is lower than they are, and keep what they have
        // where it is not.
        addTypical(i, Math.min(seconds, typical[i]));
        if (seconds < cost[i]) {
            blendFaster(i, seconds, now);
        }
    }

    private void addLatency(int i, double seconds, double now) {
        boolean first = latencySamples[i] == 0;
        addTypical(i, seconds);
        if (first || seconds > cost[i]) {
            cost[i] = seconds;
            costStamp[i] = now;
        } else {
            blendFaster(i, seconds, now);
        }
    }

    /** One more latency sample for the typical latency: the plain mean through the warm-up, then the EWMA. */
    private void addTypical(int i, double seconds) {
        int n = ++latencySamples[i];
        typical[i] = n <= warmup ? typical[i] + (seconds - typical[i]) / n : (1 - alpha) * typical[i] + alpha * seconds;
    }

    /** A sample faster than the peak EWMA's cost, blended in by the time since the last one. */
    private void blendFaster(int i, double seconds, double now) {
        double w = Math.exp(-Math.max(0, now - costStamp[i]) / tau);
        cost[i] = cost[i] * w + seconds * (1 - w);
        costStamp[i] = now;
    }

    void started(int i) {
        inFlight[i]++;
    }

    void ended(int i) {
        inFlight[i]--;
    }

    void addBytes(int i, long n) {
        bytes[i] += n;
        answered[i] = true;
    }

    void recordSuccess(int i) {
        successes[i]++;
        answered[i] = true;
        consecutive[i] = 0;
        banLevel[i] = 0;
    }

    Outcome recordFailure(int i, FailureReason reason, double now) {
        if (reason.kind() == FailureReason.Kind.NONE) {
            return Outcome.IGNORED;
        }
        failures[i]++;
        lastFailure[i] = reason;
        boolean connectFailure = reason == FailureReason.CONNECT_FAILED;
        if (!connectFailure) {
            answered[i] = true; // it accepted a connection, at least (a connect that timed out is CONNECT_FAILED)
        }
        switch (reason.kind()) {
            case FILE_FATAL -> {
                return Outcome.DROPPED_FOR_FILE;
            }
            case TRANSIENT -> {
                // Connections that failed together (sent before the ban the first of them began) are one try.
                if (connectFailure && !answered[i] && !isBanned(i, now)
                        && ++unansweredTries[i] >= Math.min(maxFailures, UNANSWERED_CONNECT_LIMIT)) {
                    consecutive[i]++;
                    return exclude(i, reason.kind(),
                            unansweredTries[i] + " failures in a row and never answered, last: " + reason.description());
                }
                if (++consecutive[i] >= maxFailures) {
                    return exclude(i, reason.kind(),
                            consecutive[i] + " failures in a row, last: " + reason.description());
                }
            }
            case CORRUPT -> {
                if (++badPieces[i] >= badPieceLimit) {
                    return exclude(i, reason.kind(), badPieces[i] == 1 ? reason.description()
                            : badPieces[i] + " bad pieces, last: " + reason.description());
                }
            }
            case MALFORMED -> {
                if (++malformed[i] >= MALFORMED_LIMIT) {
                    return exclude(i, reason.kind(),
                            malformed[i] + " malformed answers, last: " + reason.description());
                }
            }
            case FATAL -> {
                return exclude(i, reason.kind(), reason.description());
            }
            default -> throw new AssertionError(reason);
        }
        if (excluded[i]) {
            return Outcome.EXCLUDED;
        }
        // A failure of a request sent before the current ban does not lengthen it: the mirror is
        // charged once per ban, not once per connection that was open when it went bad.
        if (!isBanned(i, now)) {
            int level = ++banLevel[i];
            bannedUntil[i] = now + Math.min(banMax, banBase * Math.pow(2, level - 1));
        }
        return Outcome.BANNED;
    }

    int exclusions() {
        return exclusions;
    }

    private Outcome exclude(int i, FailureReason.Kind kind, String why) {
        if (!excluded[i]) {
            exclusions++;
            excluded[i] = true;
            excludedBy[i] = kind;
            exclusion[i] = why;
        }
        return Outcome.EXCLUDED;
    }

    /**
     * Mirror {@code i}'s last bad piece was another version of its file ({@link Event.OtherVersion}): it no
     * longer counts against the mirror, and an exclusion that bad pieces caused is lifted if the rest stay
     * under the limit (a ban it caused runs out on its own). The scheduler drops the mirror for that file.
     */
    void otherVersion(int i) {
        lastFailure[i] = FailureReason.STALE;
        if (badPieces[i] > 0 && --badPieces[i] < badPieceLimit && excluded[i]
                && excludedBy[i] == FailureReason.Kind.CORRUPT) {
            excluded[i] = false;
            excludedBy[i] = null;
            exclusion[i] = null;
        }
    }

    /**
     * One more file that mirror {@code i} serves in another version than the plan's (told once per file by the
     * scheduler); true when that excludes it ({@link #STALE_FILE_LIMIT}).
     */
    boolean anotherVersion(int i) {
        if (++staleFiles[i] >= STALE_FILE_LIMIT && !excluded[i]) {
            exclude(i, FailureReason.Kind.FILE_FATAL, staleFiles[i] + " files in another version than the plan's");
            return true;
        }
        return false;
    }

    private void check(int i) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException("mirror " + i + " of " + size);
        }
    }
}
