package org.mirrorswarm.live;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mirrorswarm.strategies.FilePlan;

/**
 * A download whose only mirror refuses its connections has nothing in flight while the mirror is banned: its
 * progress says so (how many mirrors, when the next is asked again, why), where it used to show only time
 * passing.
 */
class WaitingProgressTest {
    @TempDir
    Path dir;

    @Test
    void withNothingInFlightProgressSaysWhichBannedMirrorsItWaitsFor() throws IOException {
        byte[] data = Fixture.content(64 << 10, 3);
        FilePlan plan = Fixture.plan("pool/pkg.deb", data, Fixture.PIECE, true);
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.38"))) {
            port = s.getLocalPort();
        }
        HttpUrl refused = HttpUrl.get("http://127.0.0.38:" + port + "/pool/pkg.deb");
        FetchOptions o = Fixture.options();
        o = o.withScheduler(o.scheduler().withBans(0.5, 1.0, 3, 1)); // asked three times, 1.5 s apart in all
        List<FetchListener.Progress> seen = new ArrayList<>();
        FetchReport r = new LiveDownload(List.of(Fixture.file(plan, refused)), dir, o, seen::add, null).run();
        assertThat(r.ok()).isFalse();
        List<FetchListener.Waiting> waits = seen.stream().map(FetchListener.Progress::waiting)
                .filter(java.util.Objects::nonNull).toList();
        assertThat(waits).as("snapshots: %s", seen).isNotEmpty().allSatisfy(w -> {
            assertThat(w.banned()).isEqualTo(1);
            assertThat(w.lastFailure()).isEqualTo("connection failed");
            assertThat(w.inSeconds()).isBetween(0.0, 1.0);
        });
        assertThat(seen).allSatisfy(p -> assertThat(p.waiting() == null || p.liveRequests() == 0).isTrue());
    }
}
