package org.mirrorswarm.engine.sim;

/**
 * Stateless pseudo-random numbers from keys (SplitMix64 finalizer). Used where a draw must not depend
 * on the order in which a strategy makes requests — which piece a mirror corrupts, the jitter of one
 * client–mirror RTT — so compared strategies see the same values whatever they do.
 */
public final class Hashing {
    private Hashing() {
    }

    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** A number in [0, 1) fixed by the seed and keys. */
    public static double unit(long seed, long a, long b, long c) {
        long h = mix(seed + 0x9E3779B97F4A7C15L * (a + 1));
        h = mix(h + 0x9E3779B97F4A7C15L * (b + 1));
        h = mix(h + 0x9E3779B97F4A7C15L * (c + 1));
        return (h >>> 11) * 0x1.0p-53;
    }
}
