package org.mirrorswarm.reports;

import java.util.List;
import java.util.Map;

/** The report page: one self-contained HTML file with the charts inlined as SVG, readable offline. */
final class Html {
    /** Columns of the summary table: metric, header, whether to show the CI. */
    private static final List<Object[]> COLUMNS = List.of(
            new Object[] {new Metric("completion_mean", "Mean completion (s)", 1), true},
            new Object[] {new Metric("completion_p95", "p95 completion (s)", 1), true},
            new Object[] {new Metric("completion_p99", "p99 completion (s)", 1), false},
            new Object[] {new Metric("failed", "Gave up", 1), false},
            new Object[] {new Metric("wasted_bytes", "Wasted (MB)", 1e-6), true},
            new Object[] {new Metric("control_per_payload", "Control / payload (%)", 100), false},
            new Object[] {new Metric("tracker_requests_per_s", "Tracker req/s", 1), false},
            new Object[] {new Metric("jain_index", "Jain index", 1), true},
            new Object[] {new Metric("peer_upload_share", "Peer upload (%)", 100), false});

    private static final String STYLE = """
            body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;max-width:1000px;
            padding:0 1rem;color:#222;line-height:1.45}
            h1{margin-bottom:.2rem}h2{margin-top:2.2rem;border-bottom:1px solid #ddd;padding-bottom:.2rem}
            .q{font-size:1.1rem;color:#444;margin-top:0}
            table{border-collapse:collapse;font-size:.86rem;margin:.6rem 0}
            th,td{border-bottom:1px solid #e4e4e4;padding:.25rem .55rem;text-align:right;vertical-align:top}
            th{background:#f6f6f6}td:first-child,th:first-child{text-align:left}
            table.facts td{text-align:left}
            .ci{color:#777;font-size:.78rem}
            .best{font-weight:700}
            figure{margin:1.2rem 0}figure svg{width:100%;height:auto;display:block}
            figcaption{font-size:.85rem;color:#555}
            pre{background:#f7f7f7;padding:.8rem;overflow:auto;font-size:.78rem}
            details>summary{cursor:pointer;font-weight:600;margin:.8rem 0}
            footer{margin-top:3rem;font-size:.8rem;color:#777}
            """;

    private Html() {
    }

    static String page(ResultsTable t, List<Charts.Chart> charts, List<String> svgs, String version) {
        StringBuilder h = new StringBuilder(1 << 16);
        Map<String, String> info = t.runInfo();
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>mirrorswarm — ").append(esc(t.scenario())).append("</title>\n<style>\n")
                .append(STYLE).append("</style>\n</head>\n<body>\n");
        h.append("<h1>").append(esc(t.scenario())).append("</h1>\n");
        String question = info.getOrDefault("question", "");
        if (!question.isEmpty()) {
            h.append("<p class=\"q\">").append(esc(question)).append("</p>\n");
        }

        h.append("<table class=\"facts\">\n");
        fact(h, "Scenario", t.scenario());
        for (Map.Entry<String, String> f : Report.RUN_FIELDS.entrySet()) {
            if (info.containsKey(f.getKey())) {
                fact(h, f.getValue(), info.get(f.getKey()));
            }
        }
        fact(h, "Strategies", String.join(", ", t.strategies()));
        if (!t.axes().isEmpty()) {
            fact(h, "Swept", String.join(" × ", t.axes()) + " (" + t.points().size() + " points)");
        }
        fact(h, "Report drawn by", "mirrorswarm " + version);
        h.append("</table>\n");

        h.append("<h2>Summary</h2>\n<p>Means over replications; small figures are 95% Student-t confidence "
                + "half-widths. Bold: the lowest mean completion time at each point. Δ: each strategy's mean completion "
                + "minus the best one's, replication by replication (common random numbers), with its 95% CI; "
                + "a CI that excludes 0 is a real difference.</p>\n");
        summary(h, t);

        boolean sweep = !t.axes().isEmpty();
        if (sweep) {
            h.append("<h2>Sweep</h2>\n");
            for (int i = 0; i < charts.size(); i++) {
                if (charts.get(i).name().startsWith("sweep-")) {
                    figure(h, charts.get(i), svgs.get(i));
                }
            }
        }
        for (int p : t.points()) {
            String prefix = sweep ? "-p" + p : "";
            if (sweep) {
                h.append("<details").append(p == t.points().get(0) ? " open" : "").append("><summary>Point ")
                        .append(p).append(": ").append(esc(label(t.labels(p)))).append("</summary>\n");
            } else {
                h.append("<h2>Charts</h2>\n");
            }
            for (int i = 0; i < charts.size(); i++) {
                String n = charts.get(i).name();
                if (!n.startsWith("sweep-") && (!sweep || n.endsWith(prefix))) {
                    figure(h, charts.get(i), svgs.get(i));
                }
            }
            if (sweep) {
                h.append("</details>\n");
            }
        }

        h.append("<h2>Files</h2>\n<p>");
        for (String f : List.of(ResultsWriter.RESULTS, ResultsWriter.SUMMARY, ResultsWriter.COMPLETION,
                ResultsWriter.LOAD, ResultsWriter.MIRRORS, ResultsWriter.SCENARIO, ResultsWriter.RUN)) {
            h.append("<a href=\"").append(f).append("\">").append(f).append("</a> · ");
        }
        h.append("charts in <a href=\"").append(Report.CHARTS).append("/\">").append(Report.CHARTS)
                .append("/</a> (PNG and SVG)</p>\n");
        if (!t.scenarioYaml().isEmpty()) {
            h.append("<details><summary>The merged scenario (scenario.yaml)</summary>\n<pre>")
                    .append(esc(t.scenarioYaml())).append("</pre>\n</details>\n");
        }
        h.append("<footer>mirrorswarm ").append(esc(info.getOrDefault("version", "?")))
                .append(" · seed ").append(esc(info.getOrDefault("seed", "?")))
                .append(" · rerun: <code>mirrorswarm simulate scenario.yaml</code> reproduces these numbers"
                        + "</footer>\n</body>\n</html>\n");
        return h.toString();
    }

    private static void summary(StringBuilder h, ResultsTable t) {
        h.append("<table>\n<tr>");
        if (!t.axes().isEmpty()) {
            h.append("<th>Point</th>");
        }
        h.append("<th>Strategy</th><th>Runs</th><th>Δ mean vs best (s, paired)</th>");
        for (Object[] c : COLUMNS) {
            h.append("<th>").append(esc(((Metric) c[0]).label())).append("</th>");
        }
        h.append("</tr>\n");
        for (int p : t.points()) {
            String bestName = t.best(p, "completion_mean");
            double best = bestName == null ? Double.NaN : Stats.mean(t.values(p, bestName, "completion_mean"));
            for (String s : t.strategies()) {
                double[] reps = t.values(p, s, "completion_mean");
                if (reps.length == 0) {
                    continue;
                }
                h.append("<tr>");
                if (!t.axes().isEmpty()) {
                    h.append("<td>").append(esc(label(t.labels(p)))).append("</td>");
                }
                boolean isBest = Stats.mean(reps) == best;
                h.append("<td").append(isBest ? " class=\"best\"" : "").append(">").append(esc(s)).append("</td><td>")
                        .append(reps.length).append("</td><td>");
                if (isBest) {
                    h.append("best");
                } else if (bestName != null) {
                    double[] d = Stats.differences(reps, t.values(p, bestName, "completion_mean"));
                    double ci = Stats.ciHalfWidth(d, 0.95);
                    h.append('+').append(Metric.format(Stats.mean(d)));
                    if (!Double.isNaN(ci)) {
                        h.append(" <span class=\"ci\">±").append(Metric.format(ci)).append("</span>");
                    }
                }
                h.append("</td>");
                for (Object[] c : COLUMNS) {
                    Metric m = (Metric) c[0];
                    double[] v = t.values(p, s, m.name());
                    double mean = m.show(Stats.mean(v));
                    h.append("<td").append(isBest && m.name().equals("completion_mean") ? " class=\"best\"" : "")
                            .append(">").append(Metric.format(mean));
                    double ci = m.show(Stats.ciHalfWidth(v, 0.95));
                    if ((Boolean) c[1] && !Double.isNaN(ci) && !Double.isNaN(mean)) {
                        h.append(" <span class=\"ci\">±").append(Metric.format(ci)).append("</span>");
                    }
                    h.append("</td>");
                }
                h.append("</tr>\n");
            }
        }
        h.append("</table>\n");
    }

    private static String label(Map<String, String> labels) {
        StringBuilder sb = new StringBuilder();
        labels.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : ", ").append(k).append(" = ").append(v));
        return sb.toString();
    }

    private static void fact(StringBuilder h, String name, String value) {
        h.append("<tr><th>").append(esc(name)).append("</th><td>").append(esc(value)).append("</td></tr>\n");
    }

    private static void figure(StringBuilder h, Charts.Chart c, String svg) {
        h.append("<figure id=\"").append(esc(c.name())).append("\">\n").append(svg).append("\n<figcaption>")
                .append(esc(c.caption())).append(" <a href=\"").append(Report.CHARTS).append('/').append(esc(c.name()))
                .append(".png\">PNG</a> · <a href=\"").append(Report.CHARTS).append('/').append(esc(c.name()))
                .append(".svg\">SVG</a></figcaption>\n</figure>\n");
    }

    static String esc(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }
}
