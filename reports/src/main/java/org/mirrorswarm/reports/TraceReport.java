package org.mirrorswarm.reports;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Rectangle;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.svg.SVGGraphics2D;
import org.jfree.svg.ViewBox;
import org.mirrorswarm.strategies.Action;
import org.mirrorswarm.strategies.DecisionTrace;
import org.mirrorswarm.strategies.Event;
import org.mirrorswarm.strategies.TraceCodec;

/**
 * Draws a live download's decision trace ({@code mirrorswarm fetch --trace FILE}): each mirror's
 * throughput over time, from the bytes the scheduler was told arrived, and a table of requests,
 * failures and bad pieces per mirror. Written to {@code FILE.report/} (charts and index.html).
 */
public final class TraceReport {
    /** Per-mirror totals read from a trace. */
    public record MirrorRow(String mirror, long bytes, int requests, int failures, int badPieces, int duplicates,
                            int stolen) {
    }

    /**
     * A trace's throughput series: bin width, per mirror bytes per second in each bin, and the table. The last
     * bin ends with the trace, so it may be shorter ({@link #width}).
     */
    public record Summary(double binWidth, Map<String, double[]> rates, List<MirrorRow> rows, double seconds,
                          boolean lastLineCut) {
        /** How long bin {@code i} is: {@link #binWidth}, or less for the last. */
        public double width(int i) {
            double covered = seconds - i * binWidth;
            return covered > 0 && covered < binWidth ? covered : binWidth;
        }
    }

    /** Bin widths to choose from, in seconds: the first that gives at most {@link #MAX_BINS} bins. */
    private static final double[] BIN_WIDTHS = {0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60};
    private static final int MAX_BINS = 120;

    /** The bin width for a trace of {@code seconds}: 60–120 bins, on round values, so short fetches show too. */
    static double binWidth(double seconds) {
        for (double w : BIN_WIDTHS) {
            if (seconds / w <= MAX_BINS) {
                return w;
            }
        }
        return Math.ceil(seconds / MAX_BINS / 60) * 60;
    }

    private TraceReport() {
    }

    /** True when the file starts like a decision trace. */
    public static boolean isTrace(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return false;
        }
        // Bytes, not text: a binary file is not a trace, and not an error.
        byte[] header = TraceCodec.HEADER.getBytes(StandardCharsets.UTF_8);
        try (var in = Files.newInputStream(file)) {
            byte[] start = in.readNBytes(header.length + 1);
            return start.length == header.length + 1 && (start[header.length] == '\n' || start[header.length] == '\r')
                    && java.util.Arrays.equals(start, 0, header.length, header, 0, header.length);
        }
    }

    /**
     * Reads the trace; a malformed line is an error naming the file and line. A last line without its end, as a
     * fetch killed while writing leaves its hidden trace ({@code .NAME.PID.RANDOM.part}), is left out and said so
     * ({@link Summary#lastLineCut}): the rest is what the investigation of such a fetch needs.
     */
    public static Summary summarize(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        int end = bytes.length;
        boolean cut = end > 0 && bytes[end - 1] != '\n';
        if (cut) {
            while (end > 0 && bytes[end - 1] != '\n') {
                end--;
            }
        }
        List<String> lines;
        try {
            lines = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes, 0, end)).toString()
                    .lines().toList();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new IllegalArgumentException(file + ": not a mirrorswarm trace: not UTF-8 text");
        }
        TraceCodec.Parsed parsed;
        try {
            parsed = TraceCodec.parse(lines);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage());
        }
        Map<Integer, String> mirrorOf = new HashMap<>();
        Map<String, long[]> counts = new LinkedHashMap<>(); // bytes, requests, failures, bad, dup, stolen
        List<double[]> arrivals = new ArrayList<>(); // time, request, bytes
        double endTime = 0;
        for (DecisionTrace.Entry e : parsed.entries()) {
            endTime = Math.max(endTime, e.time());
            if (e instanceof DecisionTrace.Out o && o.action() instanceof Action.StartRequest s) {
                mirrorOf.put(s.request(), s.mirrorId());
                long[] c = counts.computeIfAbsent(s.mirrorId(), k -> new long[6]);
                c[1]++;
                if (s.purpose() == Action.Purpose.DUPLICATE) {
                    c[4]++;
                } else if (s.purpose() == Action.Purpose.STOLEN) {
                    c[5]++;
                }
            } else if (e instanceof DecisionTrace.In in) {
                Event ev = in.event();
                if (ev instanceof Event.BytesArrived b && mirrorOf.containsKey(b.request())) {
                    arrivals.add(new double[] {b.time(), b.request(), b.bytes()});
                    counts.get(mirrorOf.get(b.request()))[0] += b.bytes();
                } else if (ev instanceof Event.RequestFailed f && mirrorOf.containsKey(f.request())
                        && f.reason() != org.mirrorswarm.strategies.FailureReason.CANCELLED) {
                    counts.get(mirrorOf.get(f.request()))[2]++;
                } else if (ev instanceof Event.PieceFailed f && mirrorOf.containsKey(f.request())) {
                    counts.get(mirrorOf.get(f.request()))[3]++;
                }
            }
        }
        double bin = binWidth(endTime);
        int bins = Math.max(1, (int) Math.ceil(endTime / bin));
        Map<String, double[]> rates = new LinkedHashMap<>();
        for (String m : counts.keySet()) {
            rates.put(m, new double[bins]);
        }
        List<MirrorRow> rows = new ArrayList<>();
        counts.forEach((m, c) -> rows.add(new MirrorRow(m, c[0], (int) c[1], (int) c[2], (int) c[3], (int) c[4], (int) c[5])));
        Summary s = new Summary(bin, rates, rows, endTime, cut);
        for (double[] a : arrivals) {
            int i = Math.min(bins - 1, (int) (a[0] / bin)); // the trace's last instant is in the last bin
            rates.get(mirrorOf.get((int) a[1]))[i] += a[2] / s.width(i);
        }
        return s;
    }

    /** Draws the trace into {@code FILE.report/}; returns the page. */
    public static Path render(Path file, String version) throws IOException {
        Summary s = summarize(file);
        XYSeriesCollection data = new XYSeriesCollection();
        XYSeries total = new XYSeries("all mirrors", false, true);
        double[] sum = new double[s.rates().values().stream().mapToInt(a -> a.length).max().orElse(0)];
        for (Map.Entry<String, double[]> e : s.rates().entrySet()) {
            XYSeries series = new XYSeries(e.getKey(), false, true);
            double[] r = e.getValue();
            for (int i = 0; i < r.length; i++) {
                series.add(i * s.binWidth() + s.width(i) / 2, r[i] / (1 << 20)); // at the bin's middle
                sum[i] += r[i];
            }
            data.addSeries(series);
        }
        for (int i = 0; i < sum.length; i++) {
            total.add(i * s.binWidth() + s.width(i) / 2, sum[i] / (1 << 20));
        }
        data.addSeries(total);
        JFreeChart chart = org.jfree.chart.ChartFactory.createXYLineChart("Throughput per mirror",
                "Seconds since the fetch started", "MiB/s", data);
        XYPlot plot = chart.getXYPlot();
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, false);
        for (int i = 0; i < data.getSeriesCount(); i++) {
            boolean last = i == data.getSeriesCount() - 1;
            r.setSeriesPaint(i, last ? Color.DARK_GRAY : Charts.colour(i));
            r.setSeriesStroke(i, last ? new BasicStroke(1.4f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 1f,
                    new float[] {5f, 4f}, 0f) : new BasicStroke(1.8f));
        }
        plot.setRenderer(r);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(0xDDDDDD));
        plot.setRangeGridlinePaint(new Color(0xDDDDDD));
        plot.setOutlineVisible(false);
        ((NumberAxis) plot.getRangeAxis()).setAutoRangeIncludesZero(true);
        chart.setBackgroundPaint(Color.WHITE);
        chart.addSubtitle(new TextTitle(file.getFileName() + " — bytes the scheduler was told arrived, per "
                + s.binWidth() + " s", new Font(Font.SANS_SERIF, Font.PLAIN, 11)));
        chart.getLegend().setFrame(BlockBorder.NONE);
        chart.getLegend().setPosition(RectangleEdge.BOTTOM);

        Path dir = file.resolveSibling(file.getFileName() + ".report");
        Path tmp = Report.freshFolder(file.toAbsolutePath().getParent(), "." + file.getFileName() + ".report-");
        try {
            try (OutputStream out = Files.newOutputStream(tmp.resolve("throughput.png"))) {
                ChartUtils.writeChartAsPNG(out, chart, 900, 520);
            }
            SVGGraphics2D g = new SVGGraphics2D(900, 520);
            g.setDefsKeyPrefix("throughput-");
            chart.draw(g, new Rectangle(0, 0, 900, 520));
            Files.writeString(tmp.resolve("throughput.svg"), g.getSVGDocument(), StandardCharsets.UTF_8);
            StringBuilder h = new StringBuilder();
            h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>mirrorswarm trace — ")
                    .append(Html.esc(file.getFileName().toString())).append("</title><style>body{font-family:system-ui,"
                            + "sans-serif;max-width:1000px;margin:2rem auto;padding:0 1rem}svg{width:100%;height:auto}"
                            + "table{border-collapse:collapse}td,th{border-bottom:1px solid #ddd;padding:.25rem .6rem;"
                            + "text-align:right}td:first-child,th:first-child{text-align:left}</style></head><body>\n")
                    .append("<h1>Live fetch: ").append(Html.esc(file.getFileName().toString())).append("</h1>\n<p>")
                    .append(String.format(Locale.ROOT, "%.2f s of decisions", s.seconds()))
                    .append(s.lastLineCut() ? " (the trace's last line was cut short, as a fetch stopped while writing "
                            + "leaves it, and is left out)" : "")
                    .append("; drawn by mirrorswarm ").append(Html.esc(version)).append("</p>\n")
                    .append(g.getSVGElement("throughput", false, new ViewBox(0, 0, 900, 520), null, null))
                    .append("\n<table><tr><th>mirror</th><th>bytes</th><th>requests</th><th>copies</th><th>stolen</th>"
                            + "<th>failures</th><th>bad pieces</th></tr>\n");
            for (MirrorRow m : s.rows()) {
                h.append("<tr><td>").append(Html.esc(m.mirror())).append("</td><td>").append(m.bytes()).append("</td><td>")
                        .append(m.requests()).append("</td><td>").append(m.duplicates()).append("</td><td>")
                        .append(m.stolen()).append("</td><td>").append(m.failures()).append("</td><td>")
                        .append(m.badPieces()).append("</td></tr>\n");
            }
            h.append("</table>\n</body></html>\n");
            Files.writeString(tmp.resolve("index.html"), h, StandardCharsets.UTF_8);
            Path old = null;
            if (Files.exists(dir)) {
                old = Report.freshName(dir.getParent(), "." + dir.getFileName() + ".old-");
                Files.move(dir, old, StandardCopyOption.ATOMIC_MOVE);
            }
            Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
            if (old != null) {
                Report.deleteTree(old);
            }
        } finally {
            Report.deleteTree(tmp);
        }
        return dir.resolve("index.html");
    }
}
