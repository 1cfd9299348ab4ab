package org.mirrorswarm.strategies.tail;

import org.mirrorswarm.strategies.FilePlan;
import org.mirrorswarm.strategies.MirrorBook;
import org.mirrorswarm.strategies.spi.Assignment;
import org.mirrorswarm.strategies.spi.Family;
import org.mirrorswarm.strategies.spi.FileView;
import org.mirrorswarm.strategies.spi.Params;
import org.mirrorswarm.strategies.spi.RequestView;
import org.mirrorswarm.strategies.spi.SchedulerView;
import org.mirrorswarm.strategies.spi.Sizing;
import org.mirrorswarm.strategies.spi.StrategyFactory;
import org.mirrorswarm.strategies.spi.TailPolicy;

/**
 * {@code steal}: work stealing (Blumofe and Leiserson, 1999) applied to byte ranges, as aria2 splits the
 * biggest hole: once a file has no free pieces, an idle connection takes the back part of the in-flight
 * range expected to finish last, split so that both sides should finish together at their measured
 * rates. No byte is fetched twice; a request stalled inside its current piece is not helped (that is
 * what {@code hedge} is for). Cost: O(live requests) per decision, and the thief's choice per file that has
 * a range to split.
 */
public final class TailSteal implements TailPolicy {
    private int[] buf = new int[8];
    /** Indices in the live list of the requests a thief may split, by file, then as they are listed. */
    private int[] victims = new int[8];

    @Override
    public Assignment next(SchedulerView v) {
        // The requests worth splitting first, in one pass over those in flight: with small files (one or two
        // pieces each) there are none, and the decision costs O(live requests), not O(files × live requests),
        // which took a third of the scheduler's time on 200 files of 4 KiB.
        int n = 0;
        for (int i = 0; i < v.liveCount(); i++) {
            RequestView r = v.live(i);
            if (r.isCancelled() || r.endPiece() - r.position() < 2) {
                continue;
            }
            FileView fv = v.file(r.file());
            if (!fv.isActive() || fv.freeCount() > 0 || !solelyHeld(fv, r)) {
                continue;
            }
            if (n == victims.length) {
                victims = java.util.Arrays.copyOf(victims, 2 * n);
            }
            // Insertion by file, after those of the same file: few requests qualify at a time.
            int k = n++;
            while (k > 0 && v.live(victims[k - 1]).file() > r.file()) {
                victims[k] = victims[k - 1];
                k--;
            }
            victims[k] = i;
        }
        // File by file, the lowest first: the victim is the range expected to finish last.
        for (int a = 0; a < n; ) {
            int f = v.live(victims[a]).file();
            RequestView victim = null;
            double victimTime = -1;
            for (; a < n && v.live(victims[a]).file() == f; a++) {
                RequestView r = v.live(victims[a]);
                double t = r.remainingBytes() / rate(v, r);
                if (t > victimTime) {
                    victim = r;
                    victimTime = t;
                }
            }
            buf = Tails.buffer(buf, v, f);
            // A thief qualifies if it could deliver the range's last piece before the victim would finish;
            // how much it takes is split's to decide (asking it to beat the victim on the whole back part
            // kept every thief off a range whose mirror was measured a little fast).
            int m = Tails.chooseFor(v, f, victim.endPiece() - 1, victim.endPiece(), victimTime, buf, true);
            if (m < 0) {
                continue;
            }
            int split = split(v, victim, m);
            if (split > 0) {
                return Assignment.steal(f, m, split, victim.endPiece(), victim.id());
            }
        }
        return null;
    }

    /** True when the pieces after the victim's current one are held by it alone and not done (no copy races them). */
    private static boolean solelyHeld(FileView fv, RequestView r) {
        for (int q = r.position() + 1; q < r.endPiece(); q++) {
            if (fv.isDone(q) || fv.holders(q) != 1) {
                return false;
            }
        }
        return true;
    }

    /** Bytes per second of the victim's connection: its mirror's estimate, else its own pace, else 1. */
    private static double rate(SchedulerView v, RequestView r) {
        double rate = Sizing.rateOrPrior(v.book(), r.mirror());
        if (Double.isNaN(rate) && !Double.isNaN(r.firstByteTime()) && v.now() > r.firstByteTime()) {
            rate = r.bytesReceived() / (v.now() - r.firstByteTime());
        }
        return Double.isNaN(rate) || rate <= 0 ? 1 : rate;
    }

    /**
     * The first piece the thief takes so that both finish together, or -1 when stealing would not make
     * the range finish sooner.
     */
    private static int split(SchedulerView v, RequestView victim, int thief) {
        FilePlan plan = v.file(victim.file()).plan();
        MirrorBook book = v.book();
        double rv = rate(v, victim);
        double rt = Sizing.rateOrPrior(book, thief);
        if (Double.isNaN(rt) || rt <= 0) {
            rt = rv;
        }
        double lt = Sizing.latencyOrZero(book, thief);
        int pos = victim.position();
        int end = victim.endPiece();
        double current = plan.pieceLength(pos) - victim.partialBytes();
        double rest = plan.bytes(pos + 1, end);
        // Victim keeps x more bytes: (current + x) / rv == lt + (rest - x) / rt.
        double x = (lt + rest / rt - current / rv) / (1 / rv + 1 / rt);
        x = Math.max(0, Math.min(rest, x));
        int s = pos + 1 + (int) Math.round(x / plan.pieceLength());
        s = Math.max(pos + 1, Math.min(end - 1, s));
        double thiefDone = lt + plan.bytes(s, end) / rt;
        double victimAlone = (current + rest) / rv;
        return thiefDone < victimAlone ? s : -1;
    }

    /** Registers {@code steal}. */
    public static final class Factory implements StrategyFactory<TailPolicy> {
        @Override
        public Family family() {
            return Family.TAIL;
        }

        @Override
        public String id() {
            return "steal";
        }

        @Override
        public String summary() {
            return "split the slowest in-flight range and give its back part to an idle mirror";
        }

        @Override
        public String origin() {
            return "work stealing (Blumofe & Leiserson 1999); aria2's biggest-hole split";
        }

        @Override
        public TailPolicy create(Params params) {
            return new TailSteal();
        }
    }
}
