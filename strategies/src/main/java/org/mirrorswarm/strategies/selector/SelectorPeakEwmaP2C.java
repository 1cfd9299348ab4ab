package org.mirrorswarm.strategies.selector;

import org.mirrorswarm.strategies.MirrorBook;
import org.mirrorswarm.strategies.spi.Family;
import org.mirrorswarm.strategies.spi.MirrorSelector;
import org.mirrorswarm.strategies.spi.Params;
import org.mirrorswarm.strategies.spi.SchedulerView;
import org.mirrorswarm.strategies.spi.StrategyFactory;

/**
 * {@code p2c-peak-ewma}: draw two distinct candidates at random and keep the cheaper, where cost is
 * Finagle's peak-EWMA latency plus the time one piece takes at the mirror's EWMA throughput, times
 * (requests in flight + 1). Two choices cut the worst load from ln n / ln ln n to ln ln n / ln 2
 * (Mitzenmacher 2001); the peak EWMA reacts at once to a slowdown and forgives slowly. As in Finagle,
 * a mirror with no measurement costs nothing while idle (so it gets tried) and a penalty plus its queue
 * length while busy (so load still counts before the first sample). Cost: O(1).
 */
public final class SelectorPeakEwmaP2C implements MirrorSelector {
    @Override
    public int select(SchedulerView v, int file, int[] candidates, int count) {
        if (count == 1) {
            return candidates[0];
        }
        int i = v.random().nextInt(count);
        int j = v.random().nextInt(count - 1);
        if (j >= i) {
            j++;
        }
        int a = Math.min(i, j);
        int b = Math.max(i, j);
        double piece = v.file(file).plan().pieceLength();
        return cost(v, candidates[b], piece) < cost(v, candidates[a], piece) ? candidates[b] : candidates[a];
    }

    /** Cost of an unmeasured mirror that is busy: above any measured cost, ordered by queue length. */
    private static final double PENALTY = 1e12;

    /** Expected time for one piece on mirror {@code m}, times its queue length plus one. */
    static double cost(SchedulerView v, int m, double pieceBytes) {
        MirrorBook book = v.book();
        double latency = book.latency(m, v.now());
        double rate = book.throughput(m);
        double t = (Double.isNaN(latency) ? 0 : latency) + (Double.isNaN(rate) || rate <= 0 ? 0 : pieceBytes / rate);
        int pending = book.inFlight(m);
        if (t == 0 && pending > 0) {
            return PENALTY + pending;
        }
        return t * (pending + 1);
    }

    /** Registers {@code p2c-peak-ewma}. */
    public static final class Factory implements StrategyFactory<MirrorSelector> {
        @Override
        public Family family() {
            return Family.SELECTOR;
        }

        @Override
        public String id() {
            return "p2c-peak-ewma";
        }

        @Override
        public String summary() {
            return "power of two choices on Finagle's peak-EWMA cost";
        }

        @Override
        public String origin() {
            return "Mitzenmacher, power of two choices; Finagle peak EWMA load metric";
        }

        @Override
        public MirrorSelector create(Params params) {
            return new SelectorPeakEwmaP2C();
        }
    }
}
