package org.mirrorswarm.strategies.testing;

import java.util.Set;
import org.mirrorswarm.strategies.Mirror;

/**
 * A mirror of the {@link FakeNetwork}: fixed per-connection rate and time to first byte, plus optional
 * misbehaviour. Immutable; the {@code with…} methods return changed copies.
 *
 * @param id               mirror id
 * @param rate             bytes per second per connection
 * @param latency          seconds from request to first byte
 * @param weight           weight the tracker advertises
 * @param maxConnections   the mirror's own connection limit (0 = scheduler default)
 * @param deadFrom         requests started in [deadFrom, deadUntil) are refused
 * @param deadUntil        see deadFrom
 * @param missing          answers 404
 * @param corruptShare     share of pieces served with a flipped byte (chosen per piece by hash)
 * @param corruptPieces    pieces always served corrupt
 * @param stallAfterBytes  each response stops sending after this many bytes (-1: never)
 * @param slowdownAt       from this time on the rate is multiplied by {@code slowdownFactor} (0 = stall)
 * @param slowdownFactor   see slowdownAt
 * @param dropShare        share of responses cut at a random point (connection lost)
 */
public record FakeMirror(String id, double rate, double latency, double weight, int maxConnections,
                         double deadFrom, double deadUntil, boolean missing, double corruptShare,
                         Set<Integer> corruptPieces, long stallAfterBytes, double slowdownAt, double slowdownFactor,
                         double dropShare) {

    public FakeMirror {
        corruptPieces = Set.copyOf(corruptPieces);
    }

    /** An honest mirror. */
    public static FakeMirror honest(String id, double rate, double latency) {
        return new FakeMirror(id, rate, latency, 1.0, 0, Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, false,
                0, Set.of(), -1, Double.POSITIVE_INFINITY, 1.0, 0);
    }

    public Mirror asMirror() {
        return new Mirror(id, weight, maxConnections, "");
    }

    /** True when it serves every byte right, fast enough and forever (given enough time). */
    public boolean isHonest() {
        return !missing && corruptShare == 0 && corruptPieces.isEmpty() && stallAfterBytes < 0
                && deadFrom == Double.POSITIVE_INFINITY && dropShare == 0 && slowdownFactor > 0;
    }

    public FakeMirror withWeight(double w) {
        return new FakeMirror(id, rate, latency, w, maxConnections, deadFrom, deadUntil, missing, corruptShare,
                corruptPieces, stallAfterBytes, slowdownAt, slowdownFactor, dropShare);
    }

    public FakeMirror withMaxConnections(int n) {
        return new FakeMirror(id, rate, latency, weight, n, deadFrom, deadUntil, missing, corruptShare,
                corruptPieces, stallAfterBytes, slowdownAt, slowdownFactor, dropShare);
    }

    public FakeMirror dead(double from, double until) {
        return new FakeMirror(id, rate, latency, weight, maxConnections, from, until, missing, corruptShare,
                corruptPieces, stallAfterBytes, slowdownAt, slowdownFactor, dropShare);
    }

    public FakeMirror missingFile() {
        return new FakeMirror(id, rate, latency, weight, maxConnections, deadFrom, deadUntil, true, corruptShare,
                corruptPieces, stallAfterBytes, slowdownAt, slowdownFactor, dropShare);
    }

    public FakeMirror corrupt(double share) {
        return new FakeMirror(id, rate, latency, weight, maxConnections, deadFrom, deadUntil, missing, share,
                corruptPieces, stallAfterBytes, slowdownAt, slowdownFactor, dropShare);
    }

    public FakeMirror corruptPieces(Set<Integer> pieces) {
        return new FakeMirror(id, rate, latency, weight, maxConnections, deadFrom, deadUntil, missing, corruptShare,
                pieces, stallAfterBytes, slowdownAt, slowdownFactor, dropShare);
    }

    public FakeMirror stallAfter(long bytes) {
        return new FakeMirror(id, rate, latency, weight, maxConnections, deadFrom, deadUntil, missing, corruptShare,
                corruptPieces, bytes, slowdownAt, slowdownFactor, dropShare);
    }

    public FakeMirror slowDown(double at, double factor) {
        return new FakeMirror(id, rate, latency, weight, maxConnections, deadFrom, deadUntil, missing, corruptShare,
                corruptPieces, stallAfterBytes, at, factor, dropShare);
    }

    public FakeMirror dropping(double share) {
        return new FakeMirror(id, rate, latency, weight, maxConnections, deadFrom, deadUntil, missing, corruptShare,
                corruptPieces, stallAfterBytes, slowdownAt, slowdownFactor, share);
    }

    /**
     * Time at which {@code bytes} more bytes have arrived when sending starts at {@code t}, or +infinity
     * when a stall stops them.
     */
    double deliveredAt(double t, double bytes) {
        if (bytes <= 0) {
            return t;
        }
        double slowRate = rate * slowdownFactor;
        if (t >= slowdownAt) {
            return slowRate > 0 ? t + bytes / slowRate : Double.POSITIVE_INFINITY;
        }
        double plain = t + bytes / rate;
        if (plain <= slowdownAt) {
            return plain;
        }
        double before = (slowdownAt - t) * rate;
        return slowRate > 0 ? slowdownAt + (bytes - before) / slowRate : Double.POSITIVE_INFINITY;
    }

    /** Time the flow stops for good when sending starts at {@code t}: the slowdown time if it is a stall. */
    double stallTime(double t) {
        return slowdownFactor == 0 ? Math.max(t, slowdownAt) : Double.POSITIVE_INFINITY;
    }
}
