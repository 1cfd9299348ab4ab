package org.mirrorswarm.strategies.chunk;

import java.util.Arrays;
import java.util.List;
import org.mirrorswarm.strategies.MirrorBook;
import org.mirrorswarm.strategies.spi.Assignment;
import org.mirrorswarm.strategies.spi.ChunkStrategy;
import org.mirrorswarm.strategies.spi.Family;
import org.mirrorswarm.strategies.spi.FileView;
import org.mirrorswarm.strategies.spi.ParamSpec;
import org.mirrorswarm.strategies.spi.Params;
import org.mirrorswarm.strategies.spi.RequestView;
import org.mirrorswarm.strategies.spi.SchedulerView;
import org.mirrorswarm.strategies.spi.Sizing;
import org.mirrorswarm.strategies.spi.StrategyFactory;

/**
 * {@code adaptive}: mirrorswarm's own. Pull-based like a work queue, so no mirror is handed work it is
 * not ready for; each range is sized to the mirror's measured throughput — long enough to amortise its
 * latency ({@code latency-factor} round trips) and about {@code target-duration} seconds, but never more
 * than its fair share of what is left, so mirrors finish together (what is left of the whole download: a
 * download of many files fetches each whole, one request and one round trip per file, until its end is near;
 * only then are files split across mirrors); and a finish-time gate keeps a slow
 * mirror from taking a piece it would still be fetching after the others could have finished the whole
 * file; and like TCP slow start a mirror gets at most twice what it has delivered so far, so one
 * optimistic early sample cannot hand it a huge range. Its default tail policy steals the back part of a
 * range that runs late and hedges a request stalled inside a piece.
 * Cost: O(files + live requests + candidates × mirrors × connections) per decision.
 */
public final class ChunkAdaptive implements ChunkStrategy {
    private final long probeBytes;
    private final double targetDuration;
    private final double latencyFactor;
    private final boolean gate;
    private final boolean ramp;
    private final boolean lazyProbe;
    private final boolean jobFinish;
    private int[] buf = new int[8];

    ChunkAdaptive(long probeBytes, double targetDuration, double latencyFactor, boolean gate, boolean ramp,
                  boolean lazyProbe, boolean jobFinish) {
        this.probeBytes = probeBytes;
        this.targetDuration = targetDuration;
        this.latencyFactor = latencyFactor;
        this.gate = gate;
        this.ramp = ramp;
        this.lazyProbe = lazyProbe;
        this.jobFinish = jobFinish;
    }

    @Override
    public Assignment next(SchedulerView v) {
        for (int f = 0; f < v.fileCount(); f++) {
            FileView fv = v.file(f);
            if (!fv.isActive() || fv.freeCount() == 0) {
                continue;
            }
            if (buf.length < fv.mirrorCount()) {
                buf = new int[fv.mirrorCount()];
            }
            int n = v.candidates(f, -1, buf);
            if (lazyProbe) {
                n = removeNeedlessProbes(v, f, n);
            }
            if (gate && fv.activeRequests() > 0) {
                n = removeGated(v, f, n);
            }
            if (n == 0) {
                continue;
            }
            int m = v.select(f, buf, n);
            if (m < 0) {
                continue;
            }
            int p = fv.nextFree(0);
            int end = Math.min(fv.freeRunEnd(p), p + Sizing.piecesFor(fv.plan(), rangeBytes(v, f, m)));
            return Assignment.fresh(f, m, p, end);
        }
        return null;
    }

    /**
     * The mirror's part of the remaining work (free and in flight) if every mirror finished at once, less
     * its own latency — of the whole download with {@code job-finish} (no sooner than the file's own
     * finish), else of the file; at most {@code target-duration} of its throughput but at least long
     * enough to amortise its latency. Unmeasured mirrors get a probe.
     */
    private double rangeBytes(SchedulerView v, int f, int m) {
        MirrorBook book = v.book();
        double rate = book.throughput(m);
        if (Double.isNaN(rate)) {
            return probeBytes;
        }
        double latency = Sizing.latencyOrZero(book, m);
        double wanted = rate * Math.max(targetDuration, latencyFactor * latency);
        double agg = Sizing.aggregateRate(v, f, -1);
        if (!(agg > 0)) {
            return wanted;
        }
        double finish = remainingWork(v, f) / agg;
        if (jobFinish) {
            // Splitting a file across mirrors costs each of them a request (a round trip of idle link)
            // and buys nothing while other files are waiting: what must end together is the download.
            double all = Sizing.aggregateRate(v, -1, -1);
            if (all > 0) {
                finish = Math.max(finish, remainingWork(v, -1) / all);
            }
        }
        double bytes = Math.min(wanted, rate * Math.max(0, finish - latency));
        bytes = Math.min(bytes, book.rangeCap(m));
        if (ramp) {
            // Like TCP slow start: a mirror is trusted with at most twice what it has delivered so far, so
            // one optimistic early sample (a server's burst, a full socket buffer) cannot hand it a huge range.
            bytes = Math.min(bytes, Math.max(probeBytes, 2.0 * book.bytes(m)));
        }
        return bytes;
    }

    /** Bytes still to come for file {@code f} (-1: every active file): free pieces plus what live requests have left. */
    private static long remainingWork(SchedulerView v, int f) {
        long work = 0;
        int from = f < 0 ? 0 : f;
        int to = f < 0 ? v.fileCount() : f + 1;
        for (int g = from; g < to; g++) {
            FileView fv = v.file(g);
            if (f >= 0 || fv.isActive()) {
                work += fv.freeBytes();
            }
        }
        for (int i = 0; i < v.liveCount(); i++) {
            RequestView r = v.live(i);
            if ((f < 0 || r.file() == f) && !r.isCancelled()) {
                work += r.remainingBytes();
            }
        }
        return work;
    }

    /**
     * Drops candidates that would deliver even one piece later than the other mirrors could finish the
     * file's remaining work. The others' finish is counted in whole pieces, from when each of their
     * connections comes free (after what it is fetching now, for any file): three fast mirrors busy with a
     * piece each do not finish two free pieces "in 28 ms" because their summed rate says so, and an idle
     * mirror that would deliver one of them sooner than they can is not kept off the file. Unmeasured
     * mirrors are never gated: they must be probed.
     */
    private int removeGated(SchedulerView v, int f, int n) {
        MirrorBook book = v.book();
        FileView fv = v.file(f);
        if (!(Sizing.aggregateRate(v, f, -1) > 0)) {
            return n;
        }
        int pieceBytes = fv.plan().pieceLength(Math.max(0, fv.nextFree(0)));
        int kept = 0;
        for (int i = 0; i < n; i++) {
            int m = buf[i];
            double rate = book.throughput(m);
            boolean gated = false;
            if (!Double.isNaN(rate) && rate > 0) {
                double mine = Sizing.latencyOrZero(book, m) + pieceBytes / rate;
                gated = othersFinishFirst(v, f, m, pieceBytes, mine);
            }
            if (!gated) {
                buf[kept++] = m;
            }
        }
        return kept;
    }

    /** Largest number of free pieces placed one by one; beyond it the others' rates are summed (fluid). */
    private static final int PLACED_PIECES = 64;
    private double[] freeAt = new double[16];
    private double[] connRate = new double[16];

    /**
     * Whether the mirrors other than {@code exclude} could deliver the file's free pieces and their own live
     * requests on it before {@code mine} seconds from now. Their summed rate gives a lower bound on their
     * finish; only when that bound is below {@code mine} are the last pieces placed one by one.
     */
    private boolean othersFinishFirst(SchedulerView v, int f, int exclude, int pieceBytes, double mine) {
        MirrorBook book = v.book();
        FileView fv = v.file(f);
        double now = v.now();
        int servers = 0;
        double sumRate = 0;
        double pending = 0;
        double finish = 0;
        for (int k = 0; k < fv.mirrorCount(); k++) {
            int j = fv.mirror(k);
            double r = book.throughput(j);
            if (j == exclude || !v.mayServe(f, j) || !book.isUsable(j, now) || Double.isNaN(r) || !(r > 0)) {
                continue;
            }
            int conns = Math.max(1, book.connectionLimit(j));
            double latency = Sizing.latencyOrZero(book, j);
            int first = servers;
            for (int c = 0; c < conns; c++) {
                if (servers == freeAt.length) {
                    freeAt = Arrays.copyOf(freeAt, servers * 2);
                    connRate = Arrays.copyOf(connRate, servers * 2);
                }
                freeAt[servers] = latency;
                connRate[servers] = r;
                servers++;
            }
            // Its live requests occupy its connections first; one on this file also bounds the finish.
            int next = first;
            for (int i = 0; i < v.liveCount(); i++) {
                RequestView q = v.live(i);
                if (q.mirror() != j || q.isCancelled()) {
                    continue;
                }
                double left = q.remainingBytes() / r;
                if (q.file() == f) {
                    finish = Math.max(finish, left);
                }
                freeAt[next] = Math.max(freeAt[next], left + latency);
                pending += q.remainingBytes();
                next = next + 1 < servers ? next + 1 : first;
            }
            sumRate += r * conns;
        }
        if (servers == 0) {
            return false;
        }
        double fluid = Math.max(finish, (pending + fv.freeBytes()) / sumRate);
        int pieces = fv.freeCount();
        if (mine <= fluid || pieces > PLACED_PIECES) {
            return mine > fluid;
        }
        for (int p = 0; p < pieces; p++) {
            int best = 0;
            double bestEnd = Double.POSITIVE_INFINITY;
            for (int s = 0; s < servers; s++) {
                double e = freeAt[s] + pieceBytes / connRate[s];
                if (e < bestEnd) {
                    bestEnd = e;
                    best = s;
                }
            }
            freeAt[best] = bestEnd;
            finish = Math.max(finish, bestEnd);
        }
        return mine > finish;
    }

    /**
     * Drops untested candidates once the client already knows enough good mirrors for the file to fill
     * every connection it may open for it: "good" is at least a quarter of the best measured rate. Probing
     * costs a connection for a whole probe; when the tracker lists more mirrors than the client can use,
     * probing every one (as {@code fastest-ewma} alone would) spends that on the slow ones too.
     */
    private int removeNeedlessProbes(SchedulerView v, int f, int n) {
        MirrorBook book = v.book();
        boolean untested = false;
        for (int i = 0; i < n && !untested; i++) {
            untested = !book.hasThroughput(buf[i]);
        }
        if (!untested) {
            return n; // the common case once mirrors are measured: nothing to decide
        }
        FileView fv = v.file(f);
        int slots = v.config().maxConnections();
        if (v.config().maxPerFile() > 0) {
            slots = Math.min(slots, v.config().maxPerFile());
        }
        double best = 0;
        for (int k = 0; k < fv.mirrorCount(); k++) {
            int m = fv.mirror(k);
            if (book.hasThroughput(m) && v.mayServe(f, m) && book.isUsable(m, v.now())) {
                best = Math.max(best, book.throughput(m));
            }
        }
        if (!(best > 0)) {
            return n;
        }
        int good = 0;
        for (int k = 0; k < fv.mirrorCount() && good < slots; k++) {
            int m = fv.mirror(k);
            if (book.hasThroughput(m) && v.mayServe(f, m) && book.isUsable(m, v.now())
                    && book.throughput(m) >= best / 4) {
                good += Math.max(1, book.connectionLimit(m));
            }
        }
        if (good < slots) {
            return n;
        }
        int kept = 0;
        for (int i = 0; i < n; i++) {
            if (book.hasThroughput(buf[i])) {
                buf[kept++] = buf[i];
            }
        }
        return kept;
    }

    /** Registers {@code adaptive}. */
    public static final class Factory implements StrategyFactory<ChunkStrategy> {
        @Override
        public Family family() {
            return Family.CHUNK;
        }

        @Override
        public String id() {
            return "adaptive";
        }

        @Override
        public String summary() {
            return "pull-based, throughput-sized ranges, slow-start ramp, finish-time gate, steal and hedge";
        }

        @Override
        public String origin() {
            return "mirrorswarm (after guided self-scheduling and The Tail at Scale)";
        }

        @Override
        public String defaultSelector() {
            return "fastest-ewma";
        }

        @Override
        public String defaultTail() {
            return "steal-hedge";
        }

        @Override
        public List<ParamSpec> params() {
            return List.of(
                    ParamSpec.ofBytes("probe-size", 256L << 10, "first request to a mirror without a throughput estimate"),
                    ParamSpec.ofSeconds("target-duration", 2.0, "aim for requests about this long at the mirror's rate"),
                    ParamSpec.ofDouble("latency-factor", 8.0, "requests last at least this many latencies"),
                    ParamSpec.ofBoolean("gate", true, "keep slow mirrors off the last pieces"),
                    ParamSpec.ofBoolean("ramp", true, "at most twice what the mirror has delivered so far per range"),
                    ParamSpec.ofBoolean("lazy-probe", true,
                            "probe untested mirrors only until enough good ones fill the connections"),
                    ParamSpec.ofBoolean("job-finish", true,
                            "size ranges to the whole download's finish, not the file's: many files are fetched whole"));
        }

        @Override
        public ChunkStrategy create(Params params) {
            return new ChunkAdaptive(params.getBytes("probe-size"), params.getSeconds("target-duration"),
                    params.getDouble("latency-factor"), params.getBoolean("gate"), params.getBoolean("ramp"),
                    params.getBoolean("lazy-probe"), params.getBoolean("job-finish"));
        }
    }
}
