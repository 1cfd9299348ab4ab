package org.mirrorswarm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ctrl-C or SIGTERM during {@code fetch} (a real JVM, a real signal): the process says it was interrupted and
 * exits with the signal's code, every piece it verified is in the journal (not only those of the last
 * periodic flush), and the same command run again fetches only the rest.
 */
class FetchSignalTest {
    static final int PIECE = 64 << 10;
    static final int PIECES = 32;
    /**
     * Until released, the mirror sends nothing past this many pieces of the file: an answer reaching past them
     * stops there and falls silent (and so does every answer behind it on its connection).
     */
    private static final int SERVED = 10;

    @TempDir
    Path tmp;

    /** A mirror of one file that answers ranges on keep-alive connections; records the ranges asked. */
    static final class Mirror implements AutoCloseable {
        final ServerSocket server;
        final List<long[]> asked = new CopyOnWriteArrayList<>();
        /**
         * The pieces sent whole. Which of the first {@link #SERVED} they are depends on the order the client
         * asked its ranges in: one asked behind a silent answer on the same connection is never sent.
         */
        final java.util.Set<Integer> sent = java.util.concurrent.ConcurrentHashMap.newKeySet();
        final CountDownLatch silent = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        Mirror(byte[] data) throws IOException {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            Thread t = new Thread(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket s = server.accept();
                        Thread c = new Thread(() -> serve(s, data), "mirror-conn");
                        c.setDaemon(true);
                        c.start();
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "mirror");
            t.setDaemon(true);
            t.start();
        }

        private void serve(Socket s, byte[] data) {
            long limit = (long) SERVED * PIECE;
            try (s) {
                BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
                OutputStream out = s.getOutputStream();
                for (String line; (line = in.readLine()) != null && !line.isEmpty(); ) {
                    long from = 0;
                    long to = data.length - 1;
                    for (String h; (h = in.readLine()) != null && !h.isEmpty(); ) {
                        if (h.toLowerCase(Locale.ROOT).startsWith("range: bytes=")) {
                            String[] r = h.substring(13).trim().split("-");
                            from = Long.parseLong(r[0]);
                            to = Math.min(to, Long.parseLong(r[1]));
                        }
                    }
                    asked.add(new long[] {from, to});
                    out.write(("HTTP/1.1 206 Partial Content\r\nContent-Range: bytes " + from + "-" + to + "/" + data.length
                            + "\r\nContent-Length: " + (to - from + 1) + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    boolean held = release.getCount() > 0 && to >= limit;
                    long end = held ? Math.min(to + 1, limit) : to + 1;
                    if (end > from) {
                        out.write(data, (int) from, (int) (end - from));
                    }
                    out.flush();
                    for (long p = (from + PIECE - 1) / PIECE; (p + 1) * PIECE <= end; p++) {
                        sent.add((int) p);
                    }
                    if (held) {
                        silent.countDown();
                        release.await(60, TimeUnit.SECONDS);
                        return; // the answer is cut: the client has given up on it
                    }
                }
            } catch (IOException | InterruptedException e) {
                // the client went away
            }
        }

        String base() {
            return "http://" + server.getInetAddress().getHostAddress() + ":" + server.getLocalPort() + "/";
        }

        @Override
        public void close() throws IOException {
            release.countDown();
            server.close();
        }
    }

    /**
     * Ctrl-C with the progress board on a terminal (a pseudo-terminal from util-linux's {@code script}): the
     * progress-bar library used before had JLine set SIGINT back to the system's default, which killed the
     * process without its shutdown hook (no message, nothing journaled since the last periodic flush).
     */
    @Test
    void ctrlCOnATerminalStopsTheFetchThroughItsHookToo() throws Exception {
        byte[] data = original(12);
        Path out = tmp.resolve("out");
        try (Mirror mirror = new Mirror(data)) {
            Path meta = metalink(mirror);
            Path log = tmp.resolve("tty.log");
            Process session = Pty.start(log, "fetch", meta.toString(), "-d", out.toString());
            assertThat(mirror.silent.await(60, TimeUnit.SECONDS)).as("the child reached the silence: %s",
                    Files.readString(log)).isTrue();
            Thread.sleep(300);
            Pty.interrupt(session, log);
            assertThat(session.waitFor(20, TimeUnit.SECONDS)).isTrue();
            String said = Files.readString(log);
            assertThat(said).as("the board was drawn").contains("\033[2K");
            assertThat(said).contains("mirrorswarm: fetch interrupted").contains("run the same command again");
            assertThat(session.exitValue()).as(said).isEqualTo(130);
            List<String> journal = Files.readAllLines(out.resolve("big.iso.part.journal"), StandardCharsets.ISO_8859_1);
            assertThat(journal.subList(1, journal.size())).as(said).containsExactlyInAnyOrder(
                    mirror.sent.stream().map(p -> "p " + p).toArray(String[]::new));
        }
    }

    /** {@link #PIECES} pieces of random bytes, in www/big.iso. */
    private byte[] original(long seed) throws IOException {
        byte[] data = new byte[PIECES * PIECE];
        new SplittableRandom(seed).nextBytes(data);
        Files.write(Files.createDirectories(tmp.resolve("www")).resolve("big.iso"), data);
        return data;
    }

    /** A Metalink of www/big.iso on {@code mirror}. */
    private Path metalink(Mirror mirror) {
        Path www = tmp.resolve("www");
        Path meta = tmp.resolve("big.meta4");
        StringWriter err = new StringWriter();
        assertThat(Cli.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(err)).execute("metalink",
                www.resolve("big.iso").toString(), "--mirror", mirror.base(), "--piece-size", "64KiB", "-o",
                meta.toString())).as(err.toString()).isZero();
        return meta;
    }

    @Test
    void aTerminatedFetchJournalsEveryVerifiedPieceSaysSoAndTheSameCommandResumes() throws Exception {
        byte[] data = original(11);
        Path out = tmp.resolve("out");
        try (Mirror mirror = new Mirror(data)) {
            Path meta = metalink(mirror);
            StringWriter err = new StringWriter();

            Path log = tmp.resolve("child.log");
            Process child = new ProcessBuilder(ChildJvm.command(List.of(), "fetch", meta.toString(), "-d", out.toString()))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            assertThat(mirror.silent.await(60, TimeUnit.SECONDS)).as("the child reached the silence: %s",
                    Files.readString(log)).isTrue();
            Thread.sleep(300); // the served pieces verified and written; likely no periodic flush since
            child.destroy(); // SIGTERM
            assertThat(child.waitFor(20, TimeUnit.SECONDS)).isTrue();
            String said = Files.readString(log);
            assertThat(child.exitValue()).as(said).isEqualTo(143);
            assertThat(said).contains("mirrorswarm: fetch interrupted").contains("run the same command again")
                    .doesNotContain("\tat ");
            assertThat(out.resolve("big.iso")).doesNotExist();
            List<String> journal = Files.readAllLines(out.resolve("big.iso.part.journal"), StandardCharsets.ISO_8859_1);
            List<Integer> sent = List.copyOf(mirror.sent);
            assertThat(sent).as("pieces sent before the silence").isNotEmpty().allSatisfy(p -> assertThat(p).isLessThan(SERVED));
            assertThat(journal.subList(1, journal.size())).as(said).containsExactlyInAnyOrder(
                    sent.stream().map(p -> "p " + p).toArray(String[]::new));

            mirror.release.countDown();
            mirror.asked.clear();
            StringWriter o = new StringWriter();
            err.getBuffer().setLength(0);
            assertThat(Cli.commandLine(new PrintWriter(o), new PrintWriter(err)).execute("fetch", meta.toString(), "-d",
                    out.toString())).as(err.toString()).isZero();
            assertThat(o.toString()).contains(org.mirrorswarm.strategies.Units.formatBytes((long) sent.size() * PIECE)
                    + " resumed");
            assertThat(mirror.asked).allSatisfy(r -> assertThat(sent).as("journaled pieces asked again in %d-%d", r[0], r[1])
                    .noneMatch(p -> (long) p * PIECE <= r[1] && (long) (p + 1) * PIECE > r[0]));
            assertThat(Files.readAllBytes(out.resolve("big.iso"))).isEqualTo(data);
        }
    }
}
