package org.mirrorswarm.live;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mirrorswarm.strategies.FilePlan;

/** What the listener hears about the files in flight while a file comes in piece by piece. */
class ProgressTest {
    @TempDir
    Path dir;

    @Test
    void aFileInFlightTellsTheBytesArrivedAheadOfTheVerifiedPiecesAndItsMirrors() throws IOException {
        byte[] data = Fixture.content(6 * Fixture.PIECE + 100, 5);
        FilePlan plan = Fixture.plan("pool/a.deb", data, Fixture.PIECE, true);
        List<FetchListener.Progress> seen = new CopyOnWriteArrayList<>();
        try (TestMirror m = new TestMirror(data, "/pool/a.deb")) {
            // about 400 KB/s: the file takes a second, several snapshots while pieces are half in
            m.behave((r, n) -> new MockResponse.Builder(m.serve(r)).throttleBody(8 << 10, 20, TimeUnit.MILLISECONDS)
                    .build());
            FetchReport r = new LiveDownload(List.of(Fixture.file(plan, m.url())), dir, Fixture.options(), seen::add,
                    null).run();
            assertThat(r.ok()).isTrue();
        }
        List<FetchListener.FileProgress> during = seen.stream().flatMap(p -> p.active().stream()).toList();
        assertThat(during).isNotEmpty().allSatisfy(f -> {
            assertThat(f.name()).isEqualTo("pool/a.deb");
            assertThat(f.size()).isEqualTo(data.length);
            assertThat(f.verifiedBytes()).isBetween(0L, f.arrivedBytes());
            assertThat(f.arrivedBytes()).isBetween(0L, (long) data.length);
            assertThat(f.verifiedBytes() % Fixture.PIECE == 0 || f.verifiedBytes() == data.length)
                    .as("whole pieces only: %d", f.verifiedBytes()).isTrue();
            assertThat(f.mirrorsInUse()).isEqualTo(1);
        });
        assertThat(during).anySatisfy(f -> assertThat(f.arrivedBytes()).isGreaterThan(f.verifiedBytes()));
        assertThat(seen.get(seen.size() - 1).active()).isEmpty();
    }
}
