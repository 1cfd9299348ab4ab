package org.mirrorswarm.engine.workload;

import java.util.Arrays;
import umontreal.ssj.rng.RandomStream;

/**
 * The packages of a release: their sizes, and their popularity by Zipf's law (the package of rank k,
 * from 1, is asked for with probability proportional to 1 / k^s). Sampling a package costs O(log n).
 */
public final class Catalogue {
    private final long[] sizes;
    private final double[] cumulative;
    private final double exponent;

    private Catalogue(long[] sizes, double exponent) {
        this.sizes = sizes;
        this.exponent = exponent;
        this.cumulative = new double[sizes.length];
        double sum = 0;
        for (int k = 0; k < sizes.length; k++) {
            sum += 1 / Math.pow(k + 1, exponent);
            cumulative[k] = sum;
        }
        for (int k = 0; k < sizes.length; k++) {
            cumulative[k] /= sum;
        }
    }

    /**
     * {@code count} packages of at least one byte. From an empirical table the catalogue holds the
     * table's {@code count} evenly spaced quantiles (stratified: exactly the real size distribution, not
     * a sample of it) in a random popularity order; from other distributions, independent draws.
     * Popularity does not depend on size.
     */
    public static Catalogue generate(int count, Dist sizes, double zipfExponent, RandomStream stream) {
        if (count < 1) {
            throw new IllegalArgumentException("a catalogue needs at least one package");
        }
        if (!(zipfExponent >= 0)) {
            throw new IllegalArgumentException("Zipf exponent must be >= 0, got " + zipfExponent);
        }
        long[] s = new long[count];
        if (sizes instanceof Dist.Empirical e) {
            for (int i = 0; i < count; i++) {
                s[i] = Math.max(1, Math.round(Math.min(e.cap(), e.table().inverse((i + 0.5) / count))));
            }
            for (int i = count - 1; i > 0; i--) {
                int j = (int) (stream.nextDouble() * (i + 1));
                long t = s[i];
                s[i] = s[j];
                s[j] = t;
            }
        } else {
            for (int i = 0; i < count; i++) {
                s[i] = Math.max(1, Math.round(sizes.sample(stream)));
            }
        }
        return new Catalogue(s, zipfExponent);
    }

    /** A catalogue of the given sizes. */
    public static Catalogue of(double zipfExponent, long... sizes) {
        return new Catalogue(sizes.clone(), zipfExponent);
    }

    public int size() {
        return sizes.length;
    }

    public long packageSize(int k) {
        return sizes[k];
    }

    public double zipfExponent() {
        return exponent;
    }

    /** Probability that one draw picks package {@code k}. */
    public double popularity(int k) {
        return k == 0 ? cumulative[0] : cumulative[k] - cumulative[k - 1];
    }

    /** One package, by popularity. */
    public int draw(RandomStream s) {
        int i = Arrays.binarySearch(cumulative, s.nextDouble());
        return i >= 0 ? Math.min(i + 1, sizes.length - 1) : Math.min(-i - 1, sizes.length - 1);
    }

    /** {@code n} distinct packages by popularity (all of them if n is at least the catalogue size). */
    public int[] drawDistinct(int n, RandomStream s) {
        if (n >= sizes.length) {
            int[] all = new int[sizes.length];
            Arrays.setAll(all, i -> i);
            return all;
        }
        int[] out = new int[n];
        int got = 0;
        // Rejection keeps the Zipf weights among the remaining packages; fall back to a scan when the
        // head is exhausted so that a strongly skewed law cannot loop for long.
        int tries = 0;
        while (got < n) {
            int k = tries++ < 50 * n ? draw(s) : (int) (s.nextDouble() * sizes.length);
            boolean seen = false;
            for (int i = 0; i < got; i++) {
                seen |= out[i] == k;
            }
            if (!seen) {
                out[got++] = k;
            }
        }
        return out;
    }
}
