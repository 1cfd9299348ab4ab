package org.mirrorswarm.engine.workload;

import java.util.Arrays;
import umontreal.ssj.rng.RandomStream;

/**
 * A distribution of one scenario number (a capacity, a size, a delay), sampled by inversion from an SSJ
 * stream so that common random numbers line up across compared strategies.
 */
public sealed interface Dist {
    double sample(RandomStream s);

    /** The mean, used for reports and sanity checks. */
    double mean();

    /** Always {@code value}. */
    record Fixed(double value) implements Dist {
        @Override
        public double sample(RandomStream s) {
            return value;
        }

        @Override
        public double mean() {
            return value;
        }
    }

    /** Uniform on [lo, hi). */
    record Uniform(double lo, double hi) implements Dist {
        public Uniform {
            if (!(hi >= lo)) {
                throw new IllegalArgumentException("uniform needs lo <= hi, got " + lo + ", " + hi);
            }
        }

        @Override
        public double sample(RandomStream s) {
            return lo + (hi - lo) * s.nextDouble();
        }

        @Override
        public double mean() {
            return (lo + hi) / 2;
        }
    }

    /** Log-uniform on [lo, hi): every factor of ten equally likely, as link speeds spread. */
    record LogUniform(double lo, double hi) implements Dist {
        public LogUniform {
            if (!(lo > 0 && hi >= lo)) {
                throw new IllegalArgumentException("log-uniform needs 0 < lo <= hi, got " + lo + ", " + hi);
            }
        }

        @Override
        public double sample(RandomStream s) {
            return Math.exp(Math.log(lo) + (Math.log(hi) - Math.log(lo)) * s.nextDouble());
        }

        @Override
        public double mean() {
            return hi == lo ? lo : (hi - lo) / (Math.log(hi) - Math.log(lo));
        }
    }

    /** Exponential of the given mean. */
    record Exponential(double mean) implements Dist {
        public Exponential {
            if (!(mean > 0)) {
                throw new IllegalArgumentException("exponential needs a positive mean, got " + mean);
            }
        }

        @Override
        public double sample(RandomStream s) {
            return -mean * Math.log1p(-s.nextDouble());
        }
    }

    /** One of {@code values} with the given weights. */
    record Choice(double[] values, double[] weights) implements Dist {
        public Choice {
            if (values.length == 0 || values.length != weights.length) {
                throw new IllegalArgumentException("choice needs as many weights as values, and at least one");
            }
            values = values.clone();
            weights = weights.clone();
            if (!(Arrays.stream(weights).sum() > 0) || Arrays.stream(weights).anyMatch(w -> w < 0)) {
                throw new IllegalArgumentException("choice weights must be >= 0 and not all zero");
            }
        }

        @Override
        public double sample(RandomStream s) {
            double total = Arrays.stream(weights).sum();
            double x = s.nextDouble() * total;
            for (int i = 0; i < values.length; i++) {
                x -= weights[i];
                if (x < 0) {
                    return values[i];
                }
            }
            return values[values.length - 1];
        }

        @Override
        public double mean() {
            double total = Arrays.stream(weights).sum();
            double m = 0;
            for (int i = 0; i < values.length; i++) {
                m += values[i] * weights[i] / total;
            }
            return m;
        }
    }

    /** Sizes from an empirical table (e.g. Debian packages), optionally capped. */
    record Empirical(SizeTable table, double cap) implements Dist {
        @Override
        public double sample(RandomStream s) {
            return Math.min(cap, table.inverse(s.nextDouble()));
        }

        @Override
        public double mean() {
            double m = 0;
            int n = 10_000;
            for (int i = 0; i < n; i++) {
                m += Math.min(cap, table.inverse((i + 0.5) / n));
            }
            return m / n;
        }
    }
}
