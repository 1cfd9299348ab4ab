package org.mirrorswarm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * The command in a child JVM on a pseudo-terminal (util-linux's {@code script}), as a user at a terminal runs
 * it, and Ctrl-C (SIGINT) sent to it. Skips, saying why, where that cannot be done.
 */
final class Pty {
    private static final Path SCRIPT = Path.of("/usr/bin/script");

    private Pty() {
    }

    /** Starts {@code mirrorswarm ARGS} on a terminal; everything it prints goes to {@code log}. */
    static Process start(Path log, String... args) throws IOException {
        Assumptions.assumeTrue(Files.isExecutable(SCRIPT), "no " + SCRIPT + " (util-linux)");
        Assumptions.assumeFalse(interruptIgnored(),
                "SIGINT is ignored in this process (started in the background), so in its children too");
        List<String> words = ChildJvm.command(List.of(), args);
        StringBuilder command = new StringBuilder();
        for (String w : words) {
            command.append(command.length() == 0 ? "" : " ").append('\'').append(w.replace("'", "'\\''")).append('\'');
        }
        ProcessBuilder pb = new ProcessBuilder(SCRIPT.toString(), "-qefc", command.toString(), "/dev/null")
                .redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().remove("CI"); // Terminal.interactive() says no under CI
        pb.environment().put("TERM", "xterm");
        return pb.start();
    }

    /** Ctrl-C to the command's JVM under {@code session}. */
    static void interrupt(Process session, Path log) throws IOException, InterruptedException {
        ProcessHandle java = session.descendants().filter(h -> h.info().command().orElse("").endsWith("java"))
                .findFirst().orElse(null);
        assertThat(java).as("java under script: %s", Files.readString(log)).isNotNull();
        assertThat(new ProcessBuilder("kill", "-INT", Long.toString(java.pid())).start().waitFor()).isZero();
    }

    /** Whether this process ignores SIGINT (Linux: bit 2 of SigIgn in /proc/self/status); its children inherit that. */
    private static boolean interruptIgnored() throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.isReadable(status)) {
            return true;
        }
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("SigIgn:")) {
                return (Long.parseUnsignedLong(line.substring(7).trim(), 16) & (1L << (2 - 1))) != 0;
            }
        }
        return true;
    }
}
