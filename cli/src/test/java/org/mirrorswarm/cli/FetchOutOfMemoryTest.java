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
 * A fetch whose heap cannot hold a piece: one line saying how to give Java more, exit code 1, nothing under the
 * final name. (It used to print the transfer thread's stack trace and then wait for ever for that thread.) A
 * heap too small for the fetch to start is not tested here: between -Xmx3m and -Xmx4m it runs out at start,
 * from -Xmx5m it does not, below 3m the JVM's own start fails; its parts are ({@code MainTest}, {@code
 * TrustTest}, {@code HeadStartTest}).
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
            Path log = tmp.resolve("said.txt");
            Process p = new ProcessBuilder(ChildJvm.command(List.of("-Xmx10m", "-XX:+UseSerialGC"), "fetch",
                    meta.toString(), "-d", out.toString(), "-q")).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            boolean ended = p.waitFor(60, TimeUnit.SECONDS);
            if (!ended) {
                p.destroyForcibly().waitFor();
            }
            String said = Files.readString(log);
            assertThat(ended).as("ended within a minute; said: %s", said).isTrue();
            assertThat(p.exitValue()).as(said).isEqualTo(ExitCodes.FAILED);
            assertThat(said.lines().toList()).singleElement().asString()
                    .startsWith("mirrorswarm: out of memory (").contains("-Xmx");
            assertThat(out.resolve("big.iso")).doesNotExist();
        }
    }
}
