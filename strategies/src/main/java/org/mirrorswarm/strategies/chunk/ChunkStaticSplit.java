package org.mirrorswarm.strategies.chunk;

import java.util.ArrayList;
import java.util.List;
import org.mirrorswarm.strategies.spi.Assignment;
import org.mirrorswarm.strategies.spi.ChunkStrategy;
import org.mirrorswarm.strategies.spi.Family;
import org.mirrorswarm.strategies.spi.FileView;
import org.mirrorswarm.strategies.spi.ParamSpec;
import org.mirrorswarm.strategies.spi.Params;
import org.mirrorswarm.strategies.spi.RequestView;
import org.mirrorswarm.strategies.spi.SchedulerView;
import org.mirrorswarm.strategies.spi.StrategyFactory;

/**
 * {@code static-split}: the 2004 sketch — cut each file into N equal shares, one per mirror, fetch them
 * in parallel, and never rebalance: the slowest mirror sets the finish time. A share whose mirror can no
 * longer serve the file moves to the next mirror that holds no share. Cost: O(shares) per decision.
 */
public final class ChunkStaticSplit implements ChunkStrategy {
    private final int splits;
    private final List<Shares> shares = new ArrayList<>();

    ChunkStaticSplit(int splits) {
        this.splits = splits;
    }

    /** Share boundaries and owners of one file. */
    private static final class Shares {
        final int[] start;
        final int[] owner;

        Shares(int n) {
            start = new int[n + 1];
            owner = new int[n];
        }
    }

    @Override
    public Assignment next(SchedulerView v) {
        for (int f = 0; f < v.fileCount(); f++) {
            FileView fv = v.file(f);
            if (!fv.isActive() || fv.freeCount() == 0) {
                continue;
            }
            Shares s = sharesOf(v, f);
            if (s == null) {
                continue;
            }
            for (int i = 0; i < s.owner.length; i++) {
                if (inFlight(v, f, s.start[i], s.start[i + 1])) {
                    continue;
                }
                int p = fv.nextFree(s.start[i]);
                if (p < 0 || p >= s.start[i + 1]) {
                    continue;
                }
                if (s.owner[i] < 0 || !v.mayServe(f, s.owner[i])) {
                    s.owner[i] = replacement(v, f, s);
                    if (s.owner[i] < 0) {
                        continue;
                    }
                }
                if (v.canStart(f, s.owner[i])) {
                    int end = Math.min(fv.freeRunEnd(p), s.start[i + 1]);
                    return Assignment.fresh(f, s.owner[i], p, end);
                }
            }
        }
        return null;
    }

    /** True when a live, uncancelled request of the file still covers part of {@code [from, to)}. */
    private static boolean inFlight(SchedulerView v, int f, int from, int to) {
        for (int i = 0; i < v.liveCount(); i++) {
            RequestView r = v.live(i);
            if (r.file() == f && !r.isCancelled() && r.position() < r.endPiece()
                    && r.position() < to && from < r.endPiece()) {
                return true;
            }
        }
        return false;
    }

    private Shares sharesOf(SchedulerView v, int f) {
        while (shares.size() <= f) {
            shares.add(null);
        }
        Shares s = shares.get(f);
        if (s != null) {
            return s;
        }
        FileView fv = v.file(f);
        List<Integer> usable = new ArrayList<>();
        for (int k = 0; k < fv.mirrorCount(); k++) {
            if (v.mayServe(f, fv.mirror(k))) {
                usable.add(fv.mirror(k));
            }
        }
        if (usable.isEmpty()) {
            return null;
        }
        int n = usable.size();
        if (splits > 0) {
            n = Math.min(n, splits);
        }
        int perFile = v.config().maxPerFile();
        n = Math.min(n, Math.min(v.config().maxConnections(), perFile > 0 ? perFile : Integer.MAX_VALUE));
        int pieces = fv.plan().pieceCount();
        n = Math.max(1, Math.min(n, pieces));
        s = new Shares(n);
        for (int i = 0; i <= n; i++) {
            s.start[i] = (int) ((long) pieces * i / n);
        }
        for (int i = 0; i < n; i++) {
            s.owner[i] = usable.get(i);
        }
        shares.set(f, s);
        return s;
    }

    /** The first mirror that may serve the file and owns no share, else the first that may serve it. */
    private static int replacement(SchedulerView v, int f, Shares s) {
        FileView fv = v.file(f);
        int fallback = -1;
        for (int k = 0; k < fv.mirrorCount(); k++) {
            int m = fv.mirror(k);
            if (!v.mayServe(f, m)) {
                continue;
            }
            boolean owns = false;
            for (int o : s.owner) {
                owns |= o == m;
            }
            if (!owns) {
                return m;
            }
            if (fallback < 0) {
                fallback = m;
            }
        }
        return fallback;
    }

    /** Registers {@code static-split}. */
    public static final class Factory implements StrategyFactory<ChunkStrategy> {
        @Override
        public Family family() {
            return Family.CHUNK;
        }

        @Override
        public String id() {
            return "static-split";
        }

        @Override
        public String summary() {
            return "equal shares of each file to N mirrors, fixed up front";
        }

        @Override
        public String origin() {
            return "the 2004 yum mirror-swarm sketch (equal byte ranges per mirror)";
        }

        @Override
        public List<ParamSpec> params() {
            return List.of(ParamSpec.ofInt("splits", 0, "shares per file; 0 = one per mirror listed"));
        }

        @Override
        public ChunkStrategy create(Params params) {
            int n = params.getInt("splits");
            if (n < 0) {
                throw new IllegalArgumentException("static-split parameter splits must be >= 0, got " + n);
            }
            return new ChunkStaticSplit(n);
        }
    }
}
