package org.mirrorswarm.tracker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The access log outlives a file that cannot be written for a while: its lines are dropped meanwhile, and once
 * the file can be opened again they are written again. The file here is a named pipe, whose reader going away
 * makes every write fail (a broken pipe) as a full disk would, and a new reader makes it writable again.
 */
class AccessLogTest {
    @TempDir
    Path dir;

    private static boolean mkfifo(Path p) throws InterruptedException {
        try {
            return new ProcessBuilder("mkfifo", p.toString()).start().waitFor() == 0;
        } catch (IOException e) {
            return false;
        }
    }

    /** A reader of {@code fifo} copying what it reads into {@code into}: all of it, or its first line only. */
    private static Process reader(Path fifo, Path into, boolean firstLineOnly) throws IOException {
        String cmd = (firstLineOnly ? "head -n 1" : "cat") + " < '" + fifo + "' > '" + into + "'";
        return new ProcessBuilder("sh", "-c", cmd).start();
    }

    private static String waitForContent(Path file, String expected) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        String s = "";
        while (System.nanoTime() < deadline) {
            s = Files.exists(file) ? Files.readString(file) : "";
            if (s.contains(expected)) {
                return s;
            }
            Thread.sleep(20);
        }
        return s;
    }

    @Test
    void linesAreWrittenAgainOnceTheFileCanBe() throws Exception {
        Path fifo = dir.resolve("access.log");
        assumeTrue(mkfifo(fifo), "no mkfifo here");
        Path first = dir.resolve("first.txt");
        Path second = dir.resolve("second.txt");
        Process one = reader(fifo, first, true);
        AccessLog log = new AccessLog(new TrackerServer.LogFile(fifo, 0, 1), TimeUnit.MILLISECONDS.toNanos(200));
        Process two = null;
        try {
            log.append("{\"line\":1}");
            assertThat(waitForContent(first, "{\"line\":1}")).isEqualTo("{\"line\":1}\n");
            assertThat(one.waitFor(20, TimeUnit.SECONDS)).isTrue(); // the reader is gone: writes now fail
            for (int i = 2; i <= 4; i++) {
                log.append("{\"line\":" + i + "}");
                Thread.sleep(250);
            }
            two = reader(fifo, second, false);
            // Lines go on coming; once the file is open again they are written.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            for (int i = 5; System.nanoTime() < deadline
                    && !(Files.exists(second) && Files.readString(second).contains("{\"line\":")); i++) {
                log.append("{\"line\":" + i + "}");
                Thread.sleep(100);
            }
            String last = "{\"last\":true}";
            log.append(last);
            assertThat(waitForContent(second, last)).as("written again after the break").contains(last)
                    .doesNotContain("{\"line\":1}");
        } finally {
            if (two == null) {
                two = reader(fifo, second, false); // the writer may be opening it: let it, so that it can stop
            }
            log.close();
            two.destroy();
            one.destroy();
        }
    }
}
