package org.mirrorswarm.strategies.selector;

import org.mirrorswarm.strategies.MirrorBook;
import org.mirrorswarm.strategies.spi.Family;
import org.mirrorswarm.strategies.spi.MirrorSelector;
import org.mirrorswarm.strategies.spi.Params;
import org.mirrorswarm.strategies.spi.SchedulerView;
import org.mirrorswarm.strategies.spi.StrategyFactory;

/**
 * {@code fastest-ewma}: the candidate with the highest EWMA throughput per connection, after trying every
 * untested candidate once (in preference order) so that each gets a measurement. Greedy; in a crowd all
 * clients converge on the same mirror, which is what {@code p2c-peak-ewma} avoids. Cost: O(candidates).
 */
public final class SelectorFastestEwma implements MirrorSelector {
    @Override
    public int select(SchedulerView v, int file, int[] candidates, int count) {
        MirrorBook book = v.book();
        int best = -1;
        for (int i = 0; i < count; i++) {
            int m = candidates[i];
            if (!book.hasThroughput(m)) {
                return m;
            }
            if (best < 0 || book.throughput(m) > book.throughput(best)) {
                best = m;
            }
        }
        return best;
    }

    /** Registers {@code fastest-ewma}. */
    public static final class Factory implements StrategyFactory<MirrorSelector> {
        @Override
        public Family family() {
            return Family.SELECTOR;
        }

        @Override
        public String id() {
            return "fastest-ewma";
        }

        @Override
        public String summary() {
            return "the highest EWMA throughput; untested mirrors first";
        }

        @Override
        public String origin() {
            return "aria2 speed estimate (mean of 5 samples, then EWMA 0.8/0.2), greedy choice";
        }

        @Override
        public MirrorSelector create(Params params) {
            return new SelectorFastestEwma();
        }
    }
}
