package org.mirrorswarm.strategies.tail;

import java.util.BitSet;
import java.util.List;
import org.mirrorswarm.strategies.spi.Assignment;
import org.mirrorswarm.strategies.spi.Family;
import org.mirrorswarm.strategies.spi.ParamSpec;
import org.mirrorswarm.strategies.spi.Params;
import org.mirrorswarm.strategies.spi.RequestView;
import org.mirrorswarm.strategies.spi.SchedulerView;
import org.mirrorswarm.strategies.spi.StrategyFactory;
import org.mirrorswarm.strategies.spi.TailPolicy;

/**
 * {@code hedge}: hedged requests from "The Tail at Scale" (Dean and Barroso, 2013). A request whose
 * current piece has been waited on longer than the {@code percentile} of recent piece times gets a copy
 * of its remaining range on another mirror, once, within a budget of extra requests; the first copy to
 * verify wins. A copy goes only to a mirror not measured too slow to win the race. Asks for a timer at
 * each request's deadline so a stall is noticed without other events.
 * Cost: O(live requests) per decision.
 */
public final class TailHedge implements TailPolicy {
    private final double percentile;
    private final double multiplier;
    private final int minSamples;
    private final double budget;
    private final double minDelay;
    private final BitSet hedged = new BitSet();
    private int hedges;
    private int[] buf = new int[8];

    TailHedge(double percentile, double multiplier, int minSamples, double budget, double minDelay) {
        this.percentile = percentile;
        this.multiplier = multiplier;
        this.minSamples = minSamples;
        this.budget = budget;
        this.minDelay = minDelay;
    }

    @Override
    public Assignment next(SchedulerView v) {
        double q = v.pieceTimeQuantile(percentile, minSamples);
        if (Double.isNaN(q)) {
            return null;
        }
        double threshold = Math.max(minDelay, q * multiplier);
        int allowance = (int) Math.floor(budget * v.requestsStarted()) + 1;
        for (int i = 0; i < v.liveCount(); i++) {
            RequestView r = v.live(i);
            if (r.isCancelled() || hedged.get(r.id()) || r.position() >= r.endPiece()
                    || r.purpose() == org.mirrorswarm.strategies.Action.Purpose.DUPLICATE) {
                continue;
            }
            double due = r.lastPieceTime() + threshold;
            if (v.now() < due) {
                v.wakeAt(due);
                continue;
            }
            if (hedges >= allowance) {
                return null;
            }
            int end = Tails.copyableEnd(v, r);
            if (end == r.position()) {
                continue;
            }
            buf = Tails.buffer(buf, v, r.file());
            int m = Tails.chooseFor(v, r.file(), r.position(), end, Tails.expectedRemaining(v, r), buf);
            if (m < 0) {
                continue;
            }
            hedged.set(r.id());
            hedges++;
            return Assignment.duplicate(r.file(), m, r.position(), end);
        }
        return null;
    }

    /** Registers {@code hedge}. */
    public static final class Factory implements StrategyFactory<TailPolicy> {
        @Override
        public Family family() {
            return Family.TAIL;
        }

        @Override
        public String id() {
            return "hedge";
        }

        @Override
        public String summary() {
            return "copy a request whose piece is slower than the p95 piece time";
        }

        @Override
        public String origin() {
            return "hedged requests, The Tail at Scale (Dean & Barroso 2013)";
        }

        @Override
        public List<ParamSpec> params() {
            return List.of(
                    ParamSpec.ofDouble("percentile", 0.95, "hedge after this quantile of recent piece times"),
                    ParamSpec.ofDouble("multiplier", 1.0, "times the quantile"),
                    ParamSpec.ofInt("min-samples", 8, "piece times needed before hedging at all"),
                    ParamSpec.ofDouble("budget", 0.05, "extra requests allowed, as a share of requests started"),
                    ParamSpec.ofSeconds("min-delay", 0.0, "never hedge a piece waited on for less than this"));
        }

        @Override
        public TailPolicy create(Params params) {
            double p = params.getDouble("percentile");
            if (!(p > 0 && p <= 1)) {
                throw new IllegalArgumentException("hedge parameter percentile must be in (0, 1], got " + p);
            }
            int min = params.getInt("min-samples");
            if (min < 1) {
                throw new IllegalArgumentException("hedge parameter min-samples must be >= 1, got " + min);
            }
            return new TailHedge(p, params.getDouble("multiplier"), min, params.getDouble("budget"),
                    params.getSeconds("min-delay"));
        }
    }
}
