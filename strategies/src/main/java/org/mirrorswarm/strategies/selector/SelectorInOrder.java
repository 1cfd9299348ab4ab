package org.mirrorswarm.strategies.selector;

import org.mirrorswarm.strategies.spi.Family;
import org.mirrorswarm.strategies.spi.MirrorSelector;
import org.mirrorswarm.strategies.spi.Params;
import org.mirrorswarm.strategies.spi.SchedulerView;
import org.mirrorswarm.strategies.spi.StrategyFactory;

/**
 * {@code in-order}: always the most preferred candidate (Metalink priority, tracker ranking) — plain
 * failover as librepo does. Cost: O(1).
 */
public final class SelectorInOrder implements MirrorSelector {
    @Override
    public int select(SchedulerView v, int file, int[] candidates, int count) {
        return candidates[0];
    }

    /** Registers {@code in-order}. */
    public static final class Factory implements StrategyFactory<MirrorSelector> {
        @Override
        public Family family() {
            return Family.SELECTOR;
        }

        @Override
        public String id() {
            return "in-order";
        }

        @Override
        public String summary() {
            return "the first candidate in the file's preference order";
        }

        @Override
        public String origin() {
            return "Metalink priority order; yum/librepo failover";
        }

        @Override
        public MirrorSelector create(Params params) {
            return new SelectorInOrder();
        }
    }
}
