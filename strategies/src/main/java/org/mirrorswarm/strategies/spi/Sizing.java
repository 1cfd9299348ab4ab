package org.mirrorswarm.strategies.spi;

import org.mirrorswarm.strategies.FilePlan;
import org.mirrorswarm.strategies.MirrorBook;

/** Small arithmetic shared by strategies: pieces for a byte budget, rate estimates with priors. */
public final class Sizing {
    private Sizing() {
    }

    /** Whole pieces closest to {@code bytes}, at least one. */
    public static int piecesFor(FilePlan plan, double bytes) {
        double p = Math.rint(bytes / plan.pieceLength());
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, p));
    }

    /**
     * Throughput of one connection to mirror {@code m}: its own estimate, else the mean of the mirrors
     * measured so far, else NaN.
     */
    public static double rateOrPrior(MirrorBook book, int m) {
        double r = book.throughput(m);
        return Double.isNaN(r) ? book.meanThroughput() : r;
    }

    /**
     * What a request to mirror {@code m} can expect to wait for its first byte ({@link MirrorBook#typicalLatency}),
     * or 0 before any sample.
     */
    public static double latencyOrZero(MirrorBook book, int m) {
        double l = book.typicalLatency(m);
        return Double.isNaN(l) ? 0 : l;
    }

    /**
     * Aggregate throughput the file can expect from the mirrors that may serve it, skipping
     * {@code exclude}: per-connection rate times connection limit, unmeasured mirrors at the prior (but not
     * banned ones, nor unmeasured ones that have only failed so far), and
     * only over as many connections as the client may open for the file ({@code maxConnections}, and
     * {@code maxPerFile} when set), fastest first — a client with 8 connections and 20 mirrors gets the
     * rate of its 8 best, not of all 20. Returns NaN when nothing is measured yet. With {@code file} -1: what
     * the whole download can expect, from every mirror in the book under {@code maxConnections}.
     */
    public static double aggregateRate(SchedulerView v, int file, int exclude) {
        FileView fv = file < 0 ? null : v.file(file);
        MirrorBook book = v.book();
        int slots = v.config().maxConnections();
        if (fv != null && v.config().maxPerFile() > 0) {
            slots = Math.min(slots, v.config().maxPerFile());
        }
        int n = fv == null ? book.size() : fv.mirrorCount();
        double[] rate = new double[n];
        int[] limit = new int[n];
        int count = 0;
        int connections = 0;
        double sum = 0;
        for (int k = 0; k < n; k++) {
            int m = fv == null ? k : fv.mirror(k);
            if (m == exclude || fv != null && !v.mayServe(file, m) || !book.isUsable(m, v.now())
                    || !book.hasThroughput(m) && book.consecutiveFailures(m) > 0) {
                continue; // banned, or never measured and failing: no capacity to count on
            }
            double r = rateOrPrior(book, m);
            if (!Double.isNaN(r)) {
                rate[count] = r;
                limit[count] = Math.max(1, book.connectionLimit(m));
                sum += r * limit[count];
                connections += limit[count];
                count++;
            }
        }
        if (count == 0) {
            return Double.NaN;
        }
        if (connections <= slots) {
            return sum;
        }
        // More connections than the client may open: the fastest mirrors first. O(mirrors × slots).
        double best = 0;
        int left = slots;
        while (left > 0) {
            int top = -1;
            for (int i = 0; i < count; i++) {
                if (limit[i] > 0 && (top < 0 || rate[i] > rate[top])) {
                    top = i;
                }
            }
            if (top < 0) {
                break;
            }
            int take = Math.min(left, limit[top]);
            best += rate[top] * take;
            left -= take;
            limit[top] = 0;
        }
        return best;
    }
}
