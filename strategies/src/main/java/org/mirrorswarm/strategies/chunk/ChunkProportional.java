package org.mirrorswarm.strategies.chunk;

import java.util.List;
import org.mirrorswarm.strategies.spi.Assignment;
import org.mirrorswarm.strategies.spi.ChunkStrategy;
import org.mirrorswarm.strategies.spi.Family;
import org.mirrorswarm.strategies.spi.FileView;
import org.mirrorswarm.strategies.spi.ParamSpec;
import org.mirrorswarm.strategies.spi.Params;
import org.mirrorswarm.strategies.spi.SchedulerView;
import org.mirrorswarm.strategies.spi.Sizing;
import org.mirrorswarm.strategies.spi.StrategyFactory;

/**
 * {@code proportional}: a free connection takes a range proportional to its mirror's measured share of
 * the aggregate throughput — its share of what is still unassigned, so that every mirror would finish
 * at once if rates held. Weighted guided self-scheduling (Polychronopoulos and Kuck, 1987: chunk =
 * remaining / P), with the weights measured; unmeasured mirrors first get a probe.
 * Cost: O(files + mirrors of the file) per decision.
 */
public final class ChunkProportional implements ChunkStrategy {
    private final long probeBytes;

    ChunkProportional(long probeBytes) {
        this.probeBytes = probeBytes;
    }

    @Override
    public Assignment next(SchedulerView v) {
        for (int f = 0; f < v.fileCount(); f++) {
            FileView fv = v.file(f);
            if (!fv.isActive() || fv.freeCount() == 0) {
                continue;
            }
            int m = v.choose(f, -1);
            if (m < 0) {
                continue;
            }
            int p = fv.nextFree(0);
            double rate = v.book().throughput(m);
            double bytes;
            if (Double.isNaN(rate)) {
                bytes = probeBytes;
            } else {
                double agg = Sizing.aggregateRate(v, f, -1);
                bytes = agg > 0 ? fv.freeBytes() * rate / agg : fv.freeBytes();
            }
            int end = Math.min(fv.freeRunEnd(p), p + Sizing.piecesFor(fv.plan(), bytes));
            return Assignment.fresh(f, m, p, end);
        }
        return null;
    }

    /** Registers {@code proportional}. */
    public static final class Factory implements StrategyFactory<ChunkStrategy> {
        @Override
        public Family family() {
            return Family.CHUNK;
        }

        @Override
        public String id() {
            return "proportional";
        }

        @Override
        public String summary() {
            return "ranges sized by each mirror's measured share of the throughput";
        }

        @Override
        public String origin() {
            return "weighted guided self-scheduling (Polychronopoulos & Kuck 1987)";
        }

        @Override
        public String defaultSelector() {
            return "fastest-ewma";
        }

        @Override
        public List<ParamSpec> params() {
            return List.of(ParamSpec.ofBytes("probe-size", 256L << 10,
                    "first request to a mirror without a throughput estimate"));
        }

        @Override
        public ChunkStrategy create(Params params) {
            return new ChunkProportional(params.getBytes("probe-size"));
        }
    }
}
