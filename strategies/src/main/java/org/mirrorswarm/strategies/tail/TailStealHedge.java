package org.mirrorswarm.strategies.tail;

import java.util.List;
import org.mirrorswarm.strategies.spi.Assignment;
import org.mirrorswarm.strategies.spi.Family;
import org.mirrorswarm.strategies.spi.ParamSpec;
import org.mirrorswarm.strategies.spi.Params;
import org.mirrorswarm.strategies.spi.SchedulerView;
import org.mirrorswarm.strategies.spi.StrategyFactory;
import org.mirrorswarm.strategies.spi.TailPolicy;

/**
 * {@code steal-hedge}: {@code steal} first, then {@code hedge}. An idle mirror first takes the back part
 * of the range expected to finish last (no byte fetched twice); only a request stalled inside the piece
 * it is on — which stealing cannot help — gets a hedged copy, within the hedge budget. A range handed to a
 * mirror that turns out slower than it measured at first is thus split rather than waited for.
 * Cost: O(live requests) per decision.
 */
public final class TailStealHedge implements TailPolicy {
    private final TailSteal steal = new TailSteal();
    private final TailHedge hedge;

    TailStealHedge(TailHedge hedge) {
        this.hedge = hedge;
    }

    @Override
    public Assignment next(SchedulerView v) {
        Assignment a = steal.next(v);
        return a != null ? a : hedge.next(v);
    }

    /** Registers {@code steal-hedge}. */
    public static final class Factory implements StrategyFactory<TailPolicy> {
        private final TailHedge.Factory hedge = new TailHedge.Factory();

        @Override
        public Family family() {
            return Family.TAIL;
        }

        @Override
        public String id() {
            return "steal-hedge";
        }

        @Override
        public String summary() {
            return "split the slowest range to an idle mirror; hedge a request stalled inside a piece";
        }

        @Override
        public String origin() {
            return "work stealing (Blumofe & Leiserson 1999) then hedged requests (Dean & Barroso 2013)";
        }

        @Override
        public List<ParamSpec> params() {
            return hedge.params();
        }

        @Override
        public TailPolicy create(Params params) {
            return new TailStealHedge((TailHedge) hedge.create(params));
        }
    }
}
