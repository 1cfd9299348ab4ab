package org.mirrorswarm.strategies.selector;

import org.mirrorswarm.strategies.MirrorBook;
import org.mirrorswarm.strategies.spi.Family;
import org.mirrorswarm.strategies.spi.MirrorSelector;
import org.mirrorswarm.strategies.spi.Params;
import org.mirrorswarm.strategies.spi.SchedulerView;
import org.mirrorswarm.strategies.spi.StrategyFactory;

/**
 * {@code least-loaded}: the candidate with the fewest of this client's requests in flight, ties to the
 * more preferred — join-the-shortest-queue, the "least connections" of nginx and HAProxy.
 * Cost: O(candidates).
 */
public final class SelectorLeastLoaded implements MirrorSelector {
    @Override
    public int select(SchedulerView v, int file, int[] candidates, int count) {
        MirrorBook book = v.book();
        int best = candidates[0];
        for (int i = 1; i < count; i++) {
            if (book.inFlight(candidates[i]) < book.inFlight(best)) {
                best = candidates[i];
            }
        }
        return best;
    }

    /** Registers {@code least-loaded}. */
    public static final class Factory implements StrategyFactory<MirrorSelector> {
        @Override
        public Family family() {
            return Family.SELECTOR;
        }

        @Override
        public String id() {
            return "least-loaded";
        }

        @Override
        public String summary() {
            return "the candidate with the fewest requests in flight";
        }

        @Override
        public String origin() {
            return "join-the-shortest-queue (least connections, as nginx and HAProxy balance)";
        }

        @Override
        public MirrorSelector create(Params params) {
            return new SelectorLeastLoaded();
        }
    }
}
