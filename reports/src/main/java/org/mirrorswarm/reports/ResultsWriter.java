package org.mirrorswarm.reports;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.mirrorswarm.engine.RunResult;
import org.mirrorswarm.engine.scenario.Study;
import org.mirrorswarm.engine.scenario.StudyRunner;
import org.mirrorswarm.engine.scenario.Yaml;
import org.mirrorswarm.strategies.JsonText;

/**
 * Writes the results of a scenario file's runs: {@code results.csv} (a row per point × strategy ×
 * replication, every metric), {@code summary.csv} (means and 95% CI half-widths per point and strategy),
 * {@code completion-times.csv} (every client's completion time), {@code mirror-load.csv} (mirror
 * utilisation over time: mean, max, min over mirrors per bin), {@code mirrors.csv} (bytes per mirror),
 * {@code scenario.yaml} (the merged scenario) and {@code run.json}.
 */
public final class ResultsWriter {
    public static final String RESULTS = "results.csv";
    public static final String SUMMARY = "summary.csv";
    public static final String COMPLETION = "completion-times.csv";
    public static final String LOAD = "mirror-load.csv";
    public static final String MIRRORS = "mirrors.csv";
    public static final String SCENARIO = "scenario.yaml";
    public static final String RUN = "run.json";
    /** Metrics that measure the machine, not the model: left out of the CSV files. */
    static final List<String> WALL_CLOCK = List.of("wall_s", "events_per_s");

    private ResultsWriter() {
    }

    public static void write(Path dir, Study study, List<StudyRunner.Outcome> outcomes, RunInfo info) throws IOException {
        Files.createDirectories(dir);
        List<String> axes = new ArrayList<>();
        study.sweep().forEach(a -> axes.add(a.path()));
        List<String> metrics = outcomes.isEmpty() ? List.of()
                : new ArrayList<>(outcomes.get(0).result().metrics().keySet());
        // Wall-clock figures differ from run to run: they go to run.json, so results.csv is reproducible.
        metrics.removeAll(WALL_CLOCK);

        try (BufferedWriter w = Files.newBufferedWriter(dir.resolve(RESULTS), StandardCharsets.UTF_8)) {
            List<String> header = new ArrayList<>(List.of("scenario", "point"));
            header.addAll(axes);
            header.addAll(List.of("strategy", "transport", "replication", "seed"));
            header.addAll(metrics);
            w.write(Csv.line(header));
            w.newLine();
            for (StudyRunner.Outcome o : outcomes) {
                RunResult r = o.result();
                List<String> row = new ArrayList<>(List.of(r.scenario(), Integer.toString(o.point().index())));
                for (String a : axes) {
                    row.add(o.point().labels().get(a));
                }
                row.addAll(List.of(r.variant(), r.transport(), Integer.toString(r.replication()), Long.toString(r.seed())));
                Map<String, Double> values = r.metrics();
                for (String m : metrics) {
                    row.add(Csv.number(values.get(m)));
                }
                w.write(Csv.line(row));
                w.newLine();
            }
        }

        try (BufferedWriter w = Files.newBufferedWriter(dir.resolve(COMPLETION), StandardCharsets.UTF_8)) {
            w.write("point,strategy,replication,seconds");
            w.newLine();
            for (StudyRunner.Outcome o : outcomes) {
                String prefix = o.point().index() + "," + Csv.line(List.of(o.result().variant())) + ","
                        + o.result().replication() + ",";
                for (double t : o.result().completionTimes()) {
                    w.write(prefix);
                    w.write(Double.toString(t));
                    w.newLine();
                }
            }
        }

        try (BufferedWriter w = Files.newBufferedWriter(dir.resolve(LOAD), StandardCharsets.UTF_8);
             BufferedWriter m = Files.newBufferedWriter(dir.resolve(MIRRORS), StandardCharsets.UTF_8)) {
            w.write("point,strategy,replication,time,util_mean,util_max,util_min");
            w.newLine();
            m.write("point,strategy,replication,mirror,capacity,bytes");
            m.newLine();
            for (StudyRunner.Outcome o : outcomes) {
                RunResult r = o.result();
                String prefix = o.point().index() + "," + Csv.line(List.of(r.variant())) + "," + r.replication() + ",";
                int bins = 0;
                for (double[] b : r.mirrorBins()) {
                    bins = Math.max(bins, b.length);
                }
                for (int b = 0; b < bins; b++) {
                    double sum = 0;
                    double max = 0;
                    double min = Double.POSITIVE_INFINITY;
                    for (int k = 0; k < r.mirrorIds().length; k++) {
                        double u = r.utilisation(k, b);
                        sum += u;
                        max = Math.max(max, u);
                        min = Math.min(min, u);
                    }
                    w.write(prefix + Csv.number(b * r.binWidth()) + "," + Csv.number(sum / r.mirrorIds().length) + ","
                            + Csv.number(max) + "," + Csv.number(min));
                    w.newLine();
                }
                for (int k = 0; k < r.mirrorIds().length; k++) {
                    m.write(prefix + Csv.line(List.of(r.mirrorIds()[k])) + "," + Csv.number(r.mirrorCapacity()[k]) + ","
                            + r.mirrorBytes()[k]);
                    m.newLine();
                }
            }
        }

        writeSummary(dir.resolve(SUMMARY), axes, metrics, outcomes);
        Files.writeString(dir.resolve(SCENARIO), "# The merged scenario these results come from: " + study.name() + "\n"
                + (study.question().isEmpty() ? "" : "# " + study.question() + "\n") + Yaml.write(study.effective()),
                StandardCharsets.UTF_8);
        Files.writeString(dir.resolve(RUN), json(info), StandardCharsets.UTF_8);
    }

    private static void writeSummary(Path file, List<String> axes, List<String> metrics,
                                     List<StudyRunner.Outcome> outcomes) throws IOException {
        Map<String, List<StudyRunner.Outcome>> groups = new LinkedHashMap<>();
        for (StudyRunner.Outcome o : outcomes) {
            groups.computeIfAbsent(o.point().index() + "\u0000" + o.result().variant(), k -> new ArrayList<>()).add(o);
        }
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            List<String> header = new ArrayList<>(List.of("point"));
            header.addAll(axes);
            header.addAll(List.of("strategy", "runs"));
            for (String m : metrics) {
                header.add(m + "_mean");
                header.add(m + "_ci95");
            }
            w.write(Csv.line(header));
            w.newLine();
            for (List<StudyRunner.Outcome> g : groups.values()) {
                StudyRunner.Outcome first = g.get(0);
                List<String> row = new ArrayList<>(List.of(Integer.toString(first.point().index())));
                for (String a : axes) {
                    row.add(first.point().labels().get(a));
                }
                row.add(first.result().variant());
                row.add(Integer.toString(g.size()));
                for (String m : metrics) {
                    double[] xs = g.stream().mapToDouble(o -> o.result().metrics().get(m)).toArray();
                    row.add(Csv.number(Stats.mean(xs)));
                    row.add(Csv.number(Stats.ciHalfWidth(xs, 0.95)));
                }
                w.write(Csv.line(row));
                w.newLine();
            }
        }
    }

    private static String json(RunInfo i) {
        return String.format(Locale.ROOT, """
                {
                  "scenario": %s,
                  "question": %s,
                  "seed": %d,
                  "version": %s,
                  "started": %s,
                  "wall_seconds": %.3f,
                  "events": %d,
                  "events_per_second": %.0f,
                  "runs": %d,
                  "threads": %d,
                  "replications": %d,
                  "java": %s
                }
                """, JsonText.quote(i.scenario()), JsonText.quote(i.question()), i.seed(), JsonText.quote(i.version()), JsonText.quote(i.started()),
                i.wallSeconds(), i.events(), i.eventsPerSecond(), i.runs(), i.threads(), i.replications(), JsonText.quote(i.java()));
    }
}
