package org.mirrorswarm.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;
import org.mirrorswarm.reports.Metric;
import org.mirrorswarm.reports.ResultsTable;
import org.mirrorswarm.reports.Stats;

/** The summary table printed after a run: per point and strategy, the headline metrics with 95% CIs. */
final class Summary {
    private Summary() {
    }

    static void print(PrintWriter out, ResultsTable t) {
        int width = Math.max(8, t.strategies().stream().mapToInt(String::length).max().orElse(8));
        String row = "%-" + width + "s %16s %18s %16s %8s %12s %8s %7s%n";
        for (int p : t.points()) {
            if (!t.axes().isEmpty()) {
                StringBuilder sb = new StringBuilder("point " + p + ":");
                for (Map.Entry<String, String> e : t.labels(p).entrySet()) {
                    sb.append(' ').append(e.getKey()).append('=').append(e.getValue());
                }
                out.println(sb);
            }
            out.printf(Locale.ROOT, row, "strategy", "mean (s)", "vs best (paired)", "p95 (s)", "failed", "wasted (MB)",
                    "ctrl %", "Jain");
            String best = t.best(p, "completion_mean");
            for (String s : t.strategies()) {
                double[] mean = t.values(p, s, "completion_mean");
                String delta = best == null ? "–" : s.equals(best) ? "best"
                        : "+" + ci(Stats.differences(mean, t.values(p, best, "completion_mean")), 1);
                out.printf(Locale.ROOT, row, s, ci(mean, 1), delta,
                        ci(t.values(p, s, "completion_p95"), 1), Metric.format(Stats.mean(t.values(p, s, "failed"))),
                        Metric.format(1e-6 * Stats.mean(t.values(p, s, "wasted_bytes"))),
                        Metric.format(100 * Stats.mean(t.values(p, s, "control_per_payload"))),
                        Metric.format(Stats.mean(t.values(p, s, "jain_index"))));
            }
        }
        out.flush();
    }

    private static String ci(double[] v, double scale) {
        double m = Stats.mean(v) * scale;
        double h = Stats.ciHalfWidth(v, 0.95) * scale;
        return Double.isNaN(h) ? Metric.format(m) : Metric.format(m) + " ± " + Metric.format(h);
    }
}
