package org.mirrorswarm.strategies.tail;

import org.mirrorswarm.strategies.spi.Assignment;
import org.mirrorswarm.strategies.spi.Family;
import org.mirrorswarm.strategies.spi.Params;
import org.mirrorswarm.strategies.spi.SchedulerView;
import org.mirrorswarm.strategies.spi.StrategyFactory;
import org.mirrorswarm.strategies.spi.TailPolicy;

/**
 * {@code none}: idle connections stay idle; the slowest request decides when the file is done — what
 * aria2 does (no endgame), so its users see downloads stuck at 95–99% on one slow connection. Cost: O(1).
 */
public final class TailNone implements TailPolicy {
    @Override
    public Assignment next(SchedulerView view) {
        return null;
    }

    /** Registers {@code none}. */
    public static final class Factory implements StrategyFactory<TailPolicy> {
        @Override
        public Family family() {
            return Family.TAIL;
        }

        @Override
        public String id() {
            return "none";
        }

        @Override
        public String summary() {
            return "do nothing: the slowest request finishes the file";
        }

        @Override
        public String origin() {
            return "aria2 1.36 (no endgame requests)";
        }

        @Override
        public TailPolicy create(Params params) {
            return new TailNone();
        }
    }
}
