package org.mirrorswarm.reports;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Paint;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.CombinedDomainCategoryPlot;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.category.StatisticalBarRenderer;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.statistics.DefaultStatisticalCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

/**
 * The charts of a report, built from a {@link ResultsTable}. Each method returns a {@link Chart}: a
 * file name, a caption and the JFreeChart, which {@link Report} writes as PNG and SVG. Error bars and
 * bands are 95% Student-t confidence intervals over replications.
 */
public final class Charts {
    /** A chart to write: {@code name} is the file name without extension. */
    public record Chart(String name, String caption, JFreeChart chart, int width, int height) {
    }

    /** Colour-blind-safe palette (Okabe–Ito, then Tableau), fixed so a strategy keeps its colour. */
    private static final Color[] PALETTE = {
            new Color(0x0072B2), new Color(0xD55E00), new Color(0x009E73), new Color(0xCC79A7),
            new Color(0xE69F00), new Color(0x56B4E9), new Color(0x000000), new Color(0xF0E442),
            new Color(0x8C564B), new Color(0x7F7F7F), new Color(0xBCBD22), new Color(0x17BECF)};
    private static final int CDF_POINTS = 240;
    private static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 15);
    private static final Font SUBTITLE = new Font(Font.SANS_SERIF, Font.PLAIN, 11);

    private Charts() {
    }

    /**
     * Why the JDK cannot draw a chart's text on this machine, or null when it can. A machine without
     * fontconfig or without any font (a minimal server or container image) fails inside the JDK's font
     * set-up with an {@link InternalError} and a long stack trace the first time text is measured; asked
     * first, a command can say so in one line before it simulates anything.
     */
    public static String fontProblem() {
        try {
            java.awt.image.BufferedImage image = new java.awt.image.BufferedImage(1, 1,
                    java.awt.image.BufferedImage.TYPE_INT_RGB);
            java.awt.Graphics2D g = image.createGraphics();
            try {
                g.getFontMetrics(TITLE).stringWidth("mirrorswarm");
            } finally {
                g.dispose();
            }
            return null;
        } catch (RuntimeException | Error e) {
            if (e instanceof VirtualMachineError && !(e instanceof InternalError)) {
                throw e; // out of memory, not a font problem
            }
            return "charts need a font and Java found none (" + Report.rootMessage(e) + "): install fontconfig and a font "
                    + "(Debian: apt-get install fontconfig fonts-dejavu-core)";
        }
    }

    /** The colour of the {@code i}-th series. */
    public static Paint colour(int i) {
        return PALETTE[i % PALETTE.length];
    }

    /** Every chart of a results table: per-point charts, then one per swept field and metric that varies. */
    public static List<Chart> all(ResultsTable t) {
        List<Chart> out = new ArrayList<>();
        List<Integer> points = t.points();
        for (int p : points) {
            out.add(completionCdf(t, p));
            out.add(completionBars(t, p));
            out.add(mirrorLoad(t, p));
            out.add(loadBalance(t, p));
            out.add(tracker(t, p));
        }
        for (String axis : t.axes()) {
            for (Metric m : Metric.KEY) {
                if (varies(t, m.name())) {
                    out.add(sweep(t, axis, m));
                }
            }
        }
        return out;
    }

    /** Whether a metric has at least two distinct numeric values over all runs. */
    static boolean varies(ResultsTable t, String metric) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (ResultsTable.Row r : t.rows()) {
            Double v = r.metrics().get(metric);
            if (v != null && !v.isNaN()) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        return max > min + 1e-12 * Math.max(1, Math.abs(max));
    }

    private static String suffix(ResultsTable t, int point) {
        return t.axes().isEmpty() ? "" : "-p" + point;
    }

    private static String pointLabel(ResultsTable t, int point) {
        if (t.axes().isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        t.labels(point).forEach((k, v) -> sb.append(sb.length() == 0 ? "" : ", ").append(k).append(" = ").append(v));
        return sb.toString();
    }

    private static String replicationNote(ResultsTable t, int point) {
        int reps = t.values(point, t.strategies().get(0), "completion_mean").length;
        return reps + (reps == 1 ? " replication" : " replications");
    }

    /** Completion time CDF per strategy, over every client of every replication. */
    public static Chart completionCdf(ResultsTable t, int point) {
        XYSeriesCollection data = new XYSeriesCollection();
        for (String s : t.strategies()) {
            double[] times = t.completionTimes(point, s);
            XYSeries series = new XYSeries(s, false, true);
            int n = times.length;
            if (n > 0) {
                series.add(times[0], 0.0);
                int step = Math.max(1, n / CDF_POINTS);
                for (int i = 0; i < n; i += step) {
                    series.add(times[i], (double) (i + 1) / n);
                }
                series.add(times[n - 1], 1.0);
            }
            data.addSeries(series);
        }
        JFreeChart chart = org.jfree.chart.ChartFactory.createXYLineChart("Completion time, by strategy",
                "Seconds from arrival to last package", "Share of clients done", data, PlotOrientation.VERTICAL,
                true, false, false);
        XYPlot plot = chart.getXYPlot();
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, false);
        r.setDrawSeriesLineAsPath(true);
        style(r, t.strategies().size());
        plot.setRenderer(r);
        ((NumberAxis) plot.getRangeAxis()).setRange(0, 1.0);
        finish(chart, subtitle(t, point, replicationNote(t, point) + "; each curve is every client of every replication"));
        return new Chart("completion-cdf" + suffix(t, point), "Completion-time CDF per strategy"
                + at(t, point) + ".", chart, 900, 520);
    }

    /** Mean, p95 and p99 completion per strategy with 95% CI bars. */
    public static Chart completionBars(ResultsTable t, int point) {
        DefaultStatisticalCategoryDataset data = new DefaultStatisticalCategoryDataset();
        String[][] rows = {{"completion_mean", "mean"}, {"completion_p95", "p95"}, {"completion_p99", "p99"}};
        for (String[] row : rows) {
            for (String s : t.strategies()) {
                add(data, t.values(point, s, row[0]), 1, row[1], s);
            }
        }
        CategoryPlot plot = barPlot(data, "Seconds", 3);
        JFreeChart chart = new JFreeChart("Completion time: mean and tail", TITLE, plot, true);
        finish(chart, subtitle(t, point, replicationNote(t, point) + "; bars: mean over replications, whiskers: 95% CI"));
        return new Chart("completion-bars" + suffix(t, point), "Mean, p95 and p99 completion time per strategy with 95% "
                + "confidence intervals" + at(t, point) + ".", chart, 900, 520);
    }

    /** Mirror utilisation over time, one panel per strategy: mean over mirrors, band from least to most loaded. */
    public static Chart mirrorLoad(ResultsTable t, int point) {
        NumberAxis time = new NumberAxis("Simulated time (s)");
        time.setAutoRangeIncludesZero(true);
        CombinedDomainXYPlot combined = new CombinedDomainXYPlot(time);
        combined.setGap(6);
        int i = 0;
        for (String s : t.strategies()) {
            ResultsTable.Load load = t.load(point, s);
            YIntervalSeriesCollection data = new YIntervalSeriesCollection();
            YIntervalSeries band = new YIntervalSeries(s);
            if (load != null) {
                for (int k = 0; k < load.time().length; k++) {
                    band.add(load.time()[k], 100 * load.mean()[k], 100 * load.min()[k], 100 * load.max()[k]);
                }
            }
            data.addSeries(band);
            NumberAxis util = new NumberAxis(s);
            util.setRange(0, 105);
            util.setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
            util.setTickLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 9));
            DeviationRenderer r = new DeviationRenderer(true, false);
            r.setDrawSeriesLineAsPath(true);
            r.setSeriesPaint(0, colour(i));
            r.setSeriesFillPaint(0, colour(i));
            r.setSeriesStroke(0, new BasicStroke(1.6f));
            r.setAlpha(0.22f);
            XYPlot plot = new XYPlot(data, null, util, r);
            plotStyle(plot);
            combined.add(plot, 1);
            i++;
        }
        JFreeChart chart = new JFreeChart("Mirror utilisation over time (%)", TITLE, combined, false);
        finish(chart, subtitle(t, point, "line: mean over mirrors; band: least to most loaded mirror; "
                + "averaged over " + replicationNote(t, point)));
        int height = 120 + 105 * Math.max(1, t.strategies().size());
        return new Chart("mirror-load" + suffix(t, point), "Mirror utilisation over time per strategy (mean over "
                + "mirrors, band from least to most loaded)" + at(t, point) + ".", chart, 900, height);
    }

    /** Jain's index of bytes served per capacity and the most loaded mirror over the mean, with 95% CIs. */
    public static Chart loadBalance(ResultsTable t, int point) {
        Chart c = twoPanels(t, point, "Mirror load balance (bytes served per unit of capacity)",
                new Metric("jain_index", "Jain index (1 = even)", 1), 0, new Metric("max_over_mean", "Most loaded / mean", 1), 1,
                "load-balance", "Load balance across mirrors per strategy: Jain's index and most loaded over mean");
        CategoryPlot jain = (CategoryPlot) ((CombinedDomainCategoryPlot) c.chart().getPlot()).getSubplots().get(0);
        ((NumberAxis) jain.getRangeAxis()).setRange(0, 1.05);
        return c;
    }

    /** Tracker requests per second and control bytes per payload byte, per strategy. */
    public static Chart tracker(ResultsTable t, int point) {
        return twoPanels(t, point, "Tracker load and control traffic",
                new Metric("tracker_requests_per_s", "Tracker requests/s", 1), 2,
                new Metric("control_per_payload", "Control / payload (%)", 100), 4,
                "tracker", "Tracker requests per second and control bytes per payload byte per strategy");
    }

    /** Two metrics per strategy as bars with 95% CI whiskers, one panel above the other. */
    private static Chart twoPanels(ResultsTable t, int point, String title, Metric top, int topColour, Metric bottom,
                                   int bottomColour, String name, String caption) {
        CombinedDomainCategoryPlot combined = new CombinedDomainCategoryPlot(categoryAxis());
        for (Object[] panel : new Object[][] {{top, topColour}, {bottom, bottomColour}}) {
            Metric m = (Metric) panel[0];
            DefaultStatisticalCategoryDataset data = new DefaultStatisticalCategoryDataset();
            for (String s : t.strategies()) {
                add(data, t.values(point, s, m.name()), m.scale(), m.label(), s);
            }
            combined.add(barPlot(data, m.label(), 1, (Integer) panel[1]), 1);
        }
        JFreeChart chart = new JFreeChart(title, TITLE, combined, false);
        finish(chart, subtitle(t, point, "whiskers: 95% CI over " + replicationNote(t, point)));
        return new Chart(name + suffix(t, point), caption + at(t, point) + ".", chart, 900, 560);
    }

    /** A metric against one swept field, a line per strategy (and per value of the other swept fields) with a 95% CI band. */
    public static Chart sweep(ResultsTable t, String axis, Metric metric) {
        List<Integer> points = t.points();
        List<String> values = new ArrayList<>();
        for (int p : points) {
            String v = t.labels(p).get(axis);
            if (!values.contains(v)) {
                values.add(v);
            }
        }
        double[] xs = new double[values.size()];
        boolean numeric = true;
        for (int i = 0; i < xs.length; i++) {
            try {
                xs[i] = Double.parseDouble(values.get(i));
            } catch (NumberFormatException e) {
                numeric = false;
            }
        }
        if (!numeric) {
            for (int i = 0; i < xs.length; i++) {
                xs[i] = i;
            }
        }
        Map<String, YIntervalSeries> series = new LinkedHashMap<>();
        for (String s : t.strategies()) {
            for (int p : points) {
                Map<String, String> labels = t.labels(p);
                StringBuilder key = new StringBuilder(s);
                labels.forEach((k, v) -> {
                    if (!k.equals(axis)) {
                        key.append(", ").append(k).append('=').append(v);
                    }
                });
                YIntervalSeries ys = series.computeIfAbsent(key.toString(), YIntervalSeries::new);
                double[] v = t.values(p, s, metric.name());
                double mean = metric.show(Stats.mean(v));
                double ci = metric.show(Stats.ciHalfWidth(v, 0.95));
                if (Double.isNaN(mean)) {
                    continue;
                }
                double half = Double.isNaN(ci) ? 0 : ci;
                ys.add(xs[values.indexOf(labels.get(axis))], mean, mean - half, mean + half);
            }
        }
        YIntervalSeriesCollection data = new YIntervalSeriesCollection();
        series.values().forEach(data::addSeries);
        ValueAxis x;
        if (!numeric) {
            SymbolAxis symbols = new SymbolAxis(axis, values.toArray(String[]::new));
            symbols.setGridBandsVisible(false);
            x = symbols;
        } else if (xs.length > 2 && xs[0] > 0 && max(xs) / min(xs) >= 50) {
            LogAxis log = new LogAxis(axis);
            log.setBase(10);
            log.setSmallestValue(min(xs) / 2);
            x = log;
        } else {
            NumberAxis n = new NumberAxis(axis);
            n.setAutoRangeIncludesZero(false);
            x = n;
        }
        NumberAxis y = new NumberAxis(metric.label());
        y.setAutoRangeIncludesZero(false);
        DeviationRenderer r = new DeviationRenderer(true, true);
        style(r, series.size());
        for (int i = 0; i < series.size(); i++) {
            r.setSeriesFillPaint(i, colour(i));
        }
        r.setAlpha(0.18f);
        XYPlot plot = new XYPlot(data, x, y, r);
        plotStyle(plot);
        JFreeChart chart = new JFreeChart(metric.label() + " against " + axis, TITLE, plot, true);
        finish(chart, new TextTitle(t.scenario() + " — line: mean; band: 95% CI over replications", SUBTITLE));
        String file = "sweep-" + axis.replaceAll("[^A-Za-z0-9]+", "_") + "-" + metric.name().replace('_', '-');
        return new Chart(file, metric.label() + " against " + axis + ", per strategy, with 95% confidence bands.",
                chart, 900, 520);
    }

    private static double max(double[] xs) {
        double m = Double.NEGATIVE_INFINITY;
        for (double x : xs) {
            m = Math.max(m, x);
        }
        return m;
    }

    private static double min(double[] xs) {
        double m = Double.POSITIVE_INFINITY;
        for (double x : xs) {
            m = Math.min(m, x);
        }
        return m;
    }

    private static String at(ResultsTable t, int point) {
        String l = pointLabel(t, point);
        return l.isEmpty() ? "" : " at " + l;
    }

    private static TextTitle subtitle(ResultsTable t, int point, String note) {
        String l = pointLabel(t, point);
        return new TextTitle(t.scenario() + (l.isEmpty() ? "" : " — " + l) + " — " + note, SUBTITLE);
    }

    /** Adds mean ± CI half-width (scaled) of a metric's replications; nothing drawn for no numbers. */
    private static void add(DefaultStatisticalCategoryDataset data, double[] values, double scale, String row,
                            String column) {
        double mean = Stats.mean(values);
        double ci = Stats.ciHalfWidth(values, 0.95);
        data.add(Double.isNaN(mean) ? null : mean * scale, Double.isNaN(ci) ? null : ci * scale, row, column);
    }

    private static CategoryAxis categoryAxis() {
        CategoryAxis a = new CategoryAxis();
        a.setCategoryLabelPositions(CategoryLabelPositions.UP_45);
        a.setMaximumCategoryLabelLines(2);
        a.setTickLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
        return a;
    }

    private static CategoryPlot barPlot(DefaultStatisticalCategoryDataset data, String label, int rows) {
        return barPlot(data, label, rows, 0);
    }

    private static CategoryPlot barPlot(DefaultStatisticalCategoryDataset data, String label, int rows, int firstColour) {
        StatisticalBarRenderer r = new StatisticalBarRenderer();
        r.setBarPainter(new StandardBarPainter());
        r.setShadowVisible(false);
        r.setDrawBarOutline(false);
        r.setErrorIndicatorPaint(Color.DARK_GRAY);
        r.setItemMargin(0.05);
        for (int i = 0; i < rows; i++) {
            r.setSeriesPaint(i, colour(firstColour + i));
        }
        NumberAxis y = new NumberAxis(label);
        y.setAutoRangeIncludesZero(true);
        CategoryPlot plot = new CategoryPlot(data, categoryAxis(), y, r);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(new Color(0xDDDDDD));
        plot.setOutlineVisible(false);
        return plot;
    }

    private static void style(XYLineAndShapeRenderer r, int series) {
        for (int i = 0; i < series; i++) {
            r.setSeriesPaint(i, colour(i));
            r.setSeriesStroke(i, new BasicStroke(1.8f, BasicStroke.CAP_ROUND,
                    BasicStroke.JOIN_ROUND, 1f, i < PALETTE.length ? null : new float[] {6f, 4f}, 0f));
        }
    }

    private static void plotStyle(XYPlot plot) {
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(0xDDDDDD));
        plot.setRangeGridlinePaint(new Color(0xDDDDDD));
        plot.setOutlineVisible(false);
    }

    private static void finish(JFreeChart chart, TextTitle subtitle) {
        chart.setBackgroundPaint(Color.WHITE);
        chart.setAntiAlias(true);
        chart.setTextAntiAlias(true);
        if (chart.getTitle() != null) {
            chart.getTitle().setFont(TITLE);
        }
        chart.addSubtitle(subtitle);
        if (chart.getPlot() instanceof XYPlot p) {
            plotStyle(p);
        }
        LegendTitle legend = chart.getLegend();
        if (legend != null) {
            legend.setFrame(BlockBorder.NONE);
            legend.setPosition(RectangleEdge.BOTTOM);
            legend.setItemFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        }
    }
}
