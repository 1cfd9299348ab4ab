package org.mirrorswarm.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mirrorswarm.live.Fixture.PIECE;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
}
