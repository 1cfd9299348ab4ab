package org.mirrorswarm.strategies.chunk;

import java.util.ArrayList;
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
 * {@code round-robin}: fixed-size chunks dealt to the mirrors in turn when a file is first seen (chunk
 * k to mirror k mod N, the deal continuing across files), each mirror working through its own pile.
 * Classic static round-robin striping, as RAID-0 lays out stripes; a slow mirror keeps its whole pile.
 * Chunks of a mirror that can no longer serve the file are dealt again over the others.
 * Cost: O(chunks of the file) per decision.
 */
public final class ChunkRoundRobin implements ChunkStrategy {
    private final long chunkBytes;
    private final List<int[]> owners = new ArrayList<>();
    private int deal;

    ChunkRoundRobin(long chunkBytes) {
        this.chunkBytes = chunkBytes;
    }

    @Override
    public Assignment next(SchedulerView v) {
        for (int f = 0; f < v.fileCount(); f++) {
            FileView fv = v.file(f);
            if (!fv.isActive() || fv.freeCount() == 0) {
                continue;
            }
            int per = Sizing.piecesFor(fv.plan(), chunkBytes);
            int[] owner = ownersOf(v, f, per);
            if (owner == null) {
                continue;
            }
            for (int c = 0; c < owner.length; c++) {
                int from = c * per;
                int to = Math.min(fv.plan().pieceCount(), from + per);
                int p = fv.nextFree(from);
                if (p < 0) {
                    break;
                }
                if (p >= to) {
                    c = p / per - 1; // skip chunks with nothing free
                    continue;
                }
                if (!v.mayServe(f, owner[c])) {
                    int m = dealOne(v, f);
                    if (m < 0) {
                        break;
                    }
                    owner[c] = m;
                }
                if (v.canStart(f, owner[c])) {
                    return Assignment.fresh(f, owner[c], p, Math.min(to, fv.freeRunEnd(p)));
                }
            }
        }
        return null;
    }

    private int[] ownersOf(SchedulerView v, int f, int per) {
        while (owners.size() <= f) {
            owners.add(null);
        }
        int[] o = owners.get(f);
        if (o == null) {
            int pieces = v.file(f).plan().pieceCount();
            o = new int[(pieces + per - 1) / per];
            for (int c = 0; c < o.length; c++) {
                o[c] = dealOne(v, f);
                if (o[c] < 0) {
                    return null;
                }
            }
            owners.set(f, o);
        }
        return o;
    }

    /** The next mirror in the deal that may serve the file, or -1 when none may. */
    private int dealOne(SchedulerView v, int f) {
        FileView fv = v.file(f);
        int n = fv.mirrorCount();
        for (int tries = 0; tries < n; tries++) {
            int m = fv.mirror(Math.floorMod(deal++, n));
            if (v.mayServe(f, m)) {
                return m;
            }
        }
        return -1;
    }

    /** Registers {@code round-robin}. */
    public static final class Factory implements StrategyFactory<ChunkStrategy> {
        @Override
        public Family family() {
            return Family.CHUNK;
        }

        @Override
        public String id() {
            return "round-robin";
        }

        @Override
        public String summary() {
            return "fixed chunks dealt to the mirrors in turn, up front";
        }

        @Override
        public String origin() {
            return "static round-robin striping (RAID-0 layout)";
        }

        @Override
        public List<ParamSpec> params() {
            return List.of(ParamSpec.ofBytes("chunk-size", 1L << 20, "bytes per chunk, rounded to whole pieces"));
        }

        @Override
        public ChunkStrategy create(Params params) {
            long c = params.getBytes("chunk-size");
            if (c <= 0) {
                throw new IllegalArgumentException("round-robin parameter chunk-size must be positive");
            }
            return new ChunkRoundRobin(c);
        }
    }
}
