package org.mirrorswarm.strategies.tail;

import org.mirrorswarm.strategies.spi.FileView;
import org.mirrorswarm.strategies.spi.RequestView;
import org.mirrorswarm.strategies.spi.SchedulerView;

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
     * The selector's choice among mirrors that may start a request for the file and fetch none of the
     * pieces {@code [from, to)} already; -1 if none. {@code buf} must hold the file's mirror count.
     */
    static int chooseFor(SchedulerView v, int file, int from, int to, int[] buf) {
        int n = v.candidates(file, -1, buf);
        int kept = 0;
        for (int i = 0; i < n; i++) {
            if (!fetches(v, file, buf[i], from, to)) {
                buf[kept++] = buf[i];
            }
        }
        return kept == 0 ? -1 : v.select(file, buf, kept);
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
