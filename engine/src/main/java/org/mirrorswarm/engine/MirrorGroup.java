package org.mirrorswarm.engine;

import org.mirrorswarm.engine.workload.Dist;

/**
 * Mirrors that share a description.
 *
 * @param name               group name (mirror ids are {@code name-0}, {@code name-1}, …)
 * @param count              how many
 * @param region             index into {@link Network#regions()}
 * @param uplink             uplink capacity in bytes/s, drawn per mirror
 * @param connectionLimit    requests a mirror serves at once; more get HTTP 503 (0 = no limit)
 * @param perConnectionRate  bytes/s cap of one connection, as nginx's limit_rate (+infinity for none)
 * @param faults             how these mirrors misbehave
 */
public record MirrorGroup(String name, int count, int region, Dist uplink, int connectionLimit,
                          double perConnectionRate, Faults faults) {
    public MirrorGroup {
        if (name == null || name.isBlank() || name.chars().anyMatch(c -> c <= ' ')) {
            throw new IllegalArgumentException("mirrors: a group needs a name without spaces");
        }
        if (count < 1) {
            throw new IllegalArgumentException("mirrors." + name + ".count must be >= 1, got " + count);
        }
        if (connectionLimit < 0) {
            throw new IllegalArgumentException("mirrors." + name + ".connectionLimit must be >= 0");
        }
        if (!(perConnectionRate > 0)) {
            throw new IllegalArgumentException("mirrors." + name + ".perConnectionRate must be positive");
        }
    }

    public MirrorGroup withFaults(Faults f) {
        return new MirrorGroup(name, count, region, uplink, connectionLimit, perConnectionRate, f);
    }

    public MirrorGroup withCount(int n) {
        return new MirrorGroup(name, n, region, uplink, connectionLimit, perConnectionRate, faults);
    }
}
