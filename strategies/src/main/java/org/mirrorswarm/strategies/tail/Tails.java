package org.mirrorswarm.strategies.tail;

import org.mirrorswarm.strategies.spi.FileView;
import org.mirrorswarm.strategies.spi.RequestView;
import org.mirrorswarm.strategies.spi.SchedulerView;
import org.mirrorswarm.strategies.spi.Sizing;

/** What the tail policies share: which pieces of a request may be copied, and who may copy them. */
final class Tails {
    private Tails() {
    }

    /**
     * One past the last piece of the run, from {@code r}'s position, that is neither done nor already
     * at the copy limit; equals the position when nothing can be copied.
     */
    static int copyableEnd(SchedulerView v, RequestView r) {
        FileView fv = v.file(r.file());
        int q = r.position();
        while (q < r.endPiece() && !fv.isDone(q) && fv.holders(q) < v.config().maxCopies()) {
            q++;
        }
        return q;
    }

    /**
     * The selector's choice among mirrors that may start a request for the file, fetch none of the
     * pieces {@code [from, to)} already, and — when measured — would deliver them before {@code deadline}
     * seconds from now; -1 if none. {@code buf} must hold the file's mirror count.
     */
    static int chooseFor(SchedulerView v, int file, int from, int to, double deadline, int[] buf) {
        return chooseFor(v, file, from, to, deadline, buf, false);
    }

    /**
     * As {@link #chooseFor(SchedulerView, int, int, int, double, int[])}; never a mirror that is unmeasured
     * and has failed (it has shown no capacity), and with {@code measuredOnly} never an unmeasured one at all
     * (a thief that fails would leave the stolen pieces waiting).
     */
    static int chooseFor(SchedulerView v, int file, int from, int to, double deadline, int[] buf, boolean measuredOnly) {
        int n = v.candidates(file, -1, buf);
        long bytes = v.file(file).plan().bytes(from, to);
        int kept = 0;
        for (int i = 0; i < n; i++) {
            int m = buf[i];
            if (fetches(v, file, m, from, to)) {
                continue;
            }
            if (!v.book().hasThroughput(m) && (measuredOnly || v.book().consecutiveFailures(m) > 0)) {
                continue;
            }
            double rate = v.book().throughput(m);
            if (!Double.isNaN(rate) && rate > 0
                    && Sizing.latencyOrZero(v.book(), m) + bytes / rate > deadline) {
                continue;
            }
            buf[kept++] = m;
        }
        return kept == 0 ? -1 : v.select(file, buf, kept);
    }

    /**
     * Seconds the request still needs at its mirror's measured throughput, or +infinity when unmeasured
     * or when it has stopped progressing for longer than that estimate (a stall).
     */
    static double expectedRemaining(SchedulerView v, RequestView r) {
        double rate = v.book().throughput(r.mirror());
        if (Double.isNaN(rate) || rate <= 0) {
            return Double.POSITIVE_INFINITY;
        }
        double left = r.remainingBytes() / rate;
        double silent = v.now() - r.lastPieceTime();
        double piece = v.file(r.file()).plan().pieceLength() / rate;
        return silent > 2 * piece ? Double.POSITIVE_INFINITY : left;
    }

    private static boolean fetches(SchedulerView v, int file, int mirror, int from, int to) {
        for (int i = 0; i < v.liveCount(); i++) {
            RequestView r = v.live(i);
            if (r.file() == file && r.mirror() == mirror && r.position() < to && from < r.endPiece()) {
                return true;
            }
        }
        return false;
    }

    /** A scratch buffer big enough for the file's mirrors. */
    static int[] buffer(int[] buf, SchedulerView v, int file) {
        int n = v.file(file).mirrorCount();
        return buf.length >= n ? buf : new int[Math.max(n, 2 * buf.length)];
    }
}
