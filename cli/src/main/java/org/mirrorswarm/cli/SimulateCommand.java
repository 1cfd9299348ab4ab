package org.mirrorswarm.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.mirrorswarm.engine.scenario.ScenarioException;
import org.mirrorswarm.engine.scenario.ScenarioLoader;
import org.mirrorswarm.engine.scenario.Study;
import org.mirrorswarm.engine.scenario.StudyRunner;
import org.mirrorswarm.reports.Charts;
import org.mirrorswarm.reports.Report;
import org.mirrorswarm.reports.ResultsTable;
import org.mirrorswarm.reports.ResultsWriter;
import org.mirrorswarm.reports.RunInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code mirrorswarm simulate FILE}: runs a scenario file and writes its results, charts and report. */
@Command(
        name = "simulate",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = {
            "Runs every strategy, sweep point and replication of a scenario file and writes results.csv, "
                    + "summary.csv, scenario.yaml, run.json, charts (PNG and SVG) and index.html to the output folder.",
            "Same file, overrides and seed give the same numbers whatever the thread count. Nothing is written when "
                    + "the file is invalid; an earlier output folder of the same scenario is replaced only once the "
                    + "new one is complete.",
            ""
        })
public final class SimulateCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "Scenario file (YAML); see scenarios/reference.yaml "
            + "for every setting and its default.")
    Path file;

    @Option(names = {"-s", "--set"}, paramLabel = "PATH=VALUE",
            description = "Override a setting, e.g. --set clients.count=500 --set replications=2 "
                    + "--set 'mirrors[0].count=20'. Repeatable; applied after the file.")
    List<String> sets = new ArrayList<>();

    @Option(names = {"-o", "--out"}, paramLabel = "DIR",
            description = "Output folder (default: out/<scenario name>).")
    Path out;

    @Option(names = {"-t", "--threads"}, paramLabel = "N",
            description = "Runs in parallel (default: the file's 'threads', 0 there meaning one per core).")
    Integer threads;

    @Option(names = {"-q", "--quiet"}, description = "Print only errors and the path of the report.")
    boolean quiet;

    @Option(names = "--no-charts", description = "Write the CSV files only (draw later with 'mirrorswarm report DIR').")
    boolean noCharts;

    @Override
    public Integer call() throws IOException {
        PrintWriter err = spec.commandLine().getErr();
        PrintWriter stdout = spec.commandLine().getOut();
        Study study;
        try {
            study = ScenarioLoader.load(file, sets);
            if (threads != null) {
                if (threads < 1) {
                    throw new UserException("--threads: must be at least 1, got " + threads);
                }
                study = study.withThreads(threads);
            }
        } catch (ScenarioException e) {
            throw new UserException(e.getMessage(), e);
        }
        if (!noCharts) {
            String fonts = Charts.fontProblem();
            if (fonts != null) {
                throw new UserException(fonts + "; or run with --no-charts and draw them later with 'mirrorswarm report DIR'");
            }
        }
        Path target = (out != null ? out : Path.of("out", study.name())).toAbsolutePath().normalize();
        Output output = Output.open(target);

        String version = Version.version();
        int points = study.points().size();
        int total = study.runCount();
        if (!quiet) {
            err.printf(Locale.ROOT, "%s: %d strateg%s × %d point%s × %d replication%s = %d runs on %d thread%s "
                            + "(seed %d, mirrorswarm %s)%n", study.name(), study.variants().size(),
                    study.variants().size() == 1 ? "y" : "ies", points, points == 1 ? "" : "s",
                    study.replications(), study.replications() == 1 ? "" : "s", total, study.threads(),
                    study.threads() == 1 ? "" : "s", study.scenario().seed(), version);
        }
        Instant started = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        long t0 = System.nanoTime();
        List<StudyRunner.Outcome> outcomes;
        try (Progress progress = quiet ? Progress.silent() : Progress.of(err, study.name(), points > 1)) {
            outcomes = StudyRunner.run(study, study.threads(), progress);
        } catch (RuntimeException | Error e) {
            output.abandon();
            throw e;
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        long events = outcomes.stream().mapToLong(o -> o.result().events()).sum();
        RunInfo info = new RunInfo(study.name(), study.question(), study.scenario().seed(), version, started.toString(),
                wall, events, outcomes.size(), study.threads(), study.replications(),
                System.getProperty("java.version"));
        try {
            ResultsWriter.write(output.temp(), study, outcomes, info);
            if (!noCharts) {
                Report.render(output.temp(), version);
            }
            output.commit();
        } catch (IOException e) {
            output.abandon();
            throw new Failure(target + ": could not write the results (" + Failure.why(e) + "); nothing was written", e);
        } catch (RuntimeException e) {
            output.abandon();
            throw e;
        }
        if (!quiet) {
            Summary.print(stdout, ResultsTable.read(target));
            err.printf(Locale.ROOT, "%d runs in %.1f s (%,.0f events/s)%n", outcomes.size(), wall, info.eventsPerSecond());
        }
        stdout.println(noCharts ? "results: " + target.resolve(ResultsWriter.RESULTS)
                : "report: " + target.resolve(Report.INDEX));
        return ExitCodes.OK;
    }

    /**
     * The output folder: written first to a hidden sibling, moved into place once complete. A folder
     * that exists but is not a mirrorswarm output folder is never touched.
     */
    static final class Output {
        private final Path target;
        private final Path temp;
        private final Thread cleanup;
        private boolean done;

        private Output(Path target, Path temp) {
            this.target = target;
            this.temp = temp;
            this.cleanup = new Thread(this::deleteTemp, "mirrorswarm-cleanup");
            Runtime.getRuntime().addShutdownHook(cleanup);
        }

        static Output open(Path target) throws IOException {
            if (Files.exists(target)) {
                if (!Files.isDirectory(target)) {
                    throw new UserException(target + ": exists and is not a folder; choose another --out");
                }
                boolean empty;
                try (var list = Files.list(target)) {
                    empty = list.findAny().isEmpty();
                }
                if (!empty && !Files.exists(target.resolve(ResultsWriter.RUN))) {
                    throw new UserException(target + ": exists and is not a mirrorswarm output folder (no "
                            + ResultsWriter.RUN + "); choose another --out");
                }
            }
            Path parent = target.getParent();
            Folders.refuseFileOnPath("--out", target, parent);
            Files.createDirectories(parent);
            Path temp = Report.freshFolder(parent, "." + target.getFileName() + ".partial-");
            return new Output(target, temp);
        }

        Path temp() {
            return temp;
        }

        synchronized void commit() throws IOException {
            Path old = null;
            if (Files.exists(target)) {
                old = Report.freshName(target.getParent(), "." + target.getFileName() + ".old-");
                Files.move(target, old);
            }
            Files.move(temp, target);
            done = true;
            if (old != null) {
                Report.deleteTree(old);
            }
            removeHook();
        }

        synchronized void abandon() {
            deleteTemp();
            done = true;
            removeHook();
        }

        private void removeHook() {
            try {
                Runtime.getRuntime().removeShutdownHook(cleanup);
            } catch (IllegalStateException e) {
                // shutting down: the hook runs anyway
            }
        }

        private void deleteTemp() {
            try {
                if (!done) {
                    Report.deleteTree(temp);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Progress of the runs: a bar on a terminal, a line per run (or per 5% of runs) otherwise. */
    abstract static class Progress implements StudyRunner.Progress, AutoCloseable {
        static Progress silent() {
            return new Progress() {
                @Override
                public void started(int totalRuns) {
                }

                @Override
                public void runDone(StudyRunner.Outcome o, int done, int total) {
                }
            };
        }

        static Progress of(PrintWriter err, String name, boolean sweep) {
            return Terminal.interactive() ? new Bar(err, name) : new Lines(err, sweep);
        }

        @Override
        public void close() {
        }
    }

    /**
     * The progress bar's line: {@code name  40% [====>     ] 34/84 runs  0:21 elapsed  ETA 0:31  adaptive}, the
     * bar 32 characters wide ({@link InPlace} cuts the line to the terminal's width).
     */
    static String barLine(String name, int done, int total, double seconds, String variant) {
        double share = total == 0 ? 0 : (double) done / total;
        String percent = (int) Math.floor(share * 100) + "%";
        String tail = " " + done + "/" + total + " runs  " + ProgressBoard.clock((long) Math.ceil(seconds))
                + " elapsed  ETA " + (done == 0 ? "--:--" : ProgressBoard.eta(total - done, done / seconds))
                + "  " + variant;
        String head = name + " " + " ".repeat(Math.max(0, 4 - percent.length())) + percent + " ";
        return head + ProgressBoard.bar(share, 32) + tail;
    }

    /** On a terminal: one line redrawn in place, at most four times a second; runs end on worker threads. */
    private static final class Bar extends Progress {
        private final String name;
        private final InPlace screen;
        private final long t0 = System.nanoTime();
        private long lastDraw;
        private int done;
        private int total;
        private String variant = "";

        Bar(PrintWriter err, String name) {
            this.name = name;
            this.screen = InPlace.onTerminal(err);
        }

        @Override
        public synchronized void started(int totalRuns) {
            total = totalRuns;
            draw();
        }

        @Override
        public synchronized void runDone(StudyRunner.Outcome o, int done, int total) {
            this.done = Math.max(this.done, done);
            this.total = total;
            variant = o.result().variant();
            if (System.nanoTime() - lastDraw >= 250_000_000L || done == total) {
                draw();
            }
        }

        private void draw() {
            lastDraw = System.nanoTime();
            screen.draw(List.of(barLine(name, done, total, (lastDraw - t0) / 1e9, variant)));
        }

        @Override
        public synchronized void close() {
            if (total > 0) {
                draw();
            }
            screen.close();
        }
    }

    private static final class Lines extends Progress {
        private final PrintWriter err;
        private final boolean sweep;
        private int every = 1;

        Lines(PrintWriter err, boolean sweep) {
            this.err = err;
            this.sweep = sweep;
        }

        @Override
        public void started(int totalRuns) {
            every = totalRuns <= 60 ? 1 : (totalRuns + 19) / 20;
        }

        @Override
        public void runDone(StudyRunner.Outcome o, int done, int total) {
            if (done % every != 0 && done != total) {
                return;
            }
            var r = o.result();
            String width = Integer.toString(total).length() + "";
            err.printf(Locale.ROOT, "[%" + width + "d/%d] %s%s rep %d: mean %s s, p95 %s s, %d/%d done (%.1f s)%n",
                    done, total, sweep ? "point " + o.point().index() + " " : "", r.variant(), r.replication(),
                    fmt(r.meanCompletion()), fmt(r.completionQuantile(0.95)), r.completed(), r.clients(),
                    r.wallSeconds());
            err.flush();
        }

        private static String fmt(double v) {
            return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.2f", v);
        }
    }
}
