package org.mirrorswarm.live;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.mirrorswarm.strategies.FilePlan;

/**
 * Early requests pipelined on the live client's own connection ({@link Pipe}): a mirror that allows one
 * connection per client gets its next requests on that connection before its answer in progress ends, and a
 * mirror that hangs up after every answer loses the requests sent behind it only for them to be asked again,
 * at no cost to it.
 */
class PipeliningTest {
    private static final int FILES = 40;
    private static final int SIZE = 16 << 10;

    @TempDir
    Path dir;

    private static FetchOptions pipelined() {
        FetchOptions o = Fixture.options().withPipelining(true);
        return o.withScheduler(o.scheduler().withEarlyRequests(FetchOptions.PIPELINE_DEPTH));
    }

    /**
     * A mirror 20 ms away in effect: each answer's head comes 20 ms after its request. Before the last byte of
     * each answer it notes whether the next request is already there — which only a pipelining client does.
     */
    enum After { KEEP, CLOSE_SAYING_SO, CLOSE_SILENTLY, KEEP_AFTER_100_CONTINUE, IGNORE_PIPELINED }

    private static RawServer mirror(List<byte[]> contents, AtomicInteger pipelined, After after) throws IOException {
        return mirror(contents, pipelined, after, new AtomicInteger(), new AtomicInteger());
    }

    /** As above; {@code answering} counts the answers being written at once, {@code most} the most of them. */
    private static RawServer mirror(List<byte[]> contents, AtomicInteger pipelined, After after,
                                    AtomicInteger answering, AtomicInteger most) throws IOException {
        boolean closeAfterEach = after == After.CLOSE_SAYING_SO || after == After.CLOSE_SILENTLY;
        return new RawServer((line, headers, out, socket) -> {
            most.accumulateAndGet(answering.incrementAndGet(), Math::max);
            int i = Integer.parseInt(line.substring(line.indexOf("/pool/") + 6, line.indexOf(".deb")));
            byte[] data = contents.get(i);
            long[] q = RawServer.range(headers);
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] head = RawServer.partialHead(q, data.length);
            if (after == After.KEEP_AFTER_100_CONTINUE) {
                out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            }
            if (after == After.CLOSE_SAYING_SO) {
                String h = new String(head, StandardCharsets.ISO_8859_1);
                head = h.replace("\r\n\r\n", "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
            }
            out.write(head);
            int len = (int) (q[1] - q[0] + 1);
            out.write(data, (int) q[0], len - 1);
            out.flush();
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            boolean waiting = RawServer.nextRequestWaiting(socket);
            if (waiting) {
                pipelined.incrementAndGet();
            }
            out.write(data, (int) q[1], 1);
            out.flush();
            answering.decrementAndGet();
            if (closeAfterEach) {
                socket.close();
            } else if (after == After.IGNORE_PIPELINED && waiting) {
                // Drops what arrived during its answer and never answers again, keeping the connection open
                // until the client closes it (a server or middlebox that mishandles pipelining). Decided before
                // the answer's last byte: a request sent after it (on an idle connection) is no pipelined one.
                while (socket.getInputStream().read() >= 0) {
                    // discarded
                }
            }
        });
    }

    private List<byte[]> contents() {
        List<byte[]> c = new ArrayList<>();
        for (int i = 0; i < FILES; i++) {
            c.add(Fixture.content(SIZE, 100 + i));
        }
        return c;
    }

    private FetchReport fetch(RawServer server, List<byte[]> contents, FetchOptions o) throws IOException {
        List<LiveFile> files = new ArrayList<>();
        for (int i = 0; i < FILES; i++) {
            FilePlan plan = Fixture.plan("pool/" + i + ".deb", contents.get(i), Fixture.PIECE, true);
            files.add(Fixture.file(plan, server.url("/pool/" + i + ".deb")));
        }
        FetchReport r = Fixture.run(dir.resolve("out"), o, files.toArray(LiveFile[]::new));
        assertThat(r.ok()).as("%s", r).isTrue();
        for (int i = 0; i < FILES; i++) {
            assertThat(Files.readAllBytes(dir.resolve("out/pool/" + i + ".deb"))).isEqualTo(contents.get(i));
        }
        return r;
    }

    @ParameterizedTest
    @EnumSource(value = After.class, names = {"KEEP", "KEEP_AFTER_100_CONTINUE"})
    void earlyRequestsGoOnTheOneConnectionBeforeTheAnswerInProgressEnds(After after) throws IOException {
        // Also when each answer comes after an informational one (100 Continue), which is skipped.
        List<byte[]> contents = contents();
        AtomicInteger pipelined = new AtomicInteger();
        try (RawServer server = mirror(contents, pipelined, after)) {
            FetchReport r = fetch(server, contents, pipelined());
            assertThat(server.connections.get()).as("connections").isEqualTo(1);
            assertThat(server.requests.get()).isEqualTo(FILES);
            // Many requests after the first few (which measure the mirror) were sent ahead of an answer's end: most of
            // them on a quiet machine, 16 of 40 once in a full test run on a busy one (the test below shows the
            // count is 0 without pipelining).
            assertThat(pipelined.get()).as("requests already there before an answer's last byte").isGreaterThan(FILES / 4);
            assertThat(r.mirrors().get(0).failures()).isZero();
        }
    }

    @Test
    void withoutPipeliningTheNextRequestNeverComesBeforeTheAnswerEnds() throws IOException {
        // The check above cannot pass by accident: through the general client, early requests go on other
        // connections, and none arrives on a connection before its answer's last byte.
        List<byte[]> contents = contents();
        AtomicInteger pipelined = new AtomicInteger();
        try (RawServer server = mirror(contents, pipelined, After.KEEP)) {
            FetchOptions o = pipelined().withPipelining(false);
            fetch(server, contents, o);
            assertThat(pipelined.get()).isZero();
            assertThat(server.connections.get()).as("connections").isGreaterThan(1);
        }
    }

    @ParameterizedTest
    @EnumSource(value = After.class, names = {"CLOSE_SAYING_SO", "CLOSE_SILENTLY"})
    void aMirrorThatHangsUpAfterEachAnswerCostsOnlyTheRequestsAskedAgain(After after) throws IOException {
        // With or without "Connection: close", the requests pipelined behind an answer are lost with the
        // connection: asked again, at no cost to the mirror, and after two such connections none is pipelined
        // there (each answer the server saw a request waiting behind is such a connection).
        List<byte[]> contents = contents();
        AtomicInteger pipelined = new AtomicInteger();
        try (RawServer server = mirror(contents, pipelined, after)) {
            FetchReport r = fetch(server, contents, pipelined());
            FetchReport.MirrorResult m = r.mirrors().get(0);
            assertThat(m.failures()).as("failures counted against the mirror (last: %s)", m.lastError()).isZero();
            assertThat(m.verdict()).isEmpty();
            assertThat(server.requests.get()).isEqualTo(FILES);
            assertThat(pipelined.get()).as("connections closed with requests waiting").isBetween(1, Pipes.DROPS);
        }
    }

    @Test
    void aMirrorThatCannotBePipelinedHasNoMoreConnectionsAtOnceThanTheBudget() throws IOException {
        // It hangs up after each answer. Once two connections were lost with requests waiting on them, it is
        // asked through the general client, where each early request is a connection of its own (its gate
        // lets three through at once): the scheduler is told, and counts them against the budget of one; those
        // it made before, as pipelined ones, wait for the mirror's one connection.
        // Files of 1 KiB: each answer comes whole, so the scheduler keeps its eight early requests there.
        List<byte[]> contents = new ArrayList<>();
        for (int i = 0; i < FILES; i++) {
            contents.add(Fixture.content(1024, 300 + i));
        }
        AtomicInteger answering = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        try (RawServer server = mirror(contents, new AtomicInteger(), After.CLOSE_SAYING_SO, answering, most)) {
            FetchOptions o = pipelined();
            o = o.withScheduler(o.scheduler().withConnections(1, 1, 0));
            FetchReport r = fetch(server, contents, o);
            assertThat(r.mirrors().get(0).failures()).isZero();
            assertThat(server.requests.get()).isGreaterThanOrEqualTo(FILES);
            // One more for a moment at most: a connection still writing the answer it said it would close
            // after, as the next request opens another (before, the gate's three and that one).
            assertThat(most.get()).as("answers written at once").isLessThanOrEqualTo(2);
        }
    }

    @Test
    void aMirrorThatSilentlyIgnoresPipelinedRequestsIsNotWaitedForTillTheHeaderTimeout() throws IOException {
        // It answers a connection's first request, then never again once a request came pipelined behind it,
        // keeping the connection open. The request whose answer never comes is asked again on another
        // connection after a few of this one's round trips, not after the header timeout (which would count
        // as the mirror's failure); after two such connections none is pipelined there.
        List<byte[]> contents = contents();
        AtomicInteger pipelined = new AtomicInteger();
        try (RawServer server = mirror(contents, pipelined, After.IGNORE_PIPELINED)) {
            FetchOptions o = pipelined().withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofSeconds(30));
            FetchReport r = fetch(server, contents, o);
            FetchReport.MirrorResult m = r.mirrors().get(0);
            assertThat(m.failures()).as("failures counted against the mirror (last: %s)", m.lastError()).isZero();
            assertThat(m.verdict()).isEmpty();
            assertThat(pipelined.get()).as("connections that went silent").isBetween(1, Pipes.DROPS);
        }
    }
    @Test
    void theRestOfAShrunkAnswerDoesNotHoldTheEndOfTheDownload() throws IOException {
        // Two mirrors split a 16-piece file (static-split); the fast one, done with its half, steals the back of
        // the slow one's (tail "steal"), whose answer still runs to the end it was asked for. That rest is read
        // past to keep the connection, but once every file is placed nothing waits for it: the download ends and
        // the connection closes. (Waited for, it held the end at the slow mirror's 64 KiB/s till the watchdog
        // saw the transfer collapse: the slow mirror wrote 135,168 bytes past what the client kept.)
        int pieces = 16;
        byte[] data = Fixture.content(pieces * Fixture.PIECE, 51);
        FilePlan plan = Fixture.plan("big.iso", data, Fixture.PIECE, true);
        java.util.concurrent.atomic.AtomicLong written = new java.util.concurrent.atomic.AtomicLong();
        List<long[]> asked = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (RawServer fast = new RawServer((line, h, out, socket) -> {
                 long[] q = RawServer.range(h);
                 out.write(RawServer.partialHead(q, data.length));
                 out.write(data, (int) q[0], (int) (q[1] - q[0] + 1));
                 out.flush();
             });
             RawServer slow = new RawServer((line, h, out, socket) -> {
                 long[] q = RawServer.range(h);
                 asked.add(q);
                 out.write(RawServer.partialHead(q, data.length));
                 out.flush();
                 try {
                     for (long off = q[0]; off <= q[1]; ) {
                         int n = (int) Math.min(4 << 10, q[1] + 1 - off);
                         out.write(data, (int) off, n);
                         out.flush();
                         off += n;
                         written.addAndGet(n);
                         Thread.sleep(62);
                     }
                 } catch (InterruptedException e) {
                     Thread.currentThread().interrupt();
                 }
             })) {
            FetchOptions o = Fixture.options().withPipelining(true);
            o = o.withScheduler(o.scheduler().withChunk(org.mirrorswarm.strategies.StrategySpec.of("static-split"))
                    .withTail("steal"));
            FetchReport r = Fixture.run(dir.resolve("out"), o,
                    Fixture.file(plan, fast.url("/big.iso"), slow.url("/big.iso")));
            assertThat(r.ok()).as("%s", r).isTrue();
            assertThat(Files.readAllBytes(dir.resolve("out/big.iso"))).isEqualTo(data);
            assertThat(asked).as("the slow mirror's requests").isNotEmpty();
            long first = asked.get(0)[1] - asked.get(0)[0] + 1;
            assertThat(first).as("its first range, asked before the steal").isGreaterThan(2L * Fixture.PIECE);
            String slowId = LiveFile.mirrorId(slow.url("/"));
            FetchReport.MirrorResult m = r.mirrors().stream().filter(x -> x.id().equals(slowId)).findFirst().orElseThrow();
            assertThat(m.received()).as("pieces the slow mirror kept").isPositive();
            assertThat(m.busySeconds()).as("its busy time, for its rate in the table").isGreaterThan(0.5);
            assertThat(written.get() - m.received()).as("bytes it wrote past them").isLessThan(Fixture.PIECE);
        }
    }
}
