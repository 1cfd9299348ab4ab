package org.mirrorswarm.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.CombinedDomainCategoryPlot;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.data.statistics.DefaultStatisticalCategoryDataset;
import org.jfree.data.xy.XYDataset;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.data.xy.YIntervalSeriesCollection;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mirrorswarm.engine.scenario.ScenarioLoader;
import org.mirrorswarm.engine.scenario.Study;
import org.mirrorswarm.engine.scenario.StudyRunner;

/**
 * A real (small) study simulated, written, read back and drawn: the CSV files hold every run, the
 * charts hold the expected series, and the page is self-contained.
 */
class ReportTest {
    static final String SCENARIO = """
            name: report-test
            question: "Does the report show every strategy?"
            seed: 7
            replications: 3
            clients: {count: 60, arrival: {flash-crowd: 20s}, packages: 4}
            packages: {count: 30, sizes: {log-uniform: [100KiB, 8MiB]}}
            mirrors:
              - {name: m, count: 5, uplink: {log-uniform: [2MB/s, 20MB/s]}}
            strategies:
              - chunk: adaptive
              - chunk: single
              - {name: "work, queue", chunk: work-queue}
            sweep:
              clients.count: [40, 80]
            """;

    @TempDir
    static Path dir;
    static Study study;
    static ResultsTable table;

    @BeforeAll
    static void simulateAndWrite() throws IOException {
        study = ScenarioLoader.load("report-test.yaml", SCENARIO, List.of());
        List<StudyRunner.Outcome> outcomes = StudyRunner.run(study, 2, new StudyRunner.Progress() {
            @Override
            public void started(int totalRuns) {
            }

            @Override
            public void runDone(StudyRunner.Outcome outcome, int done, int total) {
            }
        });
        ResultsWriter.write(dir, study, outcomes, new RunInfo(study.name(), study.question(), 7, "test-version",
                Instant.EPOCH.toString(), 1.5, 1000, outcomes.size(), 2, 3, "17"));
        table = ResultsTable.read(dir);
    }

    @Test
    void resultsHoldOneRowPerPointStrategyAndReplication() throws IOException {
        assertThat(table.rows()).hasSize(2 * 3 * 3);
        assertThat(table.strategies()).containsExactly("adaptive", "single", "work, queue");
        assertThat(table.axes()).containsExactly("clients.count");
        assertThat(table.points()).containsExactly(0, 1);
        assertThat(table.labels(1)).containsEntry("clients.count", "80");
        assertThat(table.values(1, "single", "clients")).containsOnly(80.0);
        assertThat(table.completionTimes(0, "adaptive")).hasSizeGreaterThan(0).isSorted();
        // Wall-clock figures stay out of the CSV files, so they are reproducible byte for byte.
        String header = Files.readAllLines(dir.resolve(ResultsWriter.RESULTS)).get(0);
        assertThat(header).contains("completion_mean", "jain_index", "bad_pieces").doesNotContain("wall_s")
                .doesNotContain("events_per_s");
        assertThat(table.runInfo()).containsEntry("seed", "7").containsEntry("version", "test-version");
        assertThat(Files.readString(dir.resolve(ResultsWriter.SCENARIO))).contains("name: report-test");
    }

    @Test
    void summaryHasMeansAndHalfWidthsThatMatchTheRuns() throws IOException {
        List<String> lines = Files.readAllLines(dir.resolve(ResultsWriter.SUMMARY));
        List<String> header = Csv.parse(lines.get(0) + "\n", "summary.csv").get(0);
        List<String> row = Csv.parse(lines.get(1) + "\n", "summary.csv").get(0);
        assertThat(row.get(header.indexOf("strategy"))).isEqualTo("adaptive");
        assertThat(row.get(header.indexOf("runs"))).isEqualTo("3");
        double[] reps = table.values(0, "adaptive", "completion_mean");
        assertThat(Double.parseDouble(row.get(header.indexOf("completion_mean_mean")))).isEqualTo(Stats.mean(reps));
        assertThat(Double.parseDouble(row.get(header.indexOf("completion_mean_ci95"))))
                .isEqualTo(Stats.ciHalfWidth(reps, 0.95));
    }

    @Test
    void completionCdfHasOneRisingSeriesPerStrategyEndingAtOne() {
        Charts.Chart c = Charts.completionCdf(table, 0);
        XYSeriesCollection data = (XYSeriesCollection) c.chart().getXYPlot().getDataset();
        assertThat(data.getSeriesCount()).isEqualTo(3);
        for (int s = 0; s < 3; s++) {
            assertThat((Object) data.getSeriesKey(s)).isEqualTo(table.strategies().get(s));
            int n = data.getItemCount(s);
            assertThat(n).isGreaterThan(2);
            for (int i = 1; i < n; i++) {
                assertThat(data.getXValue(s, i)).isGreaterThanOrEqualTo(data.getXValue(s, i - 1));
                assertThat(data.getYValue(s, i)).isGreaterThanOrEqualTo(data.getYValue(s, i - 1));
            }
            assertThat(data.getYValue(s, n - 1)).isEqualTo(1.0);
            double[] times = table.completionTimes(0, table.strategies().get(s));
            assertThat(data.getXValue(s, n - 1)).isEqualTo(times[times.length - 1]);
        }
        assertThat(c.name()).isEqualTo("completion-cdf-p0");
    }

    @Test
    void barsCarryMeansAndConfidenceHalfWidths() {
        Charts.Chart c = Charts.completionBars(table, 1);
        DefaultStatisticalCategoryDataset d = (DefaultStatisticalCategoryDataset) c.chart().getCategoryPlot().getDataset();
        assertThat(keys(d.getRowKeys())).containsExactly("mean", "p95", "p99");
        assertThat(keys(d.getColumnKeys())).containsExactly("adaptive", "single", "work, queue");
        double[] reps = table.values(1, "single", "completion_p95");
        assertThat(d.getMeanValue("p95", "single").doubleValue()).isEqualTo(Stats.mean(reps));
        assertThat(d.getStdDevValue("p95", "single").doubleValue()).isEqualTo(Stats.ciHalfWidth(reps, 0.95));

        CombinedDomainCategoryPlot balance = (CombinedDomainCategoryPlot) Charts.loadBalance(table, 0).chart().getPlot();
        List<?> plots = balance.getSubplots();
        assertThat(plots).hasSize(2);
        assertThat(((DefaultStatisticalCategoryDataset) ((CategoryPlot) plots.get(0)).getDataset()).getMeanValue("Jain index (1 = even)", "adaptive")
                .doubleValue()).isEqualTo(Stats.mean(table.values(0, "adaptive", "jain_index")));
    }

    @Test
    void mirrorLoadHasAPanelPerStrategyWithUtilisationInPercent() {
        CombinedDomainXYPlot plot = (CombinedDomainXYPlot) Charts.mirrorLoad(table, 0).chart().getPlot();
        assertThat(plot.getSubplots()).hasSize(3);
        XYDataset d = plot.getSubplots().get(1).getDataset();
        assertThat(d.getSeriesKey(0)).isEqualTo("single");
        ResultsTable.Load load = table.load(0, "single");
        assertThat(d.getItemCount(0)).isEqualTo(load.time().length);
        YIntervalSeriesCollection y = (YIntervalSeriesCollection) d;
        for (int i = 0; i < y.getItemCount(0); i++) {
            assertThat(y.getStartYValue(0, i)).isLessThanOrEqualTo(y.getYValue(0, i));
            assertThat(y.getYValue(0, i)).isLessThanOrEqualTo(y.getEndYValue(0, i) + 1e-9);
        }
    }

    @Test
    void sweepChartsPlotEachStrategyAgainstTheSweptValueWithItsBand() {
        Metric mean = Metric.KEY.get(0);
        Charts.Chart c = Charts.sweep(table, "clients.count", mean);
        YIntervalSeriesCollection d = (YIntervalSeriesCollection) c.chart().getXYPlot().getDataset();
        assertThat(d.getSeriesCount()).isEqualTo(3);
        assertThat(d.getSeriesKey(2)).isEqualTo("work, queue");
        assertThat(d.getItemCount(0)).isEqualTo(2);
        assertThat(d.getXValue(0, 0)).isEqualTo(40.0);
        assertThat(d.getXValue(0, 1)).isEqualTo(80.0);
        double[] reps = table.values(1, "adaptive", "completion_mean");
        assertThat(d.getYValue(0, 1)).isEqualTo(Stats.mean(reps));
        assertThat(d.getEndYValue(0, 1) - d.getYValue(0, 1)).isCloseTo(Stats.ciHalfWidth(reps, 0.95),
                org.assertj.core.data.Offset.offset(1e-9));
        assertThat(c.name()).isEqualTo("sweep-clients_count-completion-mean");
        // Only metrics that vary get a sweep chart: nothing here fails, so "failed" has none.
        assertThat(Charts.all(table)).extracting(Charts.Chart::name).contains("sweep-clients_count-completion-mean")
                .doesNotContain("sweep-clients_count-failed");
    }

    @Test
    void renderWritesPngAndSvgForEveryChartAndASelfContainedPage(@TempDir Path copy) throws IOException {
        copyTree(dir, copy);
        Report.Rendered r = Report.render(copy, "9.9.9");
        List<Charts.Chart> charts = Charts.all(table);
        assertThat(r.charts()).isEqualTo(charts.size());
        for (Charts.Chart c : charts) {
            Path png = copy.resolve("charts").resolve(c.name() + ".png");
            BufferedImage img = ImageIO.read(png.toFile());
            assertThat(img.getWidth()).isEqualTo(c.width());
            assertThat(img.getHeight()).isEqualTo(c.height());
            String svg = Files.readString(copy.resolve("charts").resolve(c.name() + ".svg"));
            assertThat(svg).startsWith("<?xml").contains("<svg");
        }
        assertThat(Files.readString(copy.resolve("charts/completion-cdf-p0.svg"))).contains("adaptive", "single",
                "work, queue");

        String html = Files.readString(copy.resolve("index.html"), StandardCharsets.UTF_8);
        assertThat(html).contains("<h1>report-test</h1>", "Does the report show every strategy?", "test-version",
                "9.9.9", "work, queue", "clients.count = 80");
        assertThat(countOf(html, "<svg")).isEqualTo(charts.size());
        // Offline: nothing is fetched from elsewhere, and no script runs.
        assertThat(html).doesNotContain("<script").doesNotContain("src=\"http").doesNotContain("href=\"http");
        // Inline SVGs must not share element ids, or one chart's gradients and clips would paint another.
        Matcher m = Pattern.compile("id=\"([^\"]+)\"").matcher(html);
        Set<String> ids = new HashSet<>();
        List<String> dup = new ArrayList<>();
        while (m.find()) {
            if (!ids.add(m.group(1))) {
                dup.add(m.group(1));
            }
        }
        assertThat(dup).isEmpty();
        // No temporary folders are left behind.
        try (Stream<Path> s = Files.list(copy)) {
            assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("."));
        }
    }

    @Test
    void renderingIsReproducible(@TempDir Path a, @TempDir Path b) throws IOException {
        copyTree(dir, a);
        copyTree(dir, b);
        Report.render(a, "1");
        Report.render(b, "1");
        assertThat(Files.readString(a.resolve("index.html"))).isEqualTo(Files.readString(b.resolve("index.html")));
        assertThat(Files.readAllBytes(a.resolve("charts/completion-bars-p1.png")))
                .isEqualTo(Files.readAllBytes(b.resolve("charts/completion-bars-p1.png")));
    }

    @Test
    void aDamagedResultsFileIsAnErrorNamingFileAndLine(@TempDir Path copy) throws IOException {
        copyTree(dir, copy);
        Path results = copy.resolve(ResultsWriter.RESULTS);
        List<String> lines = new ArrayList<>(Files.readAllLines(results));
        assertThat(lines.get(2)).contains(",single,");
        lines.set(2, lines.get(2).replaceFirst(",single,", ",single,extra,"));
        Files.write(results, lines);
        assertThatThrownBy(() -> ResultsTable.read(copy)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(ResultsWriter.RESULTS + ":3:");

        Files.delete(results);
        assertThatThrownBy(() -> ResultsTable.read(copy)).hasMessageContaining("results.csv: missing");

        copyTree(dir, copy);
        Path times = copy.resolve(ResultsWriter.COMPLETION);
        Files.writeString(times, "point,strategy,replication,seconds\n0,adaptive,0,soon\n");
        assertThatThrownBy(() -> ResultsTable.read(copy)).hasMessageContaining("completion-times.csv:2: not a number");
    }

    private static List<String> keys(List<?> keys) {
        return keys.stream().map(String::valueOf).toList();
    }

    private static int countOf(String s, String needle) {
        int n = 0;
        for (int i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.list(from)) {
            for (Path p : s.toList()) {
                if (Files.isRegularFile(p)) {
                    Files.copy(p, to.resolve(p.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
