package org.mirrorswarm.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockResponse;
import okio.Buffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mirrorswarm.live.http.DigestHeaders;
import org.mirrorswarm.live.http.LinkHeaders;
import org.mirrorswarm.live.metalink.Metalink;
import org.mirrorswarm.live.metalink.MetalinkException;
import org.mirrorswarm.live.metalink.MetalinkFile;
import org.mirrorswarm.live.metalink.MetalinkReader;
import org.mirrorswarm.live.metalink.MetalinkUrl;
import org.mirrorswarm.live.metalink.MetalinkWriter;
import org.mirrorswarm.strategies.HashAlgorithm;

/** RFC 6249 (Link and Digest headers), Metalinks fetched by URL, and the staleness guard (faults 22, 23). */
class SourcesTest {
    @TempDir
    Path dir;

    @Test
    void rfc6249LinkAndDigestHeadersGiveTheMirrorsAndTheHash() throws Exception {
        byte[] data = Fixture.content(5 * Fixture.PIECE + 3, 5);
        String digest = Base64.getEncoder().encodeToString(Fixture.sha256(data, 0, data.length).bytes());
        try (TestMirror origin = new TestMirror(data, "/pub/x.iso"); TestMirror m1 = new TestMirror(data, "/m/x.iso");
             TestMirror m2 = new TestMirror(data, "/n/x.iso")) {
            origin.behave((r, n) -> r.getMethod().equals("HEAD")
                    ? new MockResponse.Builder().code(200).setHeader("Content-Length", data.length)
                            .addHeader("Digest", "MD5=AAAAAAAAAAAAAAAAAAAAAA==, SHA-256=" + digest)
                            .addHeader("Link", "<" + m2.url() + ">; rel=duplicate; pri=2; geo=de")
                            .addHeader("Link", "<" + m1.url() + ">; rel=duplicate; pri=1, <http://x/y.meta4>; rel=other")
                            .build() : origin.serve(r));
            List<String> notes = new ArrayList<>();
            FetchOptions o = Fixture.options();
            Sources.Resolved res = Sources.resolve(origin.url().toString(), o, LiveDownload.client(o), notes);
            LiveFile f = res.file();
            assertThat(f.plan().name()).isEqualTo("x.iso");
            assertThat(f.plan().size()).isEqualTo(data.length);
            assertThat(f.plan().fileHash().algorithm()).isEqualTo(HashAlgorithm.SHA_256);
            assertThat(f.sources()).extracting(s -> s.url().toString()).containsExactly(origin.url().toString(),
                    m1.url().toString(), m2.url().toString());
            FetchReport r = Fixture.run(dir, o, f);
            assertThat(r.ok()).isTrue();
            assertThat(Files.readAllBytes(dir.resolve("x.iso"))).isEqualTo(data);
        }
    }

    @Test
    void aPlainUrlWithoutDigestIsRefusedUnlessUnverifiedFilesAreAllowed() throws Exception {
        byte[] data = Fixture.content(3 * Fixture.PIECE + 7, 8);
        try (TestMirror plain = new TestMirror(data, "/x.bin")) {
            plain.behave((r, n) -> r.getMethod().equals("HEAD")
                    ? new MockResponse.Builder().code(200).setHeader("Content-Length", data.length).build()
                    : plain.serve(r));
            FetchOptions o = Fixture.options();
            assertThatThrownBy(() -> Sources.resolve(plain.url().toString(), o, LiveDownload.client(o), new ArrayList<>()))
                    .hasMessageContaining("no Digest header and no Metalink").hasMessageContaining("--allow-unverified");
            FetchOptions unchecked = o.withAllowUnverified(true);
            List<String> notes = new ArrayList<>();
            LiveFile f = Sources.resolve(plain.url().toString(), unchecked, LiveDownload.client(o), notes).file();
            assertThat(notes).contains(plain.url() + ": a plain download (no RFC 6249 mirrors, no digest)",
                    "x.bin: no hash at all; fetched unverified (--allow-unverified)");
            FetchReport r = Fixture.run(dir, unchecked, f);
            assertThat(r.files().get(0).detail()).isEqualTo("UNVERIFIED: no hash given");
            assertThat(Files.readAllBytes(dir.resolve("x.bin"))).isEqualTo(data);
        }
    }

    @Test
    void aTrackersRedirectWithLinkAndDigestGivesTheMirrors() throws Exception {
        // MirrorBrain and 'mirrorswarm tracker' answer with a 302 to one mirror and the others as Link headers;
        // the name comes from the URL asked for, the size from the mirrors (a 302's length is its own body's).
        byte[] data = Fixture.content(3 * Fixture.PIECE + 11, 9);
        String digest = Base64.getEncoder().encodeToString(Fixture.sha256(data, 0, data.length).bytes());
        try (TestMirror tracker = new TestMirror(new byte[0], "/pool/p.deb"); TestMirror m1 = new TestMirror(data, "/d/p.deb");
             TestMirror m2 = new TestMirror(data, "/e/evil-name.deb")) {
            tracker.behave((r, n) -> new MockResponse.Builder().code(302).setHeader("Location", m2.url().toString())
                    .setHeader("Content-Length", 3).body("see").addHeader("Digest", "SHA-256=" + digest)
                    .addHeader("Link", "<" + m1.url() + ">; rel=duplicate; pri=1").build());
            List<String> notes = new ArrayList<>();
            FetchOptions o = Fixture.options();
            Sources.Resolved res = Sources.resolve(tracker.url().toString(), o, LiveDownload.client(o), notes);
            LiveFile f = res.file();
            assertThat(f.plan().name()).isEqualTo("p.deb");
            assertThat(f.plan().size()).isEqualTo(data.length);
            assertThat(f.sources()).extracting(x -> x.url().toString()).containsExactly(m2.url().toString(),
                    m1.url().toString());
            assertThat(Fixture.run(dir, o, f).ok()).isTrue();
            assertThat(Files.readAllBytes(dir.resolve("p.deb"))).isEqualTo(data);
            // A redirect without a Digest is followed to where it leads, at most maxRedirects times.
            tracker.behave((r, n) -> new MockResponse.Builder().code(302).setHeader("Location", tracker.url().toString())
                    .build());
            assertThatThrownBy(() -> Sources.resolve(tracker.url().toString(), o, LiveDownload.client(o), notes))
                    .hasMessageContaining("redirects");
        }
    }

    /** A mirror's identity in the table, the trace and --json: host, and port when not the scheme's own. */
    @Test
    void aMirrorIsNamedByHostAndPortWithIpv6InBrackets() {
        assertThat(LiveFile.mirrorId(okhttp3.HttpUrl.get("http://deb.example.org/debian/"))).isEqualTo("deb.example.org");
        assertThat(LiveFile.mirrorId(okhttp3.HttpUrl.get("https://deb.example.org:8443/"))).isEqualTo("deb.example.org:8443");
        assertThat(LiveFile.mirrorId(okhttp3.HttpUrl.get("http://[::1]:8081/x"))).isEqualTo("[::1]:8081");
        assertThat(LiveFile.mirrorId(okhttp3.HttpUrl.get("http://[2001:db8::7]/x"))).isEqualTo("[2001:db8::7]");
    }

    @Test
    void headerParsersSkipWhatIsMalformed() {
        assertThat(LinkHeaders.parse(List.of("<http://a/x>; rel=\"duplicate\"; pri=3; geo=US, <bad url>; rel=duplicate",
                "garbage"), null)).extracting(LinkHeaders.Link::pri).containsExactly(3);
        assertThat(DigestHeaders.strongest(List.of("SHA-256=not-base64!!", "SHA=" + Base64.getEncoder()
                .encodeToString(new byte[20])))).get().extracting(d -> d.algorithm()).isEqualTo(HashAlgorithm.SHA_1);
    }

    @Test
    void aMetalinkByUrlIsFetchedAndAnOversizedOneAborted() throws Exception {
        byte[] data = Fixture.content(3 * Fixture.PIECE, 6);
        try (TestMirror m = new TestMirror(data, "/x.bin"); TestMirror meta = new TestMirror(new byte[0], "/x.meta4")) {
            MetalinkFile f = new MetalinkFile("x.bin", data.length, Map.of(HashAlgorithm.SHA_256,
                    Fixture.sha256(data, 0, data.length)), null, List.of(new MetalinkUrl(m.url().toString(), 1, "", 0)));
            String doc = MetalinkWriter.write(List.of(f), Instant.now(), null, "test");
            meta.behave((r, n) -> new MockResponse.Builder().code(200).setHeader("Content-Type", "application/metalink4+xml")
                    .body(doc).build());
            FetchOptions o = Fixture.options();
            Metalink got = Sources.resolve(meta.url().toString(), o, LiveDownload.client(o), new ArrayList<>()).metalink();
            assertThat(got.files()).hasSize(1);
            byte[] huge = new byte[MetalinkReader.MAX_BYTES + 10];
            meta.behave((r, n) -> new MockResponse.Builder().code(200).body(new Buffer().write(huge)).build());
            assertThatThrownBy(() -> Sources.resolve(meta.url().toString(), o, LiveDownload.client(o), new ArrayList<>()))
                    .isInstanceOf(MetalinkException.class).hasMessageContaining("16 MiB");
        }
    }

    @Test
    void staleAndRolledBackMetalinksAreRefused() throws Exception {
        Instant t1 = Instant.parse("2026-11-01T00:00:00Z");
        Instant t2 = Instant.parse("2026-11-02T00:00:00Z");
        MetalinkFile f = new MetalinkFile("a.deb", 1, Map.of(), null, List.of());
        Metalink newer = new Metalink(4, List.of(f), t2, null, null, null, List.of());
        Metalink older = new Metalink(4, List.of(f), t1, null, null, null, List.of());
        Instant now = Instant.parse("2026-11-10T00:00:00Z");
        assertThat(MetalinkGuard.check(newer, "n.meta4", dir, now)).isNull();
        MetalinkGuard.remember(newer, dir);
        assertThat(MetalinkGuard.check(older, "o.meta4", dir, now)).contains("rollback").contains(t2.toString());
        assertThat(MetalinkGuard.check(newer, "n.meta4", dir, now)).isNull();
        Metalink expired = new Metalink(4, List.of(f), t2, null, Instant.parse("2026-11-05T00:00:00Z"), null, List.of());
        assertThat(MetalinkGuard.check(expired, "e.meta4", dir, now)).contains("expired");
    }
}
