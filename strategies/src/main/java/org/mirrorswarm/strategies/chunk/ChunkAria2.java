package org.mirrorswarm.strategies.chunk;

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
 * {@code aria2}: aria2 1.36's default piece selection ("biggest hole" split, {@code BitfieldMan::
 * getSparseMissingUnusedIndex}) with its feedback URI selector as the default selector.
 *
 * <p>aria2 keeps one piece per connection in use; a connection streams on into the following pieces
 * while nobody else uses them. Here a request's remaining range plays that role: its current piece is
 * <em>in use</em> and the pieces after it are free for another connection to split off. For each run of
 * free pieces, if the piece before the run is in use the candidate start moves to the run's midpoint;
 * the longest candidate wins (on a tie, one right after a finished piece); it is accepted at piece 0,
 * right after a finished piece, or when the candidate run is at least {@code min-split-size} bytes —
 * which is why aria2 "does not split less than 2×SIZE". The request then runs to the end of that run,
 * shrinking the request it split. Cost: O(pieces of the file) per decision.
 */
public final class ChunkAria2 implements ChunkStrategy {
    private final long minSplitSize;

    ChunkAria2(long minSplitSize) {
        this.minSplitSize = minSplitSize;
    }

    @Override
    public Assignment next(SchedulerView v) {
        for (int f = 0; f < v.fileCount(); f++) {
            FileView fv = v.file(f);
            if (!fv.isActive() || fv.doneCount() == fv.plan().pieceCount()) {
                continue;
            }
            Assignment a = pick(v, f);
            if (a != null) {
                return a;
            }
        }
        return null;
    }

    private Assignment pick(SchedulerView v, int f) {
        FileView fv = v.file(f);
        int pieces = fv.plan().pieceCount();
        int[] tentativeOwner = new int[pieces];
        boolean[] used = new boolean[pieces];
        java.util.Arrays.fill(tentativeOwner, -1);
        for (int i = 0; i < v.liveCount(); i++) {
            RequestView r = v.live(i);
            if (r.file() != f || r.position() >= r.endPiece()) {
                continue;
            }
            used[r.position()] = true;
            for (int q = r.position() + 1; q < r.endPiece(); q++) {
                // A piece held by two requests (a duplicate) is not aria2's to split.
                tentativeOwner[q] = fv.holders(q) == 1 ? r.id() : -2;
            }
        }
        int bestStart = -1;
        int bestEnd = -1;
        boolean bestAfterFinished = false;
        int p = 0;
        while (p < pieces) {
            if (!isFree(fv, used, tentativeOwner, p)) {
                p++;
                continue;
            }
            int runStart = p;
            int owner = tentativeOwner[p];
            // A run is the tentative tail of at most one request followed by unheld pieces: every
            // request's range starts with its piece in use, which ends any run before it.
            int q = p + 1;
            while (q < pieces && isFree(fv, used, tentativeOwner, q)
                    && (tentativeOwner[q] == owner || tentativeOwner[q] == -1)) {
                q++;
            }
            int runEnd = q;
            int start = runStart;
            if (runStart > 0 && used[runStart - 1]) {
                start = runStart + (runEnd - runStart) / 2;
            }
            boolean afterFinished = start > 0 && fv.isDone(start - 1) && !used[start - 1];
            int len = runEnd - start;
            int bestLen = bestEnd - bestStart;
            if (bestStart < 0 || len > bestLen || (len == bestLen && afterFinished && !bestAfterFinished)) {
                bestStart = start;
                bestEnd = runEnd;
                bestAfterFinished = afterFinished;
            }
            p = runEnd;
        }
        if (bestStart < 0) {
            return null;
        }
        boolean accept = bestStart == 0 || bestAfterFinished
                || fv.plan().bytes(bestStart, bestEnd) >= minSplitSize;
        if (!accept) {
            return null;
        }
        int m = v.choose(f, -1);
        if (m < 0) {
            return null;
        }
        int victim = fv.holders(bestStart) > 0 ? tentativeOwner[bestStart] : -1;
        return victim >= 0 ? Assignment.steal(f, m, bestStart, bestEnd, victim)
                : Assignment.fresh(f, m, bestStart, bestEnd);
    }

    /** Not done, not in use, and either free or the tentative tail of exactly one request. */
    private static boolean isFree(FileView fv, boolean[] used, int[] tentativeOwner, int p) {
        if (fv.isDone(p) || used[p]) {
            return false;
        }
        return fv.holders(p) == 0 || tentativeOwner[p] >= 0;
    }

    /** Registers {@code aria2}. */
    public static final class Factory implements StrategyFactory<ChunkStrategy> {
        @Override
        public Family family() {
            return Family.CHUNK;
        }

        @Override
        public String id() {
            return "aria2";
        }

        @Override
        public String summary() {
            return "aria2's biggest-hole split with its feedback mirror selector";
        }

        @Override
        public String origin() {
            return "aria2 1.36 BitfieldMan::getSparseMissingUnusedIndex and FeedbackURISelector";
        }

        @Override
        public String defaultSelector() {
            return "aria2-feedback";
        }

        @Override
        public List<ParamSpec> params() {
            return List.of(ParamSpec.ofBytes("min-split-size", 20L << 20,
                    "aria2 -k: a run after a piece in use is split only if its second half is this big"));
        }

        @Override
        public ChunkStrategy create(Params params) {
            return new ChunkAria2(params.getBytes("min-split-size"));
        }
    }
}
