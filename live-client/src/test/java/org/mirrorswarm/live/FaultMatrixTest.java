package org.mirrorswarm.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mirrorswarm.live.Fixture.PIECE;
import static org.mirrorswarm.live.Fixture.content;
import static org.mirrorswarm.live.Fixture.file;
import static org.mirrorswarm.live.Fixture.mirror;
import static org.mirrorswarm.live.Fixture.plan;
import static org.mirrorswarm.live.Fixture.run;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import mockwebserver3.MockResponse;
import mockwebserver3.SocketEffect;
import okhttp3.Dns;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mirrorswarm.strategies.Digest;
import org.mirrorswarm.strategies.FailureReason;
import org.mirrorswarm.strategies.FilePlan;
import org.mirrorswarm.strategies.HashAlgorithm;

/**
 * The live client's fault matrix: each numbered case of the live-client issue against real HTTP servers on
 * loopback (MockWebServer, and a raw socket server for byte-exact breakage). In every case the file ends
 * byte-identical to the original or is absent under its final name — never wrong.
 */
class FaultMatrixTest {
    static final int SIZE = 10 * PIECE + 12_345;
    final byte[] data = content(SIZE, 42);
    final FilePlan plan = plan("pkg.deb", data, PIECE, true);

    @TempDir
    Path dir;
    TestMirror good;
    TestMirror bad;

    @AfterEach
    void close() throws IOException {
        if (good != null) {
            good.close();
        }
        if (bad != null) {
            bad.close();
        }
    }

    /** The options every case runs with: the general client ({@link PipelinedFaultMatrixTest}: the client's own). */
    FetchOptions options() {
        return Fixture.options();
    }

    private void mirrors() throws IOException {
        good = new TestMirror(data, "/pool/pkg.deb");
        bad = new TestMirror(data, "/pool/pkg.deb");
    }

    private void assertCorrect(FetchReport r) throws IOException {
        assertThat(r.ok()).as("%s", r).isTrue();
        assertThat(Files.readAllBytes(dir.resolve("pkg.deb"))).isEqualTo(data);
        assertThat(dir.resolve("pkg.deb.part")).doesNotExist();
        assertThat(dir.resolve("pkg.deb.part.journal")).doesNotExist();
    }

    private FetchReport fetchBadFirst() throws IOException {
        return run(dir, options(), file(plan, bad.url(), good.url()));
    }

    @Test
    void f01_fullBodyToARangeRequestIsNeverWrittenAtTheRangeOffset() throws IOException {
        mirrors();
        bad.behave((r, n) -> new MockResponse.Builder().code(200).body(new Buffer().write(data)).build());
        FetchReport r = fetchBadFirst();
        assertCorrect(r);
        FetchReport.MirrorResult m = mirror(r, bad.host());
        assertThat(m.bytes()).isZero();
        assertThat(m.lastError()).contains("whole file (200)");
        assertThat(bad.requests).hasSize(1); // a mirror that ignores ranges is dropped for the file
    }

    @Test
    void f01b_aWholeFileRequestMayBeAnsweredWith200() throws IOException {
        byte[] small = content(PIECE / 2, 7);
        try (TestMirror m = new TestMirror(small, "/s")) {
            m.behave((r, n) -> new MockResponse.Builder().code(200).body(new Buffer().write(small)).build());
            FetchReport r = run(dir, options(), file(plan("s", small, PIECE, true), m.url()));
            assertThat(r.ok()).isTrue();
            assertThat(Files.readAllBytes(dir.resolve("s"))).isEqualTo(small);
        }
    }

    @Test
    void f02_aContentRangeStartingElsewhereIsRefused() throws IOException {
        mirrors();
        bad.behave((r, n) -> {
            long[] q = TestMirror.requestedRange(r);
            long start = q[0] + PIECE;
            long last = Math.min(SIZE - 1, q[1] + PIECE);
            return new MockResponse.Builder().code(206).addHeader("Content-Range", "bytes " + start + "-" + last + "/" + SIZE)
                    .body(new Buffer().write(data, (int) start, (int) (last - start + 1))).build();
        });
        FetchReport r = fetchBadFirst();
        assertCorrect(r);
        assertThat(mirror(r, bad.host()).lastError()).contains("starting at");
        assertThat(mirror(r, bad.host()).bytes()).isZero();
    }

    @Test
    void f03_aCompleteLengthOtherThanThePlansDropsTheMirror() throws IOException {
        mirrors();
        bad.behave((r, n) -> {
            long[] q = TestMirror.requestedRange(r);
            return new MockResponse.Builder().code(206)
                    .addHeader("Content-Range", "bytes " + q[0] + "-" + q[1] + "/" + (SIZE + 1))
                    .body(new Buffer().write(data, (int) q[0], (int) (q[1] - q[0] + 1))).build();
        });
        FetchReport r = fetchBadFirst();
        assertCorrect(r);
        assertThat(mirror(r, bad.host()).lastError()).contains("file size differs").contains(String.valueOf(SIZE + 1));
        assertThat(bad.requests).hasSize(1);
    }

    @Test
    void f04_malformedContentRangesAreRejectedWithoutOverflow() throws IOException {
        for (String v : List.of("bytes 50-10/100", "bytes 50-/100", "items 0-1/2", "bytes 0-1", "bytes -5-10/100",
                "bytes 0-9223372036854775807/9223372036854775808", "bytes 0-99999999999999999999/100000000000000000000",
                "bytes 10-20/15", "bytes a-b/c", "bytes 0-1/")) {
            assertThat(TestMirror.parse(v)).as(v).isNull();
        }
        assertThat(TestMirror.parse("bytes 0-99/100").length()).isEqualTo(100);
        assertThat(TestMirror.parse("bytes 5-9/*").complete()).isEqualTo(-1);
        mirrors();
        bad.behave((r, n) -> new MockResponse.Builder().code(206).addHeader("Content-Range", "bytes 50-/" + SIZE)
                .body("x").build());
        FetchReport r = fetchBadFirst();
        assertCorrect(r);
        assertThat(mirror(r, bad.host()).lastError()).contains("malformed Content-Range");
    }

    /** A 206 header promising {@code promised} bytes of the asked range, then only {@code sent}, then close. */
    private RawServer shortBody(int sent) throws IOException {
        return new RawServer((line, h, out, socket) -> {
            long[] q = RawServer.range(h);
            out.write(RawServer.partialHead(q, SIZE));
            out.write(data, (int) q[0], (int) Math.min(sent, q[1] - q[0] + 1));
            out.flush();
            socket.close();
        });
    }

    @Test
    void f05_aShort206KeepsItsWholePiecesAndTheRestIsFetchedElsewhere() throws IOException {
        good = new TestMirror(data, "/pool/pkg.deb");
        try (RawServer raw = shortBody(2 * PIECE + 100)) {
            FetchReport r = run(dir, options(), file(plan, raw.url("/pool/pkg.deb"), good.url()));
            assertCorrect(r);
            FetchReport.MirrorResult m = mirror(r, LiveFile.mirrorId(raw.url("/")));
            assertThat(m.lastError()).contains("connection");
            assertThat(m.bytes()).as("the whole pieces before the cut are kept").isGreaterThanOrEqualTo(PIECE);
            assertThat(m.bytes() % PIECE).isZero();
        }
    }

    @Test
    void f06_aBodyLongerThanAskedIsCutAtTheExpectedLength() throws IOException {
        mirrors();
        bad.behave((r, n) -> {
            long[] q = TestMirror.requestedRange(r);
            long last = SIZE - 1; // answers with everything from the start asked, more than asked
            return new MockResponse.Builder().code(206).addHeader("Content-Range", "bytes " + q[0] + "-" + last + "/" + SIZE)
                    .body(new Buffer().write(data, (int) q[0], (int) (last - q[0] + 1))).build();
        });
        FetchReport r = run(dir, options(), file(plan, bad.url()));
        assertCorrect(r);
        assertThat(mirror(r, bad.host()).received()).isEqualTo(SIZE); // never more than asked for
    }

    @Test
    void f07_aConnectionDroppedMidBodyKeepsVerifiedPiecesAndRetriesTheRest() throws IOException {
        good = new TestMirror(data, "/pool/pkg.deb");
        try (RawServer raw = shortBody(3 * PIECE + 5)) {
            FetchReport r = run(dir, options(), file(plan, raw.url("/pool/pkg.deb"), good.url()));
            assertCorrect(r);
            long kept = mirror(r, LiveFile.mirrorId(raw.url("/"))).bytes();
            assertThat(kept).isPositive();
            // The good mirror was never asked again for what the dropped one had verified.
            assertThat(good.bytesAsked() + kept).isLessThanOrEqualTo(SIZE + (long) PIECE * 2);
        }
    }

    @Test
    void f08_refusedConnectionsAndUnknownHostsMoveOnToTheNextMirror() throws IOException {
        good = new TestMirror(data, "/pool/pkg.deb");
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.39"))) {
            port = s.getLocalPort();
        }
        HttpUrl refused = HttpUrl.get("http://127.0.0.39:" + port + "/pool/pkg.deb");
        HttpUrl unknown = HttpUrl.get("http://mirror.nowhere.invalid/pool/pkg.deb");
        OkHttpClient client = LiveDownload.client(options()).newBuilder().dns(host -> {
            if (host.endsWith(".invalid")) {
                throw new UnknownHostException(host);
            }
            return Dns.SYSTEM.lookup(host);
        }).build();
        FetchReport r = run(dir, options(), client, file(plan, refused, unknown, good.url()));
        assertCorrect(r);
        assertThat(mirror(r, "127.0.0.39:" + port).lastError()).contains("connection failed");
        assertThat(mirror(r, "mirror.nowhere.invalid").lastError()).contains("connection failed");

        // Every mirror refusing and never having answered: the download fails at each one's second connection
        // (one ban later), not after the five of the whole backoff.
        FetchReport none = run(dir.resolve("none"), options(), client, file(plan, refused));
        assertThat(none.files().get(0).ok()).isFalse();
        assertThat(none.files().get(0).detail()).contains("2 failures in a row and never answered", "connection failed");
        assertThat(mirror(none, "127.0.0.39:" + port).requests()).isEqualTo(2);
    }

    /**
     * A host name the name server says does not exist is excluded at its first failure (a typo in --mirror, a
     * mirror gone from DNS: retried five times with backoff, a Metalink of such mirrors took 15-25 s to fail);
     * a lookup that failed for now is retried as before. The lookups' messages are the JDK's own.
     */
    @Test
    void f08b_aHostNameThatDoesNotExistIsExcludedAtOnceATemporaryFailureIsRetried() throws IOException {
        good = new TestMirror(data, "/pool/pkg.deb");
        HttpUrl gone = HttpUrl.get("http://mirror.gone.invalid/pool/pkg.deb");
        HttpUrl flaky = HttpUrl.get("http://mirror.flaky.invalid/pool/pkg.deb");
        OkHttpClient client = LiveDownload.client(options()).newBuilder().dns(host -> {
            if (host.equals(gone.host())) {
                throw new UnknownHostException(host + ": Name or service not known");
            }
            if (host.equals(flaky.host())) {
                throw new UnknownHostException(host + ": Temporary failure in name resolution");
            }
            return Dns.SYSTEM.lookup(host);
        }).build();
        FetchReport r = run(dir, options(), client, file(plan, gone, flaky, good.url()));
        assertCorrect(r);
        FetchReport.MirrorResult g = mirror(r, gone.host());
        assertThat(g.requests()).isEqualTo(1);
        assertThat(g.verdict()).contains("excluded", "host name not found");
        assertThat(mirror(r, flaky.host()).verdict()).doesNotContain("host name not found");

        // Every mirror gone: the download fails after one lookup, not after rounds of backoff.
        FetchReport none = run(dir.resolve("none"), options(), client, file(plan, gone));
        assertThat(none.files().get(0).ok()).isFalse();
        assertThat(none.files().get(0).detail()).contains("host name not found");
        assertThat(mirror(none, gone.host()).requests()).isEqualTo(1);
    }

    /**
     * A mirror whose connections time out (nothing answers the first packet: a host down, a firewall dropping it;
     * here a listen queue kept full, whose host drops further connections) failed to connect, and is given up at
     * its second connection as one that refuses: on OkHttp's connections and on pipelined ones.
     */
    @Test
    void f08c_aConnectionThatTimesOutIsAFailedConnectionNotASlowAnswer() throws IOException {
        try (ServerSocket full = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.46"));
             Socket q1 = new Socket(); Socket q2 = new Socket()) {
            q1.connect(full.getLocalSocketAddress(), 1000); // the listen queue's two places, never accepted
            q2.connect(full.getLocalSocketAddress(), 1000);
            HttpUrl dropping = HttpUrl.get("http://127.0.0.46:" + full.getLocalPort() + "/pool/pkg.deb");
            for (boolean pipelined : new boolean[] {false, true}) {
                FetchReport none = run(dir.resolve("none-" + pipelined), options().withPipelining(pipelined),
                        file(plan, dropping));
                assertThat(none.files().get(0).ok()).isFalse();
                assertThat(none.files().get(0).detail())
                        .as("pipelined %s", pipelined).contains("2 failures in a row and never answered", "connection failed");
                FetchReport.MirrorResult m = mirror(none, "127.0.0.46:" + full.getLocalPort());
                assertThat(m.lastError()).containsIgnoringCase("connect timed out");
                assertThat(m.requests()).isEqualTo(2);
            }
        }
    }

    @Test
    void aTimeoutIsAFailedConnectionOnlyWhenTheConnectionTimedOut() {
        assertThat(Transfer.classify(new SocketTimeoutException("Connect timed out"))).isEqualTo(FailureReason.CONNECT_FAILED);
        assertThat(Transfer.classify(new SocketTimeoutException("connect timed out"))).isEqualTo(FailureReason.CONNECT_FAILED);
        assertThat(Transfer.classify(new SocketTimeoutException("Read timed out"))).isEqualTo(FailureReason.TIMEOUT);
        assertThat(Transfer.classify(new SocketTimeoutException("timeout"))).isEqualTo(FailureReason.TIMEOUT);
        assertThat(Transfer.classify(new SocketTimeoutException())).isEqualTo(FailureReason.TIMEOUT);
    }

    @Test
    void theNameServersVerdictIsToldFromAFailureForNow() {
        assertThat(Transfer.nameDoesNotExist("deb.example.org: Name or service not known")).isTrue();
        assertThat(Transfer.nameDoesNotExist("deb.example.org: No address associated with hostname")).isTrue();
        assertThat(Transfer.nameDoesNotExist("deb.example.org: Temporary failure in name resolution")).isFalse();
        assertThat(Transfer.nameDoesNotExist("deb.example.org: Non-recoverable failure in name resolution")).isFalse();
        assertThat(Transfer.nameDoesNotExist("deb.example.org")).isFalse(); // the JDK's cache, whatever it was
        assertThat(Transfer.nameDoesNotExist(null)).isFalse();
    }

    @Test
    void f09_aServerThatAcceptsButNeverAnswersTimesOut() throws IOException {
        good = new TestMirror(data, "/pool/pkg.deb");
        try (RawServer silent = new RawServer((line, h, out, socket) -> {
            try {
                Thread.sleep(30_000); // reads the request, then says nothing
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        })) {
            long t0 = System.nanoTime();
            FetchReport r = run(dir, options(), file(plan, silent.url("/pool/pkg.deb"), good.url()));
            assertCorrect(r);
            assertThat(mirror(r, LiveFile.mirrorId(silent.url("/"))).lastError()).contains("timed out");
            assertThat((System.nanoTime() - t0) / 1e9).isLessThan(10);
        }
    }

    @Test
    void f10_aLongDelayBeforeTheFirstByteIsWaitedForWithinTheTimeout() throws IOException {
        mirrors();
        bad.behave((r, n) -> new MockResponse.Builder(bad.serve(r)).headersDelay(700, TimeUnit.MILLISECONDS).build());
        FetchReport r = run(dir, options(), file(plan, bad.url()));
        assertCorrect(r);
        assertThat(mirror(r, bad.host()).failures()).isZero();
        // Beyond the timeout it is a failure, and another mirror takes over.
        bad.behave((r2, n) -> new MockResponse.Builder(bad.serve(r2)).bodyDelay(5, TimeUnit.SECONDS).build());
        Files.delete(dir.resolve("pkg.deb"));
        FetchReport r2 = fetchBadFirst();
        assertCorrect(r2);
        assertThat(mirror(r2, bad.host()).lastError()).contains("timed out");
    }

    @Test
    void f11_aTrickleBelowTheLowSpeedLimitFailsOver() throws IOException {
        mirrors();
        bad.behave((r, n) -> new MockResponse.Builder(bad.serve(r)).throttleBody(512, 1, TimeUnit.SECONDS).build());
        FetchOptions o = options().withLowSpeed(8 << 10, Duration.ofSeconds(1));
        long t0 = System.nanoTime();
        FetchReport r = run(dir, o, file(plan, bad.url(), good.url()));
        assertCorrect(r);
        assertThat(mirror(r, bad.host()).lastError()).contains("low-speed");
        assertThat((System.nanoTime() - t0) / 1e9).isLessThan(15);
    }

    @Test
    void f12_aPieceThatFailsItsHashIsDiscardedRefetchedElsewhereAndItsMirrorBannedForTheDownload() throws IOException {
        byte[] corrupt = data.clone();
        for (int i = 0; i < corrupt.length; i += 1000) {
            corrupt[i] ^= 0x5a;
        }
        mirrors();
        bad.behave((r, n) -> bad.serve(r, corrupt));
        FetchReport r = fetchBadFirst();
        assertCorrect(r);
        FetchReport.MirrorResult m = mirror(r, bad.host());
        assertThat(m.badPieces()).isPositive();
        assertThat(m.bytes()).isZero();
        assertThat(m.verdict()).contains("piece hash mismatch");
        assertThat(bad.requests.size()).isEqualTo(1); // not asked again after its first bad piece
    }

    @Test
    void f13_whenEveryMirrorServesBadDataTheFetchFailsClearlyAndNothingTakesTheFinalName() throws IOException {
        byte[] corrupt = data.clone();
        corrupt[PIECE + 3] ^= 1;
        mirrors();
        good.behave((r, n) -> good.serve(r, corrupt));
        bad.behave((r, n) -> bad.serve(r, corrupt));
        FetchReport r = fetchBadFirst();
        assertThat(r.ok()).isFalse();
        assertThat(r.files().get(0).detail()).containsIgnoringCase("mirror");
        assertThat(dir.resolve("pkg.deb")).doesNotExist();
    }

    @Test
    void f13b_aPieceHashEveryMirrorFailsWithTheSameBytesFailsThatFileOnlyAndKeepsTheMirrorsForTheRest()
            throws IOException {
        // A Metalink out of step with its mirrors: a piece hash of pkg.deb is not what every mirror holds.
        List<Digest> pieces = new ArrayList<>(plan.pieceHashes());
        byte[] wrong = pieces.get(3).bytes();
        wrong[0] ^= 1;
        pieces.set(3, Digest.of(HashAlgorithm.SHA_256, wrong));
        FilePlan stale = new FilePlan(plan.name(), plan.size(), plan.pieceLength(), pieces, plan.fileHash());
        byte[] other = content(3 * PIECE + 7, 44);
        mirrors();
        for (TestMirror m : List.of(good, bad)) {
            m.behave((r, n) -> r.getUrl().encodedPath().equals("/pool/other.deb")
                    ? TestMirror.serve(r, "/pool/other.deb", other) : m.serve(r));
        }
        FetchReport r = run(dir, options(), file(stale, bad.url(), good.url()),
                file(plan("other.deb", other, PIECE, true), bad.url().resolve("other.deb"), good.url().resolve("other.deb")));
        assertThat(r.files().get(0).ok()).isFalse();
        assertThat(r.files().get(0).detail()).contains("dropped (mirror serves a different version)")
                .doesNotContain("excluded");
        assertThat(dir.resolve("pkg.deb")).doesNotExist();
        assertThat(r.files().get(1).ok()).as("%s", r).isTrue();
        assertThat(Files.readAllBytes(dir.resolve("other.deb"))).isEqualTo(other);
        for (TestMirror m : List.of(good, bad)) {
            FetchReport.MirrorResult row = mirror(r, m.host());
            assertThat(row.verdict()).isEmpty();
            assertThat(row.lastError()).contains("piece 3 of pkg.deb: the same bytes from").contains("another version");
        }
    }

    @Test
    void f14_416DropsTheMirrorForTheFile() throws IOException {
        mirrors();
        bad.behave((r, n) -> new MockResponse.Builder().code(416).addHeader("Content-Range", "bytes */100").build());
        FetchReport r = fetchBadFirst();
        assertCorrect(r);
        assertThat(mirror(r, bad.host()).lastError()).contains("416");
        assertThat(bad.requests).hasSize(1);
    }

    @Test
    void f15_aMirrorWhoseValidatorChangesIsDroppedAndDifferentVersionsAreNeverMerged() throws IOException {
        mirrors();
        bad.behave((r, n) -> new MockResponse.Builder(bad.serve(r)).addHeader("ETag", "\"v" + n + "\"").build());
        // The good mirror takes its time (about 0.2 s for the file), so the one that answers at once is asked
        // again before the end: on a busy machine the good one had sometimes sent its share before the other
        // was asked a second time, and a validator seen once cannot change.
        good.behave((r, n) -> new MockResponse.Builder(good.serve(r)).throttleBody(16 << 10, 5, TimeUnit.MILLISECONDS)
                .build());
        FetchReport r = fetchBadFirst();
        assertCorrect(r);
        assertThat(bad.requests).hasSizeGreaterThan(1);
        assertThat(mirror(r, bad.host()).lastError()).contains("changed during the download");
        good.behave((r2, n) -> good.serve(r2));

        // With only a whole-file hash, a mirror with another version is found out and nothing wrong is kept.
        byte[] other = content(SIZE, 43);
        Files.delete(dir.resolve("pkg.deb"));
        bad.behave((r2, n) -> bad.serve(r2, other));
        FilePlan wholeOnly = plan("pkg.deb", data, PIECE, false);
        FetchReport r2 = run(dir, options(), file(wholeOnly, bad.url(), good.url()));
        assertCorrect(r2);
        assertThat(r2.files().get(0).detail()).contains("bad: " + bad.host());
        assertThat(mirror(r2, bad.host()).verdict()).isNotEmpty();
    }

    @Test
    void f16_contentEncodingOnARangeIsRefusedAndIdentityIsAskedFor() throws IOException {
        mirrors();
        bad.behave((r, n) -> new MockResponse.Builder(bad.serve(r)).addHeader("Content-Encoding", "gzip").build());
        FetchReport r = fetchBadFirst();
        assertCorrect(r);
        assertThat(mirror(r, bad.host()).lastError()).contains("Content-Encoding gzip");
        assertThat(bad.requests.get(0).getHeaders().get("Accept-Encoding")).isEqualTo("identity");
    }

    @Test
    void f17_multipartByterangesToASingleRangeIsRefused() throws IOException {
        mirrors();
        bad.behave((r, n) -> new MockResponse.Builder(bad.serve(r))
                .setHeader("Content-Type", "multipart/byteranges; boundary=XYZ").build());
        FetchReport r = fetchBadFirst();
        assertCorrect(r);
        assertThat(mirror(r, bad.host()).lastError()).contains("multipart");
    }

    @Test
    void f18_endlessOrOversizedHeadersAreCapped() throws IOException {
        good = new TestMirror(data, "/pool/pkg.deb");
        try (RawServer raw = new RawServer((line, h, out, socket) -> {
            out.write("HTTP/1.1 206 Partial Content\r\n".getBytes(StandardCharsets.ISO_8859_1));
            byte[] junk = ("X-Junk: " + "a".repeat(1000) + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
            try {
                for (int i = 0; i < 100_000; i++) { // 100 MB of headers, unless the client hangs up first
                    out.write(junk);
                }
            } catch (IOException e) {
                // the client gave up: good
            }
            socket.close();
        })) {
            long t0 = System.nanoTime();
            FetchReport r = run(dir, options(), file(plan, raw.url("/pool/pkg.deb"), good.url()));
            assertCorrect(r);
            assertThat(mirror(r, LiveFile.mirrorId(raw.url("/"))).failures()).isPositive();
            assertThat((System.nanoTime() - t0) / 1e9).isLessThan(10);
        }
    }

    @Test
    void f19_redirectsAreCappedAndTheNameComesFromThePlanOnly() throws IOException {
        mirrors();
        bad.behave((r, n) -> new MockResponse.Builder().code(302).addHeader("Location", bad.url().toString()).build());
        FetchReport r = fetchBadFirst();
        assertCorrect(r);
        assertThat(mirror(r, bad.host()).lastError()).contains("more than 5 redirects");
        assertThat(bad.requests).hasSize(6);
        // A redirect to a good copy is followed; Content-Disposition names nothing.
        Files.delete(dir.resolve("pkg.deb"));
        bad.behave((r2, n) -> new MockResponse.Builder().code(302).addHeader("Location", good.url().toString())
                .addHeader("Content-Disposition", "attachment; filename=\"../../evil\"").build());
        FetchReport r2 = run(dir, options(), file(plan, bad.url()));
        assertCorrect(r2);
        try (Stream<Path> s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly("pkg.deb");
        }
        assertThat(dir.getParent().resolve("evil")).doesNotExist();
    }

    @Test
    void f19_aRedirectToHttpsIsAskedOverTlsByAClientBuiltWithoutIt() throws Exception {
        // `fetch` builds its client without TLS when every URL it knows is plain http; a mirror that then
        // redirects to https must get a TLS handshake, not a refusal from the client's configuration.
        mirrors();
        java.util.concurrent.atomic.AtomicInteger firstByte = new java.util.concurrent.atomic.AtomicInteger(-1);
        try (ServerSocket tls = new ServerSocket(0, 5, InetAddress.getByName("127.0.0." + TestMirror.nextHost()))) {
            Thread t = new Thread(() -> {
                try (java.net.Socket s = tls.accept()) {
                    firstByte.compareAndSet(-1, s.getInputStream().read()); // then hang up: no certificate here
                } catch (IOException e) {
                    // closed by the test
                }
            }, "tls-probe");
            t.setDaemon(true);
            t.start();
            HttpUrl https = HttpUrl.get("https://" + tls.getInetAddress().getHostAddress() + ":" + tls.getLocalPort()
                    + "/pool/pkg.deb");
            bad.behave((r, n) -> new MockResponse.Builder().code(301).addHeader("Location", https.toString()).build());
            FetchOptions o = options();
            FetchReport r = run(dir, o, LiveDownload.client(o, false), file(plan, bad.url(), good.url()));
            assertCorrect(r);
            t.join(5000);
            assertThat(firstByte.get()).as("a TLS handshake record").isEqualTo(0x16);
            assertThat(mirror(r, bad.host()).lastError()).doesNotContain("CLEARTEXT");
        }
    }

    @Test
    void f21_credentialsGoOnlyToTheirHostAndNeverIntoTheReport() throws IOException {
        mirrors();
        HttpUrl withAuth = bad.url().newBuilder().username("alice").password("s3cret").build();
        bad.behave((r, n) -> new MockResponse.Builder().code(307).addHeader("Location", good.url().toString()).build());
        FetchReport r = run(dir, options(), file(plan, withAuth));
        assertCorrect(r);
        assertThat(bad.requests.get(0).getHeaders().get("Authorization")).startsWith("Basic ");
        assertThat(good.requests).allSatisfy(q -> assertThat(q.getHeaders().get("Authorization")).isNull());
        assertThat(r.toString()).doesNotContain("s3cret");
        assertThat(LiveFile.redact(withAuth)).doesNotContain("s3cret").doesNotContain("alice");
    }

    @Test
    void writesStayInsideTheTargetFolderEvenThroughASymlink(@TempDir Path outside) throws IOException {
        Files.createDirectories(dir.resolve("sub").getParent());
        Files.createSymbolicLink(dir.resolve("sub"), outside);
        FilePlan p = plan("sub/pkg.deb", data, PIECE, true);
        good = new TestMirror(data, "/pool/pkg.deb");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> run(dir, options(), file(p, good.url())))
                .hasMessageContaining("symbolic link");
        try (Stream<Path> s = Files.list(outside)) {
            assertThat(s).isEmpty();
        }
        assertThat(good.requests).isEmpty();
    }

    @Test
    void anExistingFileThatMatchesIsNotFetchedAgainAndOneThatDiffersIsNotOverwritten() throws IOException {
        good = new TestMirror(data, "/pool/pkg.deb");
        Files.write(dir.resolve("pkg.deb"), data);
        FetchReport r = run(dir, options(), file(plan, good.url()));
        assertThat(r.ok()).isTrue();
        assertThat(r.files().get(0).detail()).startsWith("already complete");
        assertThat(good.requests).isEmpty();
        Files.write(dir.resolve("pkg.deb"), "mine".getBytes(StandardCharsets.UTF_8));
        FetchReport r2 = run(dir, options(), file(plan, good.url()));
        assertThat(r2.ok()).isFalse();
        assertThat(Files.readString(dir.resolve("pkg.deb"))).isEqualTo("mine");
        FetchReport r3 = run(dir, options().withOverwrite(true), file(plan, good.url()));
        assertCorrect(r3);
    }

    static void write(OutputStream out, String s) throws IOException {
        out.write(s.getBytes(StandardCharsets.ISO_8859_1));
    }
}
