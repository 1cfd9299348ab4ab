package org.mirrorswarm.strategies;

import java.util.Objects;

/**
 * A mirror as the scheduler sees it: an identity (one per host, since connection limits count per
 * host as aria2 and nginx's {@code limit_conn} do), a weight from the tracker, an optional connection
 * limit and a location hint. The shell maps the identity to a URL.
 *
 * @param id             stable identity, e.g. the host name; never blank
 * @param weight         the tracker's weight for weighted selection, {@code >= 0}
 * @param maxConnections this mirror's own connection limit, or 0 to use the scheduler's per-mirror limit
 * @param location       a region or country code, or the empty string when unknown
 */
public record Mirror(String id, double weight, int maxConnections, String location) {
    public Mirror {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(location, "location");
        if (id.isBlank()) {
            throw new IllegalArgumentException("mirror id is blank");
        }
        for (int i = 0; i < id.length(); i++) { // a loop, not a stream: the live client makes one per file and mirror
            if (id.charAt(i) <= ' ') {
                throw new IllegalArgumentException("mirror id contains whitespace or control characters: " + id);
            }
        }
        if (!(weight >= 0) || Double.isInfinite(weight)) {
            throw new IllegalArgumentException("mirror " + id + ": weight must be finite and >= 0, got " + weight);
        }
        if (maxConnections < 0) {
            throw new IllegalArgumentException("mirror " + id + ": negative connection limit " + maxConnections);
        }
    }

    /** A mirror of weight 1 with the scheduler's default connection limit and no location. */
    public static Mirror of(String id) {
        return new Mirror(id, 1.0, 0, "");
    }

    /** A mirror of the given weight. */
    public static Mirror of(String id, double weight) {
        return new Mirror(id, weight, 0, "");
    }
}
