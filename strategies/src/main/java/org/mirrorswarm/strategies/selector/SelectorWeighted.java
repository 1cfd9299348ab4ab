package org.mirrorswarm.strategies.selector;

import org.mirrorswarm.strategies.MirrorBook;
import org.mirrorswarm.strategies.spi.Family;
import org.mirrorswarm.strategies.spi.MirrorSelector;
import org.mirrorswarm.strategies.spi.Params;
import org.mirrorswarm.strategies.spi.SchedulerView;
import org.mirrorswarm.strategies.spi.StrategyFactory;

/**
 * {@code weighted}: a random candidate with probability proportional to its weight from the tracker,
 * as MirrorBrain picks by score and MirrorManager by bandwidth within a class; uniform when all weights
 * are zero. Cost: O(candidates).
 */
public final class SelectorWeighted implements MirrorSelector {
    @Override
    public int select(SchedulerView v, int file, int[] candidates, int count) {
        MirrorBook book = v.book();
        double total = 0;
        for (int i = 0; i < count; i++) {
            total += book.mirror(candidates[i]).weight();
        }
        if (!(total > 0)) {
            return candidates[v.random().nextInt(count)];
        }
        double x = v.random().nextDouble() * total;
        for (int i = 0; i < count; i++) {
            x -= book.mirror(candidates[i]).weight();
            if (x < 0) {
                return candidates[i];
            }
        }
        for (int i = count - 1; i >= 0; i--) {
            if (book.mirror(candidates[i]).weight() > 0) {
                return candidates[i];
            }
        }
        return candidates[count - 1];
    }

    /** Registers {@code weighted}. */
    public static final class Factory implements StrategyFactory<MirrorSelector> {
        @Override
        public Family family() {
            return Family.SELECTOR;
        }

        @Override
        public String id() {
            return "weighted";
        }

        @Override
        public String summary() {
            return "random, weighted by the tracker's mirror weights";
        }

        @Override
        public String origin() {
            return "MirrorBrain / MirrorManager weighted random choice by score or bandwidth";
        }

        @Override
        public MirrorSelector create(Params params) {
            return new SelectorWeighted();
        }
    }
}
