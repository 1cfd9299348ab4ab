package org.mirrorswarm.strategies.tail;

import org.mirrorswarm.strategies.spi.Assignment;
import org.mirrorswarm.strategies.spi.Family;
import org.mirrorswarm.strategies.spi.FileView;
import org.mirrorswarm.strategies.spi.Params;
import org.mirrorswarm.strategies.spi.RequestView;
import org.mirrorswarm.strategies.spi.SchedulerView;
import org.mirrorswarm.strategies.spi.StrategyFactory;
import org.mirrorswarm.strategies.spi.TailPolicy;

/**
 * {@code endgame}: BitTorrent's end game (Cohen 2003; BEP 3 clients): once every missing piece of a
 * file is in flight, idle connections fetch copies of the remaining ranges — largest remainder first —
 * on other mirrors; the first copy of a piece to verify wins and the scheduler cancels the losers.
 * Wastes the losers' bytes to cut the tail. Cost: O(live requests²) per decision.
 */
public final class TailEndgame implements TailPolicy {
    private int[] buf = new int[8];

    @Override
    public Assignment next(SchedulerView v) {
        for (int f = 0; f < v.fileCount(); f++) {
            FileView fv = v.file(f);
            if (!fv.isActive() || fv.freeCount() > 0) {
                continue;
            }
            buf = Tails.buffer(buf, v, f);
            java.util.BitSet tried = new java.util.BitSet();
            // Largest remaining range first; fall through to smaller ones when no mirror can copy it.
            while (true) {
                RequestView best = null;
                long bestBytes = -1;
                for (int i = 0; i < v.liveCount(); i++) {
                    RequestView r = v.live(i);
                    if (r.file() != f || r.isCancelled() || tried.get(r.id())
                            || Tails.copyableEnd(v, r) == r.position()) {
                        continue;
                    }
                    long rem = r.remainingBytes();
                    if (rem > bestBytes) {
                        best = r;
                        bestBytes = rem;
                    }
                }
                if (best == null) {
                    break;
                }
                int end = Tails.copyableEnd(v, best);
                int m = Tails.chooseFor(v, f, best.position(), end, Double.POSITIVE_INFINITY, buf);
                if (m >= 0) {
                    return Assignment.duplicate(f, m, best.position(), end);
                }
                tried.set(best.id());
            }
        }
        return null;
    }

    /** Registers {@code endgame}. */
    public static final class Factory implements StrategyFactory<TailPolicy> {
        @Override
        public Family family() {
            return Family.TAIL;
        }

        @Override
        public String id() {
            return "endgame";
        }

        @Override
        public String summary() {
            return "once all is in flight, copy the remaining ranges on idle mirrors";
        }

        @Override
        public String origin() {
            return "BitTorrent end game mode (Cohen 2003)";
        }

        @Override
        public TailPolicy create(Params params) {
            return new TailEndgame();
        }
    }
}
