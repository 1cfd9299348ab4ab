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
 * {@code work-queue}: each free connection pulls the next fixed-size chunk from one shared queue (files
 * in order, pieces in order), from the mirror the selector picks. Self-scheduling as in Hummel et al.'s
 * factoring family and BEP 19 web seeding; fast mirrors naturally take more chunks.
 * Cost: O(files) per decision.
 */
public final class ChunkWorkQueue implements ChunkStrategy {
    private final long chunkBytes;

    ChunkWorkQueue(long chunkBytes) {
        this.chunkBytes = chunkBytes;
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
            int end = Math.min(fv.freeRunEnd(p), p + Sizing.piecesFor(fv.plan(), chunkBytes));
            return Assignment.fresh(f, m, p, end);
        }
        return null;
    }

    /** Registers {@code work-queue}. */
    public static final class Factory implements StrategyFactory<ChunkStrategy> {
        @Override
        public Family family() {
            return Family.CHUNK;
        }

        @Override
        public String id() {
            return "work-queue";
        }

        @Override
        public String summary() {
            return "each free connection pulls the next fixed-size chunk";
        }

        @Override
        public String origin() {
            return "self-scheduling work queue; BEP 19 web-seed gap filling";
        }

        @Override
        public String defaultSelector() {
            return "fastest-ewma";
        }

        @Override
        public List<ParamSpec> params() {
            return List.of(ParamSpec.ofBytes("chunk-size", 1L << 20, "bytes per chunk, rounded to whole pieces"));
        }

        @Override
        public ChunkStrategy create(Params params) {
            long c = params.getBytes("chunk-size");
            if (c <= 0) {
                throw new IllegalArgumentException("work-queue parameter chunk-size must be positive");
            }
            return new ChunkWorkQueue(c);
        }
    }
}
