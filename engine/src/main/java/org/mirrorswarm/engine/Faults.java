package org.mirrorswarm.engine;

import java.util.List;

/**
 * How a group of mirrors misbehaves. Schedules give exact times; rates draw times from the faults stream.
 *
 * @param outages       fixed [down, up) intervals during which the mirror is unreachable
 * @param mtbf          mean seconds between crashes (exponential), or +infinity for none
 * @param mttr          mean seconds to recover from a crash (exponential)
 * @param slowdowns     [from, to) intervals during which the uplink runs at {@code factor} of its capacity
 * @param corruptShare  share of pieces this mirror serves with bad bytes (decided per mirror and piece)
 * @param staleUntil    until this time the mirror has not synced the release: new packages are missing (404)
 * @param ignoresRanges answers a range request with the whole file (HTTP 200), so only whole-file requests work
 * @param whenDown      how the mirror fails connections while it is down (an outage or a crash)
 */
public record Faults(List<Interval> outages, double mtbf, double mttr, List<Slowdown> slowdowns,
                     double corruptShare, double staleUntil, boolean ignoresRanges, WhenDown whenDown) {

    /** How a mirror that is down fails the connections made to it, and those it had. */
    public enum WhenDown {
        /**
         * Its host is down or unreachable and nothing answers: a connect fails after the client's connect timeout,
         * a request on a connection it had and a transfer in flight after the stall timeout.
         */
        DROP,
        /**
         * Its host is up but the server is not (the process died, or was stopped): the host answers with a reset,
         * so a connect fails after one round trip, and a request on a connection it had and a transfer in flight
         * end at once (the live client's "connection refused" and "connection lost").
         */
        REFUSE
    }

    /** A time interval [from, to). */
    public record Interval(double from, double to) {
        public Interval {
            if (!(from >= 0 && to > from)) {
                throw new IllegalArgumentException("an interval needs 0 <= from < to, got [" + from + ", " + to + ")");
            }
        }
    }

    /** Capacity times {@code factor} during [from, to). */
    public record Slowdown(double from, double to, double factor) {
        public Slowdown {
            if (!(from >= 0 && to > from && factor >= 0)) {
                throw new IllegalArgumentException("a slowdown needs 0 <= from < to and factor >= 0");
            }
        }
    }

    public Faults {
        outages = List.copyOf(outages);
        slowdowns = List.copyOf(slowdowns);
        if (!(mtbf > 0) || !(mttr > 0)) {
            throw new IllegalArgumentException("faults: mtbf and mttr must be positive (use infinity for none)");
        }
        java.util.Objects.requireNonNull(whenDown, "whenDown");
        if (!(corruptShare >= 0 && corruptShare <= 1)) {
            throw new IllegalArgumentException("faults.corruptShare must be in [0, 1], got " + corruptShare);
        }
    }

    /** A mirror that never misbehaves. */
    public static final Faults NONE = new Faults(List.of(), Double.POSITIVE_INFINITY, 60, List.of(), 0,
            Double.NEGATIVE_INFINITY, false, WhenDown.DROP);

    public Faults withOutage(double from, double to) {
        List<Interval> o = new java.util.ArrayList<>(outages);
        o.add(new Interval(from, to));
        return new Faults(o, mtbf, mttr, slowdowns, corruptShare, staleUntil, ignoresRanges, whenDown);
    }

    public Faults withCrashes(double meanUp, double meanDown) {
        return new Faults(outages, meanUp, meanDown, slowdowns, corruptShare, staleUntil, ignoresRanges, whenDown);
    }

    public Faults withSlowdown(double from, double to, double factor) {
        List<Slowdown> s = new java.util.ArrayList<>(slowdowns);
        s.add(new Slowdown(from, to, factor));
        return new Faults(outages, mtbf, mttr, s, corruptShare, staleUntil, ignoresRanges, whenDown);
    }

    public Faults withCorruption(double share) {
        return new Faults(outages, mtbf, mttr, slowdowns, share, staleUntil, ignoresRanges, whenDown);
    }

    public Faults staleUntil(double t) {
        return new Faults(outages, mtbf, mttr, slowdowns, corruptShare, t, ignoresRanges, whenDown);
    }

    public Faults ignoringRanges() {
        return new Faults(outages, mtbf, mttr, slowdowns, corruptShare, staleUntil, true, whenDown);
    }

    public Faults refusingWhenDown() {
        return new Faults(outages, mtbf, mttr, slowdowns, corruptShare, staleUntil, ignoresRanges, WhenDown.REFUSE);
    }
}
