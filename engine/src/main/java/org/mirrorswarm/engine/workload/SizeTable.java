package org.mirrorswarm.engine.workload;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * An empirical size distribution given by its quantiles, sampled by inverting the CDF with linear
 * interpolation between neighbouring quantiles. The tables shipped with the engine come from Debian 12
 * {@code Packages} indexes (see each file's header and {@code scripts/size-quantiles.py}).
 */
public final class SizeTable {
    /** Debian 12 bookworm main, amd64: 63,440 packages, median 59 KB. */
    public static final String DEBIAN_MAIN = "debian-12-main";
    /** Debian 12 bookworm-security main, amd64: 3,028 packages, median 222 KB. */
    public static final String DEBIAN_SECURITY = "debian-12-security";

    private final String name;
    private final String source;
    private final double[] quantiles;

    private SizeTable(String name, String source, double[] quantiles) {
        this.name = name;
        this.source = source;
        this.quantiles = quantiles;
    }

    /** Loads a shipped table by name ({@link #DEBIAN_MAIN} or {@link #DEBIAN_SECURITY}). */
    public static SizeTable named(String name) {
        if (!name.equals(DEBIAN_MAIN) && !name.equals(DEBIAN_SECURITY)) {
            throw new IllegalArgumentException("unknown size table '" + name + "'; valid: " + DEBIAN_MAIN + ", " + DEBIAN_SECURITY);
        }
        try (InputStream in = SizeTable.class.getResourceAsStream(name + ".quantiles")) {
            if (in == null) {
                throw new IllegalStateException("size table " + name + " is missing from the engine jar");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            List<Double> q = new ArrayList<>();
            String source = "";
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (line.startsWith("# source:")) {
                    source = line.substring("# source:".length()).trim();
                } else if (!line.startsWith("#") && !line.isBlank()) {
                    q.add(Double.parseDouble(line.trim()));
                }
            }
            return new SizeTable(name, source, q.stream().mapToDouble(Double::doubleValue).toArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A table from explicit quantiles at equally spaced probabilities 0, 1/(n-1), …, 1. */
    public static SizeTable of(String name, double... quantiles) {
        if (quantiles.length < 2) {
            throw new IllegalArgumentException("a size table needs at least two quantiles");
        }
        for (int i = 1; i < quantiles.length; i++) {
            if (quantiles[i] < quantiles[i - 1]) {
                throw new IllegalArgumentException("quantiles must not decrease");
            }
        }
        return new SizeTable(name, "given", quantiles.clone());
    }

    public String name() {
        return name;
    }

    /** Where the figures come from. */
    public String source() {
        return source;
    }

    /** The size at probability {@code u} in [0, 1). */
    public double inverse(double u) {
        double x = u * (quantiles.length - 1);
        int i = (int) Math.floor(x);
        if (i >= quantiles.length - 1) {
            return quantiles[quantiles.length - 1];
        }
        double frac = x - i;
        return quantiles[i] + frac * (quantiles[i + 1] - quantiles[i]);
    }

    /** The {@code p}-quantile. */
    public double quantile(double p) {
        return inverse(p);
    }
}
