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

    /** Latency of mirror {@code m} at {@code now}, or 0 before any sample. */
    public static double latencyOrZero(MirrorBook book, int m, double now) {
        double l = book.latency(m, now);
        return Double.isNaN(l) ? 0 : l;
    }

    /**
     * Aggregate throughput the file can expect from the mirrors that may serve it, skipping
     * {@code exclude}: per-connection rate times connection limit, unmeasured mirrors at the prior.
     * Returns NaN when nothing is measured yet.
     */
    public static double aggregateRate(SchedulerView v, int file, int exclude) {
        FileView fv = v.file(file);
        MirrorBook book = v.book();
        double sum = 0;
        boolean any = false;
        for (int k = 0; k < fv.mirrorCount(); k++) {
            int m = fv.mirror(k);
            if (m == exclude || !v.mayServe(file, m)) {
                continue;
            }
            double r = rateOrPrior(book, m);
            if (!Double.isNaN(r)) {
                sum += r * book.connectionLimit(m);
                any = true;
            }
        }
        return any ? sum : Double.NaN;
    }
}
