package org.mirrorswarm.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mirrorswarm.live.Fixture.PIECE;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mirrorswarm.strategies.FilePlan;

/**
 * What the scheduler learns from a live transfer: the first body bytes are told at once (the latency sample
 * ends there and the rate sample starts there) and arrivals carry the time the worker saw them.
 */
class LiveSamplesTest {
    @TempDir
    Path dir;

    @Test
    void theFirstBytesAreToldWhenTheyArriveNotAfterABufferFull() throws Exception {
        int size = 3 * PIECE;
        byte[] data = Fixture.content(size, 11);
        FilePlan plan = Fixture.plan("f.bin", data, PIECE, true);
        int head = 4 << 10;
        try (RawServer mirror = new RawServer((line, h, out, socket) -> {
            long[] q = RawServer.range(h);
            out.write(RawServer.partialHead(q, size));
            int first = (int) Math.min(head, q[1] + 1 - q[0]);
            out.write(data, (int) q[0], first);
            out.flush();
            try {
                Thread.sleep(400); // the rest of the response comes much later
            } catch (InterruptedException e) {
                return;
            }
            out.write(data, (int) q[0] + first, (int) (q[1] + 1 - q[0]) - first);
            out.flush();
        })) {
            Path trace = dir.resolve("fetch.trace");
            FetchReport r;
            try (TraceFile t = new TraceFile(trace, Fixture.options().scheduler())) {
                r = new LiveDownload(List.of(Fixture.file(plan, mirror.url("/f.bin"))), dir.resolve("out"),
                        Fixture.options(), FetchListener.NONE, t).run();
                t.keep();
            }
            assertThat(r.ok()).as("%s", r).isTrue();
            assertThat(Files.readAllBytes(dir.resolve("out/f.bin"))).isEqualTo(data);

            double start = Double.NaN;
            double firstBytes = Double.NaN;
            long firstCount = -1;
            double verified = Double.NaN;
            for (String line : Files.readAllLines(trace)) {
                String[] f = line.split("\t");
                if (f.length > 3 && f[2].equals("Start") && Double.isNaN(start)) {
                    start = Double.parseDouble(f[1]);
                } else if (f.length > 4 && f[2].equals("Bytes") && Double.isNaN(firstBytes)) {
                    firstBytes = Double.parseDouble(f[1]);
                    firstCount = Long.parseLong(f[4]);
                } else if (f.length > 3 && f[2].equals("Verified") && Double.isNaN(verified)) {
                    verified = Double.parseDouble(f[1]);
                }
            }
            // Told with the first read, well before the rest of the response: not 400 ms later with it all.
            assertThat(firstCount).as("bytes in the first report").isPositive().isLessThanOrEqualTo(head);
            assertThat(firstBytes - start).as("latency sample (s)").isLessThan(0.3);
            assertThat(verified - firstBytes).as("first piece after the first bytes (s)").isGreaterThan(0.35);
        }
    }
}
