package org.mirrorswarm.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mirrorswarm.live.Fixture.PIECE;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mirrorswarm.strategies.FilePlan;

/**
 * A mirror that serves the first bytes of every response at full speed and then crawls (nginx's
 * {@code limit_rate_after}): the client notices the collapse long before the absolute low-speed limit
 * would, stops that transfer, and from then on asks the mirror for ranges short enough to stay fast.
 */
class ThrottledMirrorTest {
    @TempDir
    Path dir;

    @Test
    void aMirrorThatThrottlesLongResponsesIsAskedForShortRangesAndKeepsServing() throws Exception {
        int size = 40 * PIECE;
        byte[] data = Fixture.content(size, 7);
        FilePlan plan = Fixture.plan("big.iso", data, PIECE, true);
        long fast = 2L * PIECE; // then 2 KiB every 100 ms: above the 1 KiB/s low-speed limit, far below its rate
        List<long[]> asked = new CopyOnWriteArrayList<>();
        try (RawServer throttled = new RawServer((line, h, out, socket) -> {
                 long[] q = RawServer.range(h);
                 asked.add(q);
                 out.write(RawServer.partialHead(q, size));
                 long sent = 0;
                 for (long off = q[0]; off <= q[1]; ) {
                     int n = (int) Math.min(sent < fast ? 16 << 10 : 2 << 10, q[1] + 1 - off);
                     out.write(data, (int) off, n);
                     out.flush();
                     off += n;
                     sent += n;
                     if (sent > fast) {
                         try {
                             Thread.sleep(100);
                         } catch (InterruptedException e) {
                             return;
                         }
                     }
                 }
             });
             TestMirror slow = new TestMirror(data, "/big.iso")) {
            // The steady mirror alone would need 10 s (2.5 MiB at 256 KiB/s).
            slow.behave((r, n) -> new MockResponse.Builder(slow.serve(r)).throttleBody(32 << 10, 125, TimeUnit.MILLISECONDS)
                    .build());
            FetchOptions o = Fixture.options().withLowSpeed(1024, Duration.ofSeconds(20));
            long t0 = System.nanoTime();
            FetchReport r = Fixture.run(dir, o, Fixture.file(plan, throttled.url("/big.iso"), slow.url()));
            double seconds = (System.nanoTime() - t0) / 1e9;

            assertThat(r.ok()).as("%s", r).isTrue();
            assertThat(Files.readAllBytes(dir.resolve("big.iso"))).isEqualTo(data);
            String id = LiveFile.mirrorId(throttled.url("/big.iso"));
            FetchReport.MirrorResult m = Fixture.mirror(r, id);
            assertThat(m.lastError()).contains("shorter ranges");
            // After the first collapse every range asked of it is at most one piece: it stays fast.
            int firstShort = -1;
            for (int i = 0; i < asked.size(); i++) {
                if (asked.get(i)[1] - asked.get(i)[0] + 1 <= PIECE) {
                    firstShort = i;
                    break;
                }
            }
            assertThat(firstShort).as("ranges asked: %s", asked.size()).isPositive();
            for (long[] q : asked.subList(firstShort, asked.size())) {
                assertThat(q[1] - q[0] + 1).isLessThanOrEqualTo(PIECE);
            }
            assertThat(m.bytes()).as("bytes it delivered").isGreaterThan(size / 2);
            assertThat(seconds).as("seconds").isLessThan(8);
        }
    }
}
