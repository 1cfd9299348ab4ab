package org.mirrorswarm.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mirrorswarm.live.Fixture.PIECE;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mirrorswarm.strategies.FilePlan;

/**
 * {@link LiveDownload#interrupt} (what Ctrl-C and SIGTERM do to {@code fetch}): the download stops at once,
 * every verified piece is journaled, and the next run resumes from them without asking for them again.
 */
class InterruptTest {
    static final int PIECES = 32;
    /** The first mirror serves this many pieces of any range, then falls silent. */
    static final int SERVED = 10;

    @TempDir
    Path dir;

    @Test
    void anInterruptedDownloadJournalsEveryVerifiedPieceAndTheNextRunResumesFromThem() throws Exception {
        byte[] data = Fixture.content(PIECES * PIECE, 41);
        FilePlan plan = Fixture.plan("big.iso", data, PIECE, true);
        long limit = (long) SERVED * PIECE;
        CountDownLatch release = new CountDownLatch(1);
        FetchReport first;
        try (RawServer stalling = new RawServer((line, h, out, socket) -> {
            long[] q = RawServer.range(h);
            out.write(RawServer.partialHead(q, data.length));
            if (q[0] < limit) {
                out.write(data, (int) q[0], (int) (Math.min(q[1] + 1, limit) - q[0]));
            }
            out.flush();
            if (q[1] < limit) {
                return; // answered whole: the connection stays for the next request
            }
            try {
                release.await(30, TimeUnit.SECONDS); // silent, the connection open
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            socket.close();
        })) {
            AtomicLong verified = new AtomicLong();
            LiveDownload download = new LiveDownload(List.of(Fixture.file(plan, stalling.url("/big.iso"))), dir,
                    Fixture.options(), p -> verified.set(p.verifiedBytes()), null);
            Thread stopper = Fixture.interruptWhen(download, () -> verified.get() >= limit);
            long t0 = System.nanoTime();
            first = download.run();
            double seconds = (System.nanoTime() - t0) / 1e9;
            stopper.join();
            release.countDown();
            assertThat(verified.get()).as("served pieces verified before the interrupt").isEqualTo(limit);
            assertThat(download.interrupted()).isTrue();
            assertThat(download.stoppedBy()).as("an interrupt is told as such, not as a stop").isNull();
            // Well before the mirror's silence would time out (two seconds in these options).
            assertThat(seconds).isLessThan(1.9);
        }
        assertThat(first.ok()).isFalse();
        assertThat(first.files().get(0).detail()).isEqualTo("interrupted");
        assertThat(dir.resolve("big.iso")).doesNotExist();
        List<String> journal = Files.readAllLines(dir.resolve("big.iso.part.journal"), StandardCharsets.ISO_8859_1);
        assertThat(journal.subList(1, journal.size())).containsExactlyInAnyOrder(
                java.util.stream.IntStream.range(0, SERVED).mapToObj(p -> "p " + p).toArray(String[]::new));

        try (TestMirror good = new TestMirror(data, "/big.iso")) {
            FetchReport second = Fixture.run(dir, Fixture.options(), Fixture.file(plan, good.url()));
            assertThat(second.ok()).as("%s", second).isTrue();
            assertThat(second.files().get(0).resumedBytes()).isEqualTo(limit);
            assertThat(good.asked(0, limit)).as("a journaled piece asked again").isFalse();
            assertThat(Files.readAllBytes(dir.resolve("big.iso"))).isEqualTo(data);
        }
    }

    @Test
    void aDownloadInterruptedBeforeItStartsFetchesNothing() throws Exception {
        byte[] data = Fixture.content(4 * PIECE, 42);
        try (TestMirror m = new TestMirror(data, "/a.bin")) {
            LiveDownload download = new LiveDownload(List.of(Fixture.file(Fixture.plan("a.bin", data, PIECE, true),
                    m.url())), dir, Fixture.options(), FetchListener.NONE, null);
            download.interrupt("interrupted");
            FetchReport r = download.run();
            assertThat(r.ok()).isFalse();
            assertThat(r.files().get(0).detail()).isEqualTo("interrupted");
            assertThat(m.bytesAsked()).isZero();
            assertThat(dir.resolve("a.bin")).doesNotExist();
        }
    }

    @Test
    void aDownloadStoppedBeforeTheEndOfItsFileListSaysSo() throws Exception {
        // A Metalink still being read (here: a feed that hands over one file, then waits): the report lists
        // the files taken, and says the list was not read to its end, instead of passing for the whole list.
        byte[] data = Fixture.content(4 * PIECE, 43);
        FilePlan plan = Fixture.plan("first.deb", data, PIECE, true);
        CountDownLatch release = new CountDownLatch(1);
        try (TestMirror m = new TestMirror(data, "/first.deb")) {
            FileFeed feed = sink -> {
                sink.file(Fixture.file(plan, m.url()));
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                sink.end(null);
            };
            LiveDownload download = new LiveDownload(feed, dir, Fixture.options(), FetchListener.NONE, null,
                    LiveDownload.client(Fixture.options()));
            Thread stopper = new Thread(() -> {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                try {
                    while (m.bytesAsked() < data.length && System.nanoTime() < deadline) {
                        Thread.sleep(10);
                    }
                    Thread.sleep(100); // its pieces verified (the file itself waits for the list's end)
                } catch (InterruptedException e) {
                    return;
                }
                download.interrupt("interrupted");
            });
            stopper.start();
            FetchReport r = download.run();
            stopper.join();
            release.countDown();
            assertThat(r.mirrors().get(0).bytes()).as("the one file taken was fetched: %s", r).isEqualTo(data.length);
            assertThat(r.files()).singleElement().satisfies(f -> assertThat(f.name()).isEqualTo("first.deb"));
            assertThat(r.notes()).containsExactly("stopped before the end of the file list: the files listed here (1) "
                    + "are those it had taken; the rest were not started");
        }
    }

    @Test
    void aDownloadOfAWholeListSaysNothingOfItsEnd() throws Exception {
        byte[] data = Fixture.content(2 * PIECE, 44);
        try (TestMirror m = new TestMirror(data, "/b.bin")) {
            FetchReport r = Fixture.run(dir, Fixture.options(), Fixture.file(Fixture.plan("b.bin", data, PIECE, true),
                    m.url()));
            assertThat(r.ok()).isTrue();
            assertThat(r.notes()).isEmpty();
        }
    }
}
