package org.mirrorswarm.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mirrorswarm.live.Fixture.PIECE;
import static org.mirrorswarm.live.Fixture.content;
import static org.mirrorswarm.live.Fixture.file;
import static org.mirrorswarm.live.Fixture.plan;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mirrorswarm.strategies.FilePlan;

/**
 * A download's general client (OkHttp) is built only when a request needs it: mirrors served over the live
 * client's own connections never do; a mirror that redirects does, and is then followed through it.
 */
class GeneralClientTest {
    private final byte[] data = content(6 * PIECE + 777, 7);
    private final FilePlan plan = plan("pkg.deb", data, PIECE, true);

    @TempDir
    Path dir;

    private FetchReport run(GeneralClient client, LiveFile f) throws IOException {
        FetchOptions o = Fixture.options().withPipelining(true);
        return new LiveDownload(FileFeed.of(List.of(f)), dir, o, FetchListener.NONE, null, client).run();
    }

    @Test
    void mirrorsOnTheClientsOwnConnectionsNeverBuildIt() throws IOException {
        try (TestMirror a = new TestMirror(data, "/pool/pkg.deb"); TestMirror b = new TestMirror(data, "/pool/pkg.deb")) {
            GeneralClient client = GeneralClient.later(Fixture.options(), null);
            FetchReport r = run(client, file(plan, a.url(), b.url()));
            assertThat(r.ok()).as("%s", r).isTrue();
            assertThat(Files.readAllBytes(dir.resolve("pkg.deb"))).isEqualTo(data);
            assertThat(a.requests.size() + b.requests.size()).isGreaterThan(1);
            assertThat(client.built()).isFalse();
        }
    }

    @Test
    void aMirrorThatRedirectsBuildsItAndIsFollowedThroughIt() throws IOException {
        try (TestMirror a = new TestMirror(data, "/pool/pkg.deb"); TestMirror b = new TestMirror(data, "/pool/pkg.deb")) {
            a.behave((req, n) -> new MockResponse.Builder().code(302).addHeader("Location", b.url().toString()).build());
            GeneralClient client = GeneralClient.later(Fixture.options(), null);
            FetchReport r = run(client, file(plan, a.url()));
            assertThat(r.ok()).as("%s", r).isTrue();
            assertThat(Files.readAllBytes(dir.resolve("pkg.deb"))).isEqualTo(data);
            assertThat(b.requests).isNotEmpty();
            assertThat(client.built()).isTrue();
        }
    }
}
