package org.mirrorswarm.reports;

import java.util.List;
import java.util.Locale;

/**
 * How a metric of {@code results.csv} is shown: its label with unit, and the factor from the stored value
 * (seconds, bytes, ratios) to the shown one.
 *
 * @param name  column name in results.csv
 * @param label axis label, with unit
 * @param scale stored value × scale = shown value
 */
public record Metric(String name, String label, double scale) {
    /** The metrics the sweep charts and the summary table show, in that order, when they vary. */
    public static final List<Metric> KEY = List.of(
            new Metric("completion_mean", "Mean completion time (s)", 1),
            new Metric("completion_p95", "95th percentile completion time (s)", 1),
            new Metric("failed", "Clients that gave up", 1),
            new Metric("wasted_bytes", "Wasted bytes (MB)", 1e-6),
            new Metric("control_per_payload", "Control / payload bytes (%)", 100),
            new Metric("tracker_requests_per_s", "Tracker requests per second", 1),
            new Metric("tracker_utilisation", "Tracker utilisation (%)", 100),
            new Metric("tracker_entries_max", "Tracker entries held (max)", 1),
            new Metric("jain_index", "Mirror load balance (Jain index)", 1),
            new Metric("stale_hits", "Requests to a stale or absent mirror", 1),
            new Metric("bad_pieces", "Pieces that failed verification", 1),
            new Metric("peer_upload_share", "Share of bytes uploaded by peers (%)", 100));

    /** The shown value of a stored one. */
    public double show(double stored) {
        return stored * scale;
    }

    /** A shown value with about three significant digits. */
    public static String format(double v) {
        if (Double.isNaN(v)) {
            return "–";
        }
        double a = Math.abs(v);
        if (a == 0) {
            return "0";
        }
        if (a >= 1000) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        if (a >= 100) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        if (a >= 10) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        if (a >= 0.01) {
            return String.format(Locale.ROOT, "%.3g", v);
        }
        return String.format(Locale.ROOT, "%.2e", v);
    }
}
