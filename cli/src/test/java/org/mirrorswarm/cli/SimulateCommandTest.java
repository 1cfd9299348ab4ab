package org.mirrorswarm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mirrorswarm simulate} and {@code report}, run in-process on real (small) scenarios. */
class SimulateCommandTest {
    static final String SMALL = """
            # a small scenario for the command's tests
            name: small
            seed: 11
            replications: 2
            clients: {count: 50, arrival: {flash-crowd: 10s}, packages: 3}
            packages: {count: 20, sizes: {log-uniform: [50KiB, 4MiB]}}
            mirrors:
              - {name: m, count: 4, uplink: {log-uniform: [2MB/s, 20MB/s]}}
            strategies:
              - chunk: adaptive
              - chunk: aria2
            """;

    @TempDir
    Path tmp;
    private StringWriter out = new StringWriter();
    private StringWriter err = new StringWriter();

    private int run(String... args) {
        out = new StringWriter();
        err = new StringWriter();
        return Cli.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
    }

    private Path file(String name, String text) throws IOException {
        Path f = tmp.resolve(name);
        Files.writeString(f, text);
        return f;
    }

    private List<String> listing(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void simulateWritesResultsChartsAndReport() throws IOException {
        Path f = file("small.yaml", SMALL);
        Path o = tmp.resolve("out");
        assertThat(run("simulate", f.toString(), "--out", o.toString())).isEqualTo(ExitCodes.OK);
        assertThat(listing(o)).containsExactly("charts", "completion-times.csv", "index.html", "mirror-load.csv",
                "mirrors.csv", "results.csv", "run.json", "scenario.yaml", "summary.csv");
        assertThat(listing(o.resolve("charts"))).contains("completion-cdf.png", "completion-cdf.svg",
                "completion-bars.png", "mirror-load.svg", "load-balance.png", "tracker.svg");
        assertThat(out.toString()).contains("adaptive", "aria2", "report: " + o.resolve("index.html"));
        assertThat(err.toString()).contains("small: 2 strategies × 1 point × 2 replications = 4 runs")
                .contains("[1/4]").doesNotContain("Exception");
        assertThat(Files.readString(o.resolve("run.json"))).contains("\"seed\": 11", "\"version\": \""
                + Version.version() + "\"");
        // Only the finished folder is left in the parent: no partial or old copies.
        assertThat(listing(tmp)).containsExactly("out", "small.yaml");
    }

    /**
     * Ctrl-C at a terminal leaves no output behind: the partial folder is deleted by the shutdown hook. (The
     * progress-bar library used before had JLine set SIGINT back to the system's default, and the hook never ran.)
     */
    @Test
    void ctrlCOnATerminalLeavesNoPartialOutput() throws Exception {
        Path f = file("long.yaml", SMALL.replace("replications: 2", "replications: 500"));
        Path parent = Files.createDirectories(tmp.resolve("outs"));
        Path log = tmp.resolve("tty.log");
        Process session = Pty.start(log, "simulate", f.toString(), "--out", parent.resolve("long").toString());
        long deadline = System.nanoTime() + 60_000_000_000L;
        // until the bar is drawn (the terminal is open then) and runs are under way
        while (!(Files.readString(log).contains(" elapsed ") && !listing(parent).isEmpty())
                && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(listing(parent)).as(Files.readString(log)).singleElement().asString().startsWith(".long.partial-");
        Pty.interrupt(session, log);
        assertThat(session.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(session.exitValue()).as(Files.readString(log)).isEqualTo(130);
        assertThat(listing(parent)).as(Files.readString(log)).isEmpty();
    }

    @Test
    void resultsDoNotDependOnTheThreadCountAndTheMergedScenarioReproducesThem() throws IOException {
        Path f = file("small.yaml", SMALL);
        Path one = tmp.resolve("one");
        Path two = tmp.resolve("two");
        Path again = tmp.resolve("again");
        assertThat(run("simulate", f.toString(), "-q", "--no-charts", "--threads", "1", "--out", one.toString())).isZero();
        assertThat(run("simulate", f.toString(), "-q", "--no-charts", "--threads", "2", "--out", two.toString())).isZero();
        for (String name : List.of("results.csv", "summary.csv", "completion-times.csv", "mirror-load.csv",
                "mirrors.csv", "scenario.yaml")) {
            assertThat(Files.readString(two.resolve(name))).as(name).isEqualTo(Files.readString(one.resolve(name)));
        }
        // The scenario.yaml written next to the results runs to the same numbers.
        assertThat(run("simulate", one.resolve("scenario.yaml").toString(), "-q", "--no-charts", "--out",
                again.toString())).isZero();
        assertThat(Files.readString(again.resolve("results.csv"))).isEqualTo(Files.readString(one.resolve("results.csv")));
    }

    @Test
    void setOverridesTheFileAndASecondRunReplacesTheFirst() throws IOException {
        Path f = file("small.yaml", SMALL);
        Path o = tmp.resolve("o");
        assertThat(run("simulate", f.toString(), "-q", "--no-charts", "--out", o.toString())).isZero();
        assertThat(run("simulate", f.toString(), "-q", "--no-charts", "--out", o.toString(), "--set", "clients.count=20",
                "--set", "replications=1")).isZero();
        List<String> rows = Files.readAllLines(o.resolve("results.csv"));
        assertThat(rows).hasSize(1 + 2);
        assertThat(Files.readString(o.resolve("scenario.yaml"))).contains("count: 20");
        assertThat(listing(tmp)).containsExactly("o", "small.yaml");
    }

    @Test
    void aBadScenarioIsOneLineWithFileLineAndColumnAndWritesNothing() throws IOException {
        Path f = file("bad.yaml", SMALL.replace("  - chunk: aria2", "  - chunk: aria3"));
        Path o = tmp.resolve("never");
        assertThat(run("simulate", f.toString(), "--out", o.toString())).isEqualTo(ExitCodes.USAGE);
        String e = err.toString();
        assertThat(e.lines().count()).isEqualTo(1);
        assertThat(e).startsWith("mirrorswarm: " + f + ":11:12:").contains("aria3").contains("did you mean 'aria2'")
                .doesNotContain("\tat ");
        assertThat(out.toString()).isEmpty();
        assertThat(listing(tmp)).containsExactly("bad.yaml");

        Path typo = file("typo.yaml", SMALL.replace("replications: 2", "replicatons: 2"));
        assertThat(run("simulate", typo.toString(), "--out", o.toString())).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).startsWith("mirrorswarm: " + typo + ":4:1:").contains("replications");

        assertThat(run("simulate", f.toString().replace("bad", "missing"))).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString().strip()).isEqualTo("mirrorswarm: " + tmp.resolve("missing.yaml") + ": no such file");
        Path binary = tmp.resolve("binary.yaml");
        Files.write(binary, new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1});
        assertThat(run("simulate", binary.toString())).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString().strip()).isEqualTo("mirrorswarm: " + binary + ": not a scenario file (not UTF-8 text)");
        Files.delete(binary);

        assertThat(run("simulate", typo.toString().replace("typo", "small"), "--set", "clients.cont=5"))
                .isEqualTo(ExitCodes.USAGE);
        assertThat(listing(tmp)).containsExactly("bad.yaml", "typo.yaml");
    }

    @Test
    void aBadSetIsAnErrorNamingTheOption() throws IOException {
        Path f = file("small.yaml", SMALL);
        assertThat(run("simulate", f.toString(), "--set", "clients.cont=5", "--out", tmp.resolve("x").toString()))
                .isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).startsWith("mirrorswarm: --set clients.cont:").contains("did you mean 'count'");
        assertThat(run("simulate", f.toString(), "--set", "clients.count=lots", "--out", tmp.resolve("x").toString()))
                .isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("clients.count");
        assertThat(listing(tmp)).containsExactly("small.yaml");
    }

    @Test
    void aFolderThatIsNotAnOutputFolderIsNeverTouched() throws IOException {
        Path f = file("small.yaml", SMALL);
        Path mine = Files.createDirectory(tmp.resolve("mine"));
        Files.writeString(mine.resolve("thesis.tex"), "precious");
        assertThat(run("simulate", f.toString(), "--out", mine.toString())).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("not a mirrorswarm output folder");
        assertThat(listing(mine)).containsExactly("thesis.tex");
        assertThat(listing(tmp)).containsExactly("mine", "small.yaml");

        // An --out under a file: one line, before anything is simulated.
        err.getBuffer().setLength(0);
        Path thesis = mine.resolve("thesis.tex");
        assertThat(run("simulate", f.toString(), "--out", thesis.resolve("out").toString())).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString().strip()).isEqualTo("mirrorswarm: --out " + thesis.resolve("out") + ": " + thesis
                + " is a file, not a folder");
        assertThat(Files.readString(thesis)).isEqualTo("precious");
    }

    /**
     * A machine without fonts (fontconfig finds none: a minimal server image) cannot draw charts. simulate says
     * so in one line before it simulates anything, and writes nothing; --no-charts still runs; report says the
     * same. (Java's font set-up used to fail in the middle of drawing with an InternalError and its stack trace,
     * after the whole run, which was lost.) A child JVM, since a JVM sets up its fonts once.
     */
    @Test
    void withoutFontsChartsAreRefusedInOneLineBeforeAnythingRuns() throws Exception {
        Path f = file("small.yaml", SMALL);
        Path noFonts = file("no-fonts.conf", "<?xml version=\"1.0\"?>\n<fontconfig></fontconfig>\n");
        Path o = tmp.resolve("o");
        ProcessResult r = child(noFonts, "simulate", f.toString(), "--out", o.toString());
        assertThat(r.code).isEqualTo(ExitCodes.USAGE);
        assertThat(r.output.lines().toList()).singleElement().asString()
                .startsWith("mirrorswarm: charts need a font and Java found none (")
                .contains("apt-get install fontconfig fonts-dejavu-core", "--no-charts");
        assertThat(listing(tmp)).containsExactly("no-fonts.conf", "small.yaml");

        r = child(noFonts, "simulate", f.toString(), "--out", o.toString(), "--no-charts", "-q");
        assertThat(r.code).as(r.output).isZero();
        assertThat(o.resolve("results.csv")).exists();
        r = child(noFonts, "report", o.toString());
        assertThat(r.code).isEqualTo(ExitCodes.USAGE);
        assertThat(r.output.lines().toList()).singleElement().asString().startsWith("mirrorswarm: charts need a font");
        assertThat(o.resolve("charts")).doesNotExist();
    }

    private record ProcessResult(int code, String output) {
    }

    /**
     * mirrorswarm in a child JVM whose fontconfig reads {@code fontConfig}, with a home of its own: the JDK keeps
     * what fontconfig told it under ~/.java/fonts and reads that instead when it exists.
     */
    private ProcessResult child(Path fontConfig, String... args) throws Exception {
        return child(List.of("-Duser.home=" + tmp.resolve(".home")), java.util.Map.of("FONTCONFIG_FILE",
                fontConfig.toString()), args);
    }

    private static ProcessResult child(List<String> jvm, java.util.Map<String, String> env, String... args)
            throws Exception {
        ProcessBuilder pb = new ProcessBuilder(ChildJvm.command(jvm, args)).redirectErrorStream(true);
        pb.environment().putAll(env);
        pb.environment().remove("MIRRORSWARM_DEBUG");
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        return new ProcessResult(p.waitFor(), output);
    }

    /** Out of memory: one line saying how to give Java more, exit code 1, and no partial output folder left. */
    @Test
    void outOfMemoryIsOneLineAndLeavesNothing() throws Exception {
        Path f = file("big.yaml", SMALL.replace("count: 50", "count: 20000").replace("replications: 2",
                "replications: 20"));
        // Eight runs at once (one per core): the runs still going when one fails must stop and let go of their
        // memory before the error is printed, or the printing fails too (seen in CI, 1 in 4 here before).
        ProcessResult r = child(List.of("-Xmx24m", "-XX:ActiveProcessorCount=8"), java.util.Map.of(), "simulate",
                f.toString(), "-q", "--no-charts", "--out", tmp.resolve("o").toString());
        assertThat(r.code).as(r.output).isEqualTo(ExitCodes.FAILED);
        assertThat(r.output.lines().toList()).singleElement().asString()
                .startsWith("mirrorswarm: out of memory (").contains("the heap may grow to 24 MiB", "-Xmx");
        assertThat(listing(tmp)).containsExactly("big.yaml");
    }

    @Test
    void reportRedrawsChartsFromTheCsvFiles() throws IOException {
        Path f = file("small.yaml", SMALL);
        Path o = tmp.resolve("o");
        assertThat(run("simulate", f.toString(), "-q", "--no-charts", "--out", o.toString())).isZero();
        assertThat(o.resolve("charts")).doesNotExist();
        assertThat(run("report", o.toString())).isZero();
        assertThat(out.toString()).contains("drew 5 charts", "index.html");
        assertThat(listing(o.resolve("charts"))).hasSize(10);
        assertThat(Files.readString(o.resolve("index.html"))).contains("adaptive", "aria2");

        assertThat(run("report", tmp.resolve("nowhere").toString())).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("nowhere: no such output folder or trace file");
        Path empty = Files.createDirectory(tmp.resolve("empty"));
        assertThat(run("report", empty.toString())).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString().lines().count()).isEqualTo(1);
        assertThat(err.toString()).contains("results.csv: missing");
    }

    /**
     * A full disk while charts are redrawn: one line naming the folder and the system's reason, exit code 1, the
     * charts drawn before kept. (The page's temporary file is made a link to /dev/full, whose writes fail with
     * ENOSPC; before, ImageIO's or the JDK's own words came out, naming no file.)
     */
    @Test
    void aFullDiskWhileDrawingKeepsTheOldChartsAndSaysWhy() throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isWritable(Path.of("/dev/full")), "no /dev/full here");
        Path f = file("small.yaml", SMALL);
        Path o = tmp.resolve("o");
        assertThat(run("simulate", f.toString(), "-q", "--out", o.toString())).isZero();
        byte[] before = Files.readAllBytes(o.resolve("charts").resolve("completion-cdf.png"));
        Files.createSymbolicLink(o.resolve("index.html.tmp"), Path.of("/dev/full"));
        assertThat(run("report", o.toString())).isEqualTo(ExitCodes.FAILED);
        assertThat(err.toString().strip()).isEqualTo("mirrorswarm: " + o + ": could not draw the charts (No space left "
                + "on device); the old ones are kept");
        assertThat(Files.readAllBytes(o.resolve("charts").resolve("completion-cdf.png"))).isEqualTo(before);
        assertThat(listing(o)).containsExactly("charts", "completion-times.csv", "index.html", "mirror-load.csv",
                "mirrors.csv", "results.csv", "run.json", "scenario.yaml", "summary.csv");
    }

    @Test
    void everyCuratedScenarioLoadsAndRunsSmall() throws IOException {
        Path dir = Path.of("..", "scenarios");
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.walk(dir)) {
            s.filter(p -> p.toString().endsWith(".yaml") && !p.getFileName().toString().equals("reference.yaml"))
                    .sorted().forEach(files::add);
        }
        assertThat(files).extracting(p -> dir.relativize(p).toString().replace('\\', '/')).contains(
                "release-day.yaml", "small-files-tracker-overhead.yaml", "firewalled-peers.yaml",
                "mirror-list-freshness.yaml", "bogus-mirrors.yaml", "heterogeneous-mirrors.yaml", "stragglers.yaml",
                "tracker-ranking.yaml", "round-trips.yaml", "bench/flash-crowd-100k.yaml");
        for (Path f : files) {
            String text = Files.readString(f);
            assertThat(text).as(f + " says what it answers").startsWith("#").contains("question:");
            Path o = tmp.resolve(f.getFileName().toString().replace(".yaml", ""));
            int code = run("simulate", f.toString(), "-q", "--out", o.toString(), "--set", "clients.count=30",
                    "--set", "replications=2", "--set", "packages.count=40", "--set", "duration=2h");
            assertThat(code).as(f + ": " + err).isZero();
            assertThat(o.resolve("index.html")).as(f.toString()).exists();
        }
    }
}
