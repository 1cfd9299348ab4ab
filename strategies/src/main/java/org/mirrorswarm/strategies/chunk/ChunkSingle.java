package org.mirrorswarm.strategies.chunk;

import org.mirrorswarm.strategies.spi.Assignment;
import org.mirrorswarm.strategies.spi.ChunkStrategy;
import org.mirrorswarm.strategies.spi.Family;
import org.mirrorswarm.strategies.spi.FileView;
import org.mirrorswarm.strategies.spi.Params;
import org.mirrorswarm.strategies.spi.SchedulerView;
import org.mirrorswarm.strategies.spi.StrategyFactory;

/**
 * {@code single}: each file comes whole from one mirror, failing over to the next in order when it
 * fails — what yum and dnf do today through librepo (whole files in parallel, no byte-range splitting).
 * Files still download in parallel up to the connection limits. Cost: O(files) per decision.
 */
public final class ChunkSingle implements ChunkStrategy {

    @Override
    public Assignment next(SchedulerView v) {
        for (int f = 0; f < v.fileCount(); f++) {
            FileView fv = v.file(f);
            if (!fv.isActive() || fv.activeRequests() > 0 || fv.freeCount() == 0) {
                continue;
            }
            int m = v.choose(f, -1);
            if (m < 0) {
                continue;
            }
            int p = fv.nextFree(0);
            return Assignment.fresh(f, m, p, fv.freeRunEnd(p));
        }
        return null;
    }

    /** Registers {@code single}. */
    public static final class Factory implements StrategyFactory<ChunkStrategy> {
        @Override
        public Family family() {
            return Family.CHUNK;
        }

        @Override
        public String id() {
            return "single";
        }

        @Override
        public String summary() {
            return "each file whole from one mirror, failing over in order";
        }

        @Override
        public String origin() {
            return "yum/dnf via librepo: whole files, no range splitting";
        }

        @Override
        public ChunkStrategy create(Params params) {
            return new ChunkSingle();
        }
    }
}
