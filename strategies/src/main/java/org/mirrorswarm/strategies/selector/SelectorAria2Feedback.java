package org.mirrorswarm.strategies.selector;

import java.util.List;
import org.mirrorswarm.strategies.MirrorBook;
import org.mirrorswarm.strategies.spi.Family;
import org.mirrorswarm.strategies.spi.MirrorSelector;
import org.mirrorswarm.strategies.spi.ParamSpec;
import org.mirrorswarm.strategies.spi.Params;
import org.mirrorswarm.strategies.spi.SchedulerView;
import org.mirrorswarm.strategies.spi.StrategyFactory;

/**
 * {@code aria2-feedback}: aria2's default URI selector. Among the first {@code window} candidates whose
 * host has no connection open and no recent error, take the fastest whose recorded speed exceeds
 * {@code min-speed}; else the first untested one; else (all hosts busy or failing) the least loaded
 * candidate in order. Cost: O(candidates).
 */
public final class SelectorAria2Feedback implements MirrorSelector {
    private final int window;
    private final double minSpeed;

    SelectorAria2Feedback(int window, double minSpeed) {
        this.window = window;
        this.minSpeed = minSpeed;
    }

    @Override
    public int select(SchedulerView v, int file, int[] candidates, int count) {
        MirrorBook book = v.book();
        int n = Math.min(count, window);
        int fastest = -1;
        int untested = -1;
        for (int i = 0; i < n; i++) {
            int m = candidates[i];
            if (book.inFlight(m) > 0 || book.consecutiveFailures(m) > 0) {
                continue;
            }
            if (!book.hasThroughput(m)) {
                if (untested < 0) {
                    untested = m;
                }
            } else if (book.throughput(m) > minSpeed && (fastest < 0 || book.throughput(m) > book.throughput(fastest))) {
                fastest = m;
            }
        }
        if (fastest >= 0) {
            return fastest;
        }
        if (untested >= 0) {
            return untested;
        }
        int best = candidates[0];
        for (int i = 1; i < count; i++) {
            if (book.inFlight(candidates[i]) < book.inFlight(best)) {
                best = candidates[i];
            }
        }
        return best;
    }

    /** Registers {@code aria2-feedback}. */
    public static final class Factory implements StrategyFactory<MirrorSelector> {
        @Override
        public Family family() {
            return Family.SELECTOR;
        }

        @Override
        public String id() {
            return "aria2-feedback";
        }

        @Override
        public String summary() {
            return "aria2's feedback URI selector: fastest idle host above a speed floor";
        }

        @Override
        public String origin() {
            return "aria2 1.36 FeedbackURISelector";
        }

        @Override
        public List<ParamSpec> params() {
            return List.of(
                    ParamSpec.ofInt("window", 10, "how many candidates, in order, are considered"),
                    ParamSpec.ofBytes("min-speed", 20L << 10, "bytes/s a tested host must exceed to be chosen as fastest"));
        }

        @Override
        public MirrorSelector create(Params params) {
            int w = params.getInt("window");
            if (w < 1) {
                throw new IllegalArgumentException("aria2-feedback parameter window must be >= 1, got " + w);
            }
            return new SelectorAria2Feedback(w, params.getBytes("min-speed"));
        }
    }
}
