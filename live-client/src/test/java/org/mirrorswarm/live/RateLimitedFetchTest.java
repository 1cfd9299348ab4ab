package org.mirrorswarm.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mirrorswarm.live.Fixture.PIECE;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mirrorswarm.strategies.FilePlan;

/**
 * {@code --limit-rate}: four fast mirrors, one limit over them all. The download keeps to it, and the waits it
 * imposes are not taken for slow mirrors: each transfer's share (a quarter of 256 KiB/s) is under the
 * low-speed limit set here (100 KiB/s over one second), and a transfer waits longer for its turn than the
 * first-byte timeout (300 ms), yet no mirror fails.
 */
class RateLimitedFetchTest {
    @TempDir
    Path dir;

    @ParameterizedTest(name = "pipelining {0}")
    @ValueSource(booleans = {false, true})
    void theDownloadKeepsToTheLimitAndNoMirrorIsBlamedForIt(boolean pipelining) throws Exception {
        int size = 16 * PIECE; // 1 MiB
        byte[] data = Fixture.content(size, 11);
        FilePlan plan = Fixture.plan("limited.bin", data, PIECE, true);
        long limit = 256 << 10;
        try (TestMirror a = new TestMirror(data, "/limited.bin"); TestMirror b = new TestMirror(data, "/limited.bin");
             TestMirror c = new TestMirror(data, "/limited.bin"); TestMirror d = new TestMirror(data, "/limited.bin")) {
            FetchOptions o = Fixture.options().withPipelining(pipelining)
                    .withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofMillis(300))
                    .withLowSpeed(100 << 10, Duration.ofSeconds(1))
                    .withRateLimit(limit);
            long t0 = System.nanoTime();
            FetchReport r = Fixture.run(dir, o, Fixture.file(plan, a.url(), b.url(), c.url(), d.url()));
            double seconds = (System.nanoTime() - t0) / 1e9;

            assertThat(r.ok()).as("%s", r).isTrue();
            assertThat(Files.readAllBytes(dir.resolve("limited.bin"))).isEqualTo(data);
            // At most the rate, less the tenth of a second of credit an idle limit gives: 4 s less 0.1 s. (Only
            // a lower bound: a slow machine makes it longer, never shorter.)
            assertThat(seconds).as("seconds for %d bytes at %d B/s", size, limit)
                    .isGreaterThanOrEqualTo((size - limit / 10.0) / limit - 0.05);
            for (FetchReport.MirrorResult m : r.mirrors()) {
                assertThat(m.failures()).as("%s: %s", m.id(), m.lastError()).isZero();
            }
            assertThat(r.mirrors().stream().filter(m -> m.bytes() > 0).count()).as("mirrors used").isGreaterThan(1);
        }
    }

    /**
     * An interrupt (Ctrl-C, SIGTERM) of a limited download: what was verified is journaled and the next run,
     * unlimited, resumes from it.
     */
    @ParameterizedTest(name = "pipelining {0}")
    @ValueSource(booleans = {false, true})
    void anInterruptedLimitedDownloadResumes(boolean pipelining) throws Exception {
        int size = 32 * PIECE; // 2 MiB: 32 s at 64 KiB/s
        byte[] data = Fixture.content(size, 13);
        FilePlan plan = Fixture.plan("slow.bin", data, PIECE, true);
        try (TestMirror a = new TestMirror(data, "/slow.bin"); TestMirror b = new TestMirror(data, "/slow.bin")) {
            AtomicLong verified = new AtomicLong();
            LiveDownload download = new LiveDownload(List.of(Fixture.file(plan, a.url(), b.url())), dir,
                    Fixture.options().withPipelining(pipelining).withRateLimit(64 << 10), p -> verified.set(p.verifiedBytes()),
                    null);
            Thread stopper = Fixture.interruptWhen(download, () -> verified.get() >= 2L * PIECE);
            FetchReport first = download.run();
            stopper.join();
            assertThat(download.interrupted()).isTrue();
            assertThat(first.ok()).isFalse();
            long kept = verified.get();
            assertThat(kept).isGreaterThanOrEqualTo(2L * PIECE).isLessThan(size);

            long t0 = System.nanoTime();
            FetchReport second = Fixture.run(dir, Fixture.options().withPipelining(pipelining), Fixture.file(plan, a.url(),
                    b.url()));
            assertThat(second.ok()).as("%s", second).isTrue();
            assertThat(Files.readAllBytes(dir.resolve("slow.bin"))).isEqualTo(data);
            assertThat(second.files().get(0).resumedBytes()).as("resumed").isEqualTo(kept);
            assertThat((System.nanoTime() - t0) / 1e9).as("the second run, unlimited").isLessThan(10);
        }
    }

    /**
     * At 256 B/s every read is of 1 KiB (the least), and a transfer waits about four seconds after it: an interrupt
     * ends those waits at once, and the transfers' threads with them, instead of when the waits run out (the
     * download itself returns either way; its threads would go on parked, or spinning once interrupted).
     */
    @ParameterizedTest(name = "pipelining {0}")
    @ValueSource(booleans = {false, true})
    void anInterruptEndsTheWaitsOnTheLimitAtOnce(boolean pipelining) throws Exception {
        byte[] data = Fixture.content(4 * PIECE, 17);
        FilePlan plan = Fixture.plan("crawl.bin", data, PIECE, true);
        try (TestMirror a = new TestMirror(data, "/crawl.bin"); TestMirror b = new TestMirror(data, "/crawl.bin")) {
            LiveDownload download = new LiveDownload(List.of(Fixture.file(plan, a.url(), b.url())), dir,
                    Fixture.options().withPipelining(pipelining).withRateLimit(256), FetchListener.NONE, null);
            long start = System.nanoTime();
            AtomicLong interruptedAt = new AtomicLong();
            Thread stopper = Fixture.interruptWhen(download, () -> {
                boolean now = System.nanoTime() - start > 1_500_000_000L; // well into the first waits
                if (now) {
                    interruptedAt.set(System.nanoTime());
                }
                return now;
            });
            Set<Thread> before = transferThreads();
            download.run();
            long returned = System.nanoTime();
            stopper.join();
            assertThat(download.interrupted()).isTrue();
            assertThat((returned - interruptedAt.get()) / 1e9).as("seconds from the interrupt to the end").isLessThan(0.5);
            Set<Thread> left = transferThreads();
            left.removeAll(before);
            while (!left.isEmpty() && System.nanoTime() - interruptedAt.get() < 500_000_000L) {
                Thread.sleep(10);
                left.retainAll(transferThreads());
            }
            assertThat(left).as("this download's transfer threads half a second after the interrupt").isEmpty();
        }
    }

    private static Set<Thread> transferThreads() {
        Set<Thread> s = new HashSet<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals("mirrorswarm-transfer") && t.isAlive()) {
                s.add(t);
            }
        }
        return s;
    }
}
