package org.mirrorswarm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** The command line, run in-process: exit codes and output. */
class MainTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Cli.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
    }

    @Test
    void helpListsTheCommandsAndTheExitCodes() {
        assertThat(run("--help")).isEqualTo(ExitCodes.OK);
        assertThat(out.toString()).contains("Usage: mirrorswarm").contains("strategies").contains("Exit codes:")
                .contains("2  bad usage or bad input");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void noArgumentsPrintsTheHelpToo() {
        assertThat(run()).isEqualTo(ExitCodes.OK);
        assertThat(out.toString()).contains("Usage: mirrorswarm");
    }

    @Test
    void versionComesFromTheBuild() {
        assertThat(run("--version")).isEqualTo(ExitCodes.OK);
        assertThat(out.toString()).startsWith("mirrorswarm ").doesNotContain("${").doesNotContain("unknown");
        assertThat(out.toString()).contains(Version.version());
    }

    @Test
    void anUnknownOptionIsOneLineAndExitCodeTwo() {
        assertThat(run("--frobnicate")).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).startsWith("mirrorswarm: Unknown option: '--frobnicate'").doesNotContain("\tat ");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void anUnknownCommandSuggestsTheClosest() {
        assertThat(run("strategy")).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("strategies");
    }

    @Test
    void strategiesListsEveryIdByFamily() {
        assertThat(run("strategies")).isEqualTo(ExitCodes.OK);
        assertThat(out.toString()).contains("Chunk strategies (chunk):", "Mirror selectors (selector):", "Tail policies (tail):")
                .contains("adaptive", "aria2", "static-split", "p2c-peak-ewma", "aria2-feedback", "endgame", "steal");
    }

    @Test
    void oneStrategyShowsItsOriginAndParameters() {
        assertThat(run("strategies", "hedge")).isEqualTo(ExitCodes.OK);
        assertThat(out.toString()).contains("hedge  (tail policy)").contains("Tail at Scale")
                .contains("percentile").contains("0.95");
    }

    @Test
    void anUnknownStrategyIsABadInputWithASuggestion() {
        assertThat(run("strategies", "adaptiv")).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString().trim()).isEqualTo("mirrorswarm: unknown chunk strategy 'adaptiv' (did you mean "
                + "'adaptive'?); valid: adaptive, aria2, proportional, round-robin, single, static-split, work-queue");
        assertThat(run("strategies", "--family", "nope")).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("unknown family 'nope'; valid: chunk, selector, tail");
        // The suggestion comes from the family with the closest id (a tail policy here, not a chunk strategy).
        err.getBuffer().setLength(0);
        assertThat(run("strategies", "stael")).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString().trim()).startsWith("mirrorswarm: unknown tail policy 'stael' (did you mean 'steal'?)");
        err.getBuffer().setLength(0);
        assertThat(run("strategies", "zzzzzzzz")).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString().trim()).isEqualTo("mirrorswarm: no chunk strategy, mirror selector or tail policy is "
                + "named 'zzzzzzzz'; 'mirrorswarm strategies' lists them");
    }

    /**
     * An error that ends a command is one line: out of memory also when it surfaces wrapped in another error (the
     * locale provider that could not load for want of memory, in a heap of 4 MiB), anything else an internal
     * error.
     */
    @Test
    void anErrorIsOneLineSayingWhatToDo() {
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv("MIRRORSWARM_DEBUG") == null,
                "MIRRORSWARM_DEBUG is set: stack traces are wanted");
        java.util.List<Error> errors = java.util.List.of(new OutOfMemoryError("Java heap space"),
                new java.util.ServiceConfigurationError("Locale provider adapter \"CLDR\"cannot be instantiated.",
                        new java.lang.reflect.InvocationTargetException(new OutOfMemoryError("Java heap space"))),
                new StackOverflowError(), new NoClassDefFoundError("okhttp3/HttpUrl"));
        java.util.List<String> said = new java.util.ArrayList<>();
        for (Error e : errors) {
            err.getBuffer().setLength(0);
            assertThat(Main.failed(e, new PrintWriter(err, true))).isEqualTo(ExitCodes.FAILED);
            assertThat(err.toString().lines().count()).as(err.toString()).isEqualTo(1);
            said.add(err.toString().strip());
        }
        long max = Runtime.getRuntime().maxMemory() >> 20;
        String memory = "mirrorswarm: out of memory (Java heap space; the heap may grow to " + max
                + " MiB): give Java more, e.g. JAVA_OPTS=-Xmx8g";
        assertThat(said).containsExactly(memory, memory,
                "mirrorswarm: internal error: java.lang.StackOverflowError (set MIRRORSWARM_DEBUG=1 for details)",
                "mirrorswarm: internal error: java.lang.NoClassDefFoundError: okhttp3/HttpUrl (set MIRRORSWARM_DEBUG=1 "
                        + "for details)");
    }

    /** A thread that dies of what it did not catch is one line naming it, out of memory included. */
    @Test
    void aThreadEndedByAnErrorIsOneLineNamingIt() {
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv("MIRRORSWARM_DEBUG") == null,
                "MIRRORSWARM_DEBUG is set: stack traces are wanted");
        java.io.PrintStream before = System.err;
        java.io.ByteArrayOutputStream said = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(said, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            Thread t = new Thread(() -> { }, "tracker-access-log");
            new Main.Uncaught().uncaughtException(t, new OutOfMemoryError("Java heap space"));
            new Main.Uncaught().uncaughtException(t, new IllegalStateException("a bug"));
        } finally {
            System.setErr(before);
        }
        assertThat(said.toString(java.nio.charset.StandardCharsets.UTF_8).lines()).containsExactly(
                "mirrorswarm: out of memory on thread tracker-access-log (Java heap space): give Java more, e.g. "
                        + "JAVA_OPTS=-Xmx8g",
                "mirrorswarm: internal error on thread tracker-access-log: java.lang.IllegalStateException: a bug (set "
                        + "MIRRORSWARM_DEBUG=1 for details)");
    }
}
