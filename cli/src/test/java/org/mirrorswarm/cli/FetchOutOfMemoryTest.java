package org.mirrorswarm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fetch whose heap is too small: one line saying how to give Java more, exit code 1, nothing under the final
 * name, no stack trace of any thread.
 */
class FetchOutOfMemoryTest {
    @TempDir
    Path tmp;

    @Test
    void aPieceTheHeapCannotHoldIsOneLineAndNoHang() throws Exception {
        byte[] data = new byte[4 * (8 << 20)];
        new SplittableRandom(5).nextBytes(data);
        Path www = Files.createDirectories(tmp.resolve("www"));
        Files.write(www.resolve("big.iso"), data);
        try (FetchSignalTest.Mirror mirror = new FetchSignalTest.Mirror(data)) {
            mirror.release.countDown();
            Path meta = tmp.resolve("big.meta4");
            StringWriter err = new StringWriter();
            assertThat(Cli.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(err)).execute("metalink",
                    www.resolve("big.iso").toString(), "--mirror", mirror.base(), "--piece-size", "8MiB", "-o",
                    meta.toString())).as(err.toString()).isZero();
            Path out = tmp.resolve("out");
            String said = failedFetch("-Xmx10m", meta.toString(), "-d", out.toString(), "-q");
            assertThat(said.lines().toList()).singleElement().asString()
                    .startsWith("mirrorswarm: out of memory (").contains("-Xmx");
            assertThat(out.resolve("big.iso")).doesNotExist();
        }
    }

    /**
     * A heap too small for an https fetch to start: the command's first steps (its arguments, the TLS set-up
     * and the warm-up threads it starts) run out of it. (The warm-up thread and the main thread each printed a
     * stack trace: the first steps were outside the command's handling of errors, the warm-ups caught
     * exceptions only. The TLS set-up thread's own case is {@code TrustTest}'s.)
     */
    @Test
    void aHeapTooSmallToStartIsOneLine() throws Exception {
        Path out = tmp.resolve("out");
        // Nothing listens on port 9 of these addresses: the TLS is set up at the start all the same.
        String said = failedFetch("-Xmx4m", "--mirror", "https://127.0.0.41:9/x.bin", "--mirror",
                "https://127.0.0.42:9/x.bin", "--sha256", "0".repeat(64), "--size", "1000000", "-d", out.toString(),
                "-q", "x.bin");
        assertThat(said).doesNotContain("Exception in thread").doesNotContain("\tat ");
        assertThat(said.lines().reduce((a, b) -> b)).hasValueSatisfying(last ->
                assertThat(last).startsWith("mirrorswarm: out of memory (").contains("-Xmx"));
        assertThat(out.resolve("x.bin")).doesNotExist();
    }

    /**
     * {@code mirrorswarm fetch ARGS} in a child JVM with heap {@code xmx}, asserted to end within a minute with
     * exit code 1; what it said (standard output and error).
     */
    private String failedFetch(String xmx, String... args) throws Exception {
        Path log = tmp.resolve("said.txt");
        List<String> command = new java.util.ArrayList<>(List.of("fetch"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(ChildJvm.command(List.of(xmx, "-XX:+UseSerialGC"), command.toArray(String[]::new)))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean ended = p.waitFor(60, TimeUnit.SECONDS);
        if (!ended) {
            p.destroyForcibly().waitFor();
        }
        String said = Files.readString(log);
        assertThat(ended).as("ended within a minute; said: %s", said).isTrue();
        assertThat(p.exitValue()).as(said).isEqualTo(ExitCodes.FAILED);
        return said;
    }
}
