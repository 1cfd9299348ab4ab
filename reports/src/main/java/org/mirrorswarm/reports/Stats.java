package org.mirrorswarm.reports;

import org.apache.commons.math3.distribution.TDistribution;

/** Means with Student-t confidence intervals, over replications. */
public final class Stats {
    private Stats() {
    }

    /** Mean of the values that are numbers; NaN if none. */
    public static double mean(double[] xs) {
        double sum = 0;
        int n = 0;
        for (double x : xs) {
            if (!Double.isNaN(x)) {
                sum += x;
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    /** Sample standard deviation (n − 1); NaN with fewer than two values. */
    public static double stddev(double[] xs) {
        double m = mean(xs);
        double sq = 0;
        int n = 0;
        for (double x : xs) {
            if (!Double.isNaN(x)) {
                sq += (x - m) * (x - m);
                n++;
            }
        }
        return n < 2 ? Double.NaN : Math.sqrt(sq / (n - 1));
    }

    /**
     * Half-width of the {@code level} (e.g. 0.95) Student-t confidence interval of the mean:
     * t(1 − (1 − level)/2, n − 1) · s / √n. NaN with fewer than two values; 0 when they are all equal.
     */
    public static double ciHalfWidth(double[] xs, double level) {
        int n = 0;
        for (double x : xs) {
            if (!Double.isNaN(x)) {
                n++;
            }
        }
        if (n < 2) {
            return Double.NaN;
        }
        double s = stddev(xs);
        double t = new TDistribution(null, n - 1).inverseCumulativeProbability(1 - (1 - level) / 2);
        return t * s / Math.sqrt(n);
    }

    /**
     * Paired differences {@code a[i] − b[i]} over the replications both have a number for: with common
     * random numbers, replication i of two strategies saw the same arrivals and draws, so the CI of the
     * mean difference is much tighter than the two CIs side by side.
     */
    public static double[] differences(double[] a, double[] b) {
        int n = Math.min(a.length, b.length);
        double[] d = new double[n];
        int k = 0;
        for (int i = 0; i < n; i++) {
            if (!Double.isNaN(a[i]) && !Double.isNaN(b[i])) {
                d[k++] = a[i] - b[i];
            }
        }
        return java.util.Arrays.copyOf(d, k);
    }
}
