package org.mirrorswarm.engine;

import org.mirrorswarm.engine.workload.Dist;

/**
 * The release's packages.
 *
 * @param count       packages in the catalogue
 * @param sizes       package size in bytes, drawn per package
 * @param zipf        popularity exponent: the package of rank k is asked for in proportion to 1 / k^zipf
 * @param pieceLength bytes per piece (per-piece hashes; the last piece may be shorter)
 * @param redraw      draw the catalogue (sizes and popularity order) anew in each replication; when false,
 *                    every replication sees the catalogue of replication 0, as one release would
 */
public record Packages(int count, Dist sizes, double zipf, int pieceLength, boolean redraw) {
    /** A catalogue drawn anew in each replication. */
    public Packages(int count, Dist sizes, double zipf, int pieceLength) {
        this(count, sizes, zipf, pieceLength, true);
    }

    public Packages {
        if (count < 1) {
            throw new IllegalArgumentException("packages.count must be >= 1, got " + count);
        }
        if (!(zipf >= 0)) {
            throw new IllegalArgumentException("packages.zipf must be >= 0, got " + zipf);
        }
        if (pieceLength < 1) {
            throw new IllegalArgumentException("packages.pieceLength must be >= 1, got " + pieceLength);
        }
    }
}
