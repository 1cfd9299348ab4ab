package org.mirrorswarm.strategies.selector;

import org.mirrorswarm.strategies.spi.Family;
import org.mirrorswarm.strategies.spi.MirrorSelector;
import org.mirrorswarm.strategies.spi.Params;
import org.mirrorswarm.strategies.spi.SchedulerView;
import org.mirrorswarm.strategies.spi.StrategyFactory;

/**
 * {@code random}: a uniformly random candidate from the scheduler's seeded stream — one choice in the
 * balls-into-bins sense, whose maximum load grows as ln n / ln ln n. Cost: O(1).
 */
public final class SelectorRandom implements MirrorSelector {
    @Override
    public int select(SchedulerView v, int file, int[] candidates, int count) {
        return candidates[v.random().nextInt(count)];
    }

    /** Registers {@code random}. */
    public static final class Factory implements StrategyFactory<MirrorSelector> {
        @Override
        public Family family() {
            return Family.SELECTOR;
        }

        @Override
        public String id() {
            return "random";
        }

        @Override
        public String summary() {
            return "a uniformly random candidate";
        }

        @Override
        public String origin() {
            return "uniform random choice (the d = 1 baseline of balls into bins)";
        }

        @Override
        public MirrorSelector create(Params params) {
            return new SelectorRandom();
        }
    }
}
