package org.mirrorswarm.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mirrorswarm.strategies.FailureReason;
import org.mirrorswarm.strategies.FilePlan;

/**
 * Mirrors over TLS, as most real ones are now: range answers over HTTP/1.1, pipelined on the client's own
 * connection (also from a server that offers HTTP/2), or over HTTP/2 through the general client (early
 * requests are then streams of its one connection),
 * with the certificate checked as for any https client — a mirror whose certificate names another host, or
 * that no trusted authority signed, is never asked for a byte, on either path.
 */
class HttpsTest {
    private static final int SIZE = 1 << 20;

    private static HeldCertificate root;
    /** Trusts {@link #root} only. */
    private static HandshakeCertificates clientSide;

    @TempDir
    Path dir;

    private final List<TestMirror> mirrors = new ArrayList<>();

    @BeforeAll
    static void certificates() {
        root = new HeldCertificate.Builder().certificateAuthority(0).commonName("mirrorswarm test authority").build();
        clientSide = new HandshakeCertificates.Builder().addTrustedCertificate(root.certificate()).build();
    }

    /** A certificate for every test mirror address (127.0.0.N), signed by {@code by} (null: self-signed). */
    private static HeldCertificate forMirrors(HeldCertificate by) {
        HeldCertificate.Builder b = new HeldCertificate.Builder().commonName("mirror");
        for (int i = 1; i < 255; i++) {
            b.addSubjectAlternativeName("127.0.0." + i);
        }
        return (by == null ? b : b.signedBy(by)).build();
    }

    private TestMirror mirror(byte[] data, HeldCertificate cert, Protocol... protocols) throws IOException {
        boolean signedByRoot = !cert.certificate().getIssuerX500Principal()
                .equals(cert.certificate().getSubjectX500Principal());
        HandshakeCertificates serverSide = (signedByRoot
                ? new HandshakeCertificates.Builder().heldCertificate(cert, root.certificate())
                : new HandshakeCertificates.Builder().heldCertificate(cert)).build();
        TestMirror m = new TestMirror(data, "/pool/pkg.deb", (MockWebServer s) -> {
            s.useHttps(serverSide.sslSocketFactory());
            s.setProtocols(List.of(protocols));
        });
        mirrors.add(m);
        return m;
    }

    @AfterEach
    void close() throws IOException {
        for (TestMirror m : mirrors) {
            m.close();
        }
    }

    /** The live client's defaults for timing-free tests, with its early requests and pipelining on. */
    private static FetchOptions options() {
        FetchOptions o = Fixture.options().withPipelining(true);
        return o.withScheduler(o.scheduler().withEarlyRequests(FetchOptions.PIPELINE_DEPTH));
    }

    /**
     * The TLS engine under test: Conscrypt here, the JDK's in {@link HttpsOnJdkTest}. Chosen for the command-line
     * paths too ({@link Trust#engine(Trust.Engine)}), for every test of the class.
     */
    Trust.Engine engine() {
        return Trust.Engine.CONSCRYPT;
    }

    @BeforeEach
    void chooseEngine() {
        assumeTrue(Trust.onConscrypt(engine()) || engine() == Trust.Engine.JDK,
                "Conscrypt's native library does not load on this machine");
        Trust.engine(engine());
    }

    @AfterEach
    void resetEngine() {
        Trust.engine(Trust.Engine.AUTO);
    }

    /** A client over {@link #engine} trusting {@link #root} (and the system's authorities). */
    private OkHttpClient client(FetchOptions o) {
        try {
            return Trust.parts(List.of(root.certificate()), engine()).on(LiveDownload.client(o, false));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * TLS still being set up holds up the https mirrors' connections only, and those connect meanwhile: a plain
     * mirror of the same file goes on being asked. Here the authority file is a pipe nobody writes to until the
     * plain mirror has been asked for half the file (the first https connection used to wait for the set-up while
     * holding the lock every request of every mirror takes: the plain mirror was asked nothing until it was done).
     */
    @Test
    void aPlainMirrorIsNotHeldUpWhileTlsIsBeingSetUp() throws Exception {
        Path fifo = Files.createTempDirectory(dir, "tls").resolve("authority.pem");
        assumeTrue(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0, "no mkfifo here");
        byte[] data = Fixture.content(16 * Fixture.PIECE + 5, 29);
        TestMirror secure = mirror(data, forMirrors(root), Protocol.HTTP_1_1);
        TestMirror plain = new TestMirror(data, "/pool/pkg.deb");
        mirrors.add(plain);
        FilePlan plan = Fixture.plan("pool/pkg.deb", data, Fixture.PIECE, true);
        Path out = Files.createDirectory(dir.resolve("out"));
        GeneralClient client = GeneralClient.later(options(), Trust.Pending.start(fifo));
        CompletableFuture<FetchReport> run = CompletableFuture.supplyAsync(() -> {
            try {
                return new LiveDownload(FileFeed.of(List.of(Fixture.file(plan, secure.url(), plain.url()))), out,
                        options(), FetchListener.NONE, null, client).run();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        long asked;
        String ranges;
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while ((asked = plain.bytesAsked()) < data.length / 2 && System.nanoTime() < deadline && !run.isDone()) {
                Thread.sleep(10);
            }
            ranges = plain.ranges.stream().map(Arrays::toString).toList().toString();
        } finally {
            Files.writeString(fifo, root.certificatePem()); // the set-up goes on, whatever happened
        }
        FetchReport r = run.get(30, TimeUnit.SECONDS);
        assertThat(asked).as("bytes asked of the plain mirror while TLS was being set up: %s", ranges)
                .isGreaterThanOrEqualTo(data.length / 2);
        assertThat(r.ok()).as("%s", r).isTrue();
        assertThat(Files.readAllBytes(out.resolve("pool/pkg.deb"))).isEqualTo(data);
    }

    @ParameterizedTest(name = "pipelining {0}")
    @ValueSource(booleans = {true, false})
    void rangesComeOverHttp2AndHttp11AndEveryPieceIsVerified(boolean pipelining) throws IOException {
        // Pipelining asks both over HTTP/1.1 on one connection each; without, the general client takes HTTP/2
        // where it is offered.
        byte[] data = Fixture.content(4 * SIZE, 443);
        HeldCertificate cert = forMirrors(root);
        TestMirror h2 = mirror(data, cert, Protocol.HTTP_2, Protocol.HTTP_1_1);
        TestMirror h11 = mirror(data, cert, Protocol.HTTP_1_1);
        for (TestMirror m : List.of(h2, h11)) { // 1.6 MB/s each: both take part, however fast the first TLS set-up
            m.behave((q, n) -> m.serve(q).newBuilder().throttleBody(16 << 10, 10, TimeUnit.MILLISECONDS).build());
        }
        FilePlan plan = Fixture.plan("pool/pkg.deb", data, Fixture.PIECE, true);
        // No tail policy: a hedge ends with one of its two answers cancelled while it is read, and when its rest
        // takes longer than the grace the connection closes and the requests behind it reconnect (Pipe). The
        // connections are counted below: with the default tail, 3 of 80 repeated pipelined runs saw a second one.
        FetchOptions base = options().withPipelining(pipelining);
        FetchOptions o = base.withScheduler(base.scheduler().withTail("none"));
        FetchReport r = Fixture.run(dir, o, client(o), Fixture.file(plan, h2.url(), h11.url()));

        assertThat(r.ok()).as("%s", r).isTrue();
        assertThat(Files.readAllBytes(dir.resolve("pool/pkg.deb"))).isEqualTo(data);
        assertThat(h2.requests).as("requests to the HTTP/2 mirror").isNotEmpty()
                .allSatisfy(q -> assertThat(q.getVersion()).isEqualTo(pipelining ? "HTTP/1.1" : "HTTP/2"));
        assertThat(h11.requests).as("requests to the HTTP/1.1 mirror").isNotEmpty()
                .allSatisfy(q -> assertThat(q.getVersion()).isEqualTo("HTTP/1.1"));
        for (TestMirror m : mirrors) {
            assertThat(m.requests).allSatisfy(q -> {
                assertThat(q.getHandshake()).as("TLS").isNotNull();
                assertThat(q.getHeaders().get("Range")).startsWith("bytes=");
            });
        }
        // Early requests are pipelined on the client's own connection, or streams of the one HTTP/2
        // connection: one per mirror either way (through the general client over HTTP/1.1, up to three).
        assertThat(connections(h2)).isEqualTo(1);
        assertThat(h11.requests).as("requests to the HTTP/1.1 mirror").hasSizeGreaterThan(1);
        if (pipelining) {
            assertThat(connections(h11)).isEqualTo(1);
        }
    }

    private static long connections(TestMirror m) {
        return m.requests.stream().mapToInt(RecordedRequest::getConnectionIndex).distinct().count();
    }

    @ParameterizedTest(name = "pipelining {0}")
    @ValueSource(booleans = {true, false})
    void aMirrorWithACertificateForAnotherHostOrFromNoTrustedAuthorityGetsNoRequest(boolean pipelining) throws IOException {
        // Over the client's own connections and through the general client alike.
        byte[] data = Fixture.content(SIZE, 444);
        TestMirror good = mirror(data, forMirrors(root), Protocol.HTTP_1_1);
        // It answers after a while: the others' handshakes fail first even on a loaded machine (else the
        // download could end before their failures are told; it once did).
        good.behave((r, n) -> new mockwebserver3.MockResponse.Builder(good.serve(r))
                .headersDelay(300, TimeUnit.MILLISECONDS).build());
        TestMirror otherName = mirror(data,
                new HeldCertificate.Builder().commonName("mirror").addSubjectAlternativeName("mirror.example.org")
                        .signedBy(root).build(),
                Protocol.HTTP_1_1);
        TestMirror selfSigned = mirror(data, forMirrors(null), Protocol.HTTP_2, Protocol.HTTP_1_1);
        FilePlan plan = Fixture.plan("pool/pkg.deb", data, Fixture.PIECE, true);
        FetchOptions o = options().withPipelining(pipelining);
        FetchReport r = Fixture.run(dir, o, client(o),
                Fixture.file(plan, otherName.url(), selfSigned.url(), good.url()));

        assertThat(r.ok()).as("%s", r).isTrue();
        assertThat(Files.readAllBytes(dir.resolve("pool/pkg.deb"))).isEqualTo(data);
        for (TestMirror bad : List.of(otherName, selfSigned)) {
            assertThat(bad.requests).as("requests that reached %s", bad.host()).isEmpty();
            FetchReport.MirrorResult m = Fixture.mirror(r, bad.host());
            assertThat(m.received()).isZero();
            assertThat(m.failures()).isPositive();
        }
        assertThat(Fixture.mirror(r, otherName.host()).lastError())
                .isEqualTo("TLS handshake failed: its certificate is not for " + otherName.url().host());
        assertThat(Fixture.mirror(r, selfSigned.host()).lastError())
                .startsWith("TLS handshake failed: its certificate is not trusted (");
    }

    @ParameterizedTest(name = "pipelining {0}")
    @ValueSource(booleans = {true, false})
    void aRefusedCertificateExcludesTheMirrorAtOnceInsteadOfRetryingIt(boolean pipelining) throws IOException {
        // A certificate verdict does not clear up in a second, unlike a lost connection: the mirror is not
        // retried after a back-off (with these bans it was, twice, before it was excluded as corrupt).
        byte[] data = Fixture.content(SIZE, 447);
        TestMirror selfSigned = mirror(data, forMirrors(null), Protocol.HTTP_1_1);
        FilePlan plan = Fixture.plan("pool/pkg.deb", data, Fixture.PIECE, true);
        FetchOptions o = options().withPipelining(pipelining);
        FetchReport r = Fixture.run(dir, o, client(o), Fixture.file(plan, selfSigned.url()));

        assertThat(r.ok()).isFalse();
        assertThat(r.files().get(0).detail()).contains(selfSigned.host() + " excluded (TLS handshake failed)");
        FetchReport.MirrorResult m = Fixture.mirror(r, selfSigned.host());
        assertThat(m.failures()).as("one per connection tried at once, not one per back-off").isBetween(1, 2);
        assertThat(m.badPieces()).isZero();
        assertThat(dir.resolve("pool/pkg.deb")).doesNotExist();
    }

    @Test
    void aHandshakeCutShortByTheServerIsALostConnectionNotAVerdict() throws IOException {
        // The mirror closes the connection as soon as the ClientHello arrives: the JDK calls that a failed
        // handshake ("Remote host terminated the handshake"); it may go through next time.
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Thread t = new Thread(() -> {
                try (java.net.Socket c = s.accept()) {
                    // The whole ClientHello record is read first: closing with bytes unread would be a reset.
                    java.io.DataInputStream in = new java.io.DataInputStream(c.getInputStream());
                    byte[] header = new byte[5];
                    in.readFully(header);
                    in.readFully(new byte[((header[3] & 0xff) << 8) | (header[4] & 0xff)]);
                } catch (IOException ignored) {
                    // the client sees the result
                }
            });
            t.start();
            IOException e = null;
            try (javax.net.ssl.SSLSocket c = (javax.net.ssl.SSLSocket) clientSide.sslSocketFactory()
                    .createSocket(s.getInetAddress(), s.getLocalPort())) {
                c.startHandshake();
            } catch (IOException x) {
                e = x;
            }
            try {
                t.join(5_000);
            } catch (InterruptedException x) {
                Thread.currentThread().interrupt();
            }
            assertThat(e).isInstanceOf(javax.net.ssl.SSLHandshakeException.class);
            assertThat(Transfer.classify(e)).as("%s", e).isIn(FailureReason.CONNECTION_LOST);
        }
    }

    @Test
    void anAuthorityFromAFileIsTrustedBesideTheSystemOnes() throws IOException {
        // fetch --ca-certificate: the mirrors of an organisation with its own authority.
        byte[] data = Fixture.content(SIZE, 445);
        TestMirror m = mirror(data, forMirrors(root), Protocol.HTTP_1_1);
        FilePlan plan = Fixture.plan("pool/pkg.deb", data, Fixture.PIECE, true);
        FetchOptions o = options();
        Path pem = dir.resolve("authority.pem");
        Files.writeString(pem, root.certificatePem());
        OkHttpClient c = Trust.adding(LiveDownload.client(o, false), pem);
        assertThat(c.x509TrustManager().getAcceptedIssuers()).as("the system's authorities and the added one")
                .contains(root.certificate()).hasSizeGreaterThan(1);
        FetchReport r = Fixture.run(dir.resolve("out"), o, c, Fixture.file(plan, m.url()));
        assertThat(r.ok()).as("%s", r).isTrue();
        assertThat(Files.readAllBytes(dir.resolve("out/pool/pkg.deb"))).isEqualTo(data);

        // Without it the same mirror is refused (the system does not know the authority).
        FetchReport without = Fixture.run(dir.resolve("out2"), o, LiveDownload.client(o, true), Fixture.file(plan, m.url()));
        assertThat(without.ok()).isFalse();
        assertThat(Fixture.mirror(without, m.host()).lastError()).startsWith("TLS handshake failed: its certificate is not trusted");
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void anAuthorityFromAFileSetUpOnAThreadOfItsOwn(boolean pipelining) throws IOException {
        // What fetch --ca-certificate does: the client is built without TLS, and TLS is set up meanwhile; the
        // live client's own connections and the general client's (no pipelining) both wait for it and use it.
        byte[] data = Fixture.content(SIZE, 446);
        TestMirror m = mirror(data, forMirrors(root), Protocol.HTTP_1_1);
        FilePlan plan = Fixture.plan("pool/pkg.deb", data, Fixture.PIECE, true);
        FetchOptions o = options().withPipelining(pipelining);
        Path pem = dir.resolve("authority.pem");
        Files.writeString(pem, root.certificatePem());
        OkHttpClient c = Trust.Pending.start(pem).on(LiveDownload.client(o, false));
        FetchReport r = Fixture.run(dir.resolve("out"), o, c, Fixture.file(plan, m.url()));
        assertThat(r.ok()).as("%s", r).isTrue();
        assertThat(Files.readAllBytes(dir.resolve("out/pool/pkg.deb"))).isEqualTo(data);

        // A certificate of that authority for another host is refused for that reason, not as unknown.
        TestMirror other = mirror(data, new HeldCertificate.Builder().commonName("elsewhere")
                .addSubjectAlternativeName("elsewhere.example").signedBy(root).build(), Protocol.HTTP_1_1);
        FetchReport refused = Fixture.run(dir.resolve("out2"), o, Trust.Pending.start(pem).on(LiveDownload.client(o, false)),
                Fixture.file(plan, other.url()));
        assertThat(refused.ok()).isFalse();
        assertThat(Fixture.mirror(refused, other.host()).lastError()).startsWith("TLS handshake failed: its certificate is not for");
    }

    @Test
    void aBadAuthorityFileIsToldWhenTheClientIsAskedFor() throws IOException {
        Path missing = dir.resolve("none.pem");
        Trust.Pending p = Trust.Pending.start(missing);
        assertThatThrownBy(() -> p.on(LiveDownload.client(options(), false)))
                .isInstanceOf(IOException.class).hasMessage(missing + ": no such file");
        Path junk = dir.resolve("junk.pem");
        Files.writeString(junk, "not a certificate");
        assertThatThrownBy(() -> Trust.Pending.start(junk).on(LiveDownload.client(options(), false)))
                .isInstanceOf(IOException.class).hasMessageStartingWith(junk + ": not a PEM or DER certificate");
        // read whole before parsing, so never more than a cap: a huge file given by mistake is refused
        Path huge = dir.resolve("huge.pem");
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(huge,
                java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(new byte[] {'-'}), Trust.MAX_CERTIFICATE_FILE); // sparse
        }
        assertThatThrownBy(() -> Trust.Pending.start(huge).on(LiveDownload.client(options(), false)))
                .isInstanceOf(IOException.class).hasMessage(huge + ": larger than 16 MiB: not a certificate file");
    }

    @Test
    void earlyRequestsToAnHttp2MirrorAreStreamsOfItsOneConnection() throws Exception {
        // Many small files from a mirror that takes 100 ms to answer each request (far away, in effect), through
        // the general client (no pipelining): its early requests are streams of its one HTTP/2 connection, as
        // many as pipelined ones would be, not held to the two more connections an HTTP/1.1 mirror may be
        // asked on there. (40 ms away, a busy machine saw at most 2 at once in 1 run of 4-8 under two busy loops,
        // and once in CI: the scheduler asks early only when what is in flight should be delivered within the
        // mirror's latency, as measured. 100 ms away: 0 failures in 18 runs under the same load.)
        int files = 40;
        List<byte[]> contents = new ArrayList<>();
        for (int i = 0; i < files; i++) {
            contents.add(Fixture.content(16 << 10, 500 + i));
        }
        java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger most = new java.util.concurrent.atomic.AtomicInteger();
        java.util.Set<Integer> connections = java.util.concurrent.ConcurrentHashMap.newKeySet();
        HandshakeCertificates serverSide = new HandshakeCertificates.Builder()
                .heldCertificate(forMirrors(root), root.certificate()).build();
        try (MockWebServer server = new MockWebServer()) {
            server.useHttps(serverSide.sslSocketFactory());
            server.setProtocols(List.of(Protocol.HTTP_2, Protocol.HTTP_1_1));
            server.setDispatcher(new mockwebserver3.Dispatcher() {
                @Override
                public mockwebserver3.MockResponse dispatch(RecordedRequest q) throws InterruptedException {
                    most.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                    connections.add(q.getConnectionIndex());
                    try {
                        Thread.sleep(100);
                        String path = q.getUrl().encodedPath();
                        byte[] data = contents.get(Integer.parseInt(path.substring(6, path.length() - 4)));
                        long[] range = TestMirror.requestedRange(q);
                        return new mockwebserver3.MockResponse.Builder().code(206)
                                .addHeader("Content-Range", "bytes " + range[0] + "-" + range[1] + "/" + data.length)
                                .body(new okio.Buffer().write(data, (int) range[0], (int) (range[1] - range[0] + 1)))
                                .build();
                    } finally {
                        inFlight.decrementAndGet();
                    }
                }
            });
            server.start(java.net.InetAddress.getByName("127.0.0." + TestMirror.nextHost()), 0);
            List<LiveFile> lf = new ArrayList<>();
            for (int i = 0; i < files; i++) {
                FilePlan plan = Fixture.plan("pool/" + i + ".deb", contents.get(i), Fixture.PIECE, true);
                lf.add(Fixture.file(plan, server.url("/pool/" + i + ".deb")));
            }
            FetchOptions o = options().withPipelining(false);
            FetchReport r = Fixture.run(dir, o, client(o), lf.toArray(LiveFile[]::new));
            assertThat(r.ok()).as("%s", r).isTrue();
            for (int i = 0; i < files; i++) {
                assertThat(Files.readAllBytes(dir.resolve("pool/" + i + ".deb"))).isEqualTo(contents.get(i));
            }
            assertThat(connections).as("HTTP/2 connections").hasSize(1);
            assertThat(most.get()).as("requests in flight at once")
                    .isGreaterThan(o.scheduler().maxPerMirror() + org.mirrorswarm.strategies.SchedulerConfig.EARLY_CONNECTIONS);
        }
    }

    @Test
    void aServerThatWillSpeakOnlyHttp2IsToldFromAFailedHandshake() throws Exception {
        HandshakeCertificates serverSide = new HandshakeCertificates.Builder()
                .heldCertificate(forMirrors(root), root.certificate()).build();
        try (javax.net.ssl.SSLServerSocket ss = (javax.net.ssl.SSLServerSocket) serverSide.sslContext()
                .getServerSocketFactory().createServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            javax.net.ssl.SSLParameters p = ss.getSSLParameters();
            p.setApplicationProtocols(new String[] {"h2"}); // and nothing else: a client asking for http/1.1 is refused
            ss.setSSLParameters(p);
            Thread server = new Thread(() -> {
                try (javax.net.ssl.SSLSocket s = (javax.net.ssl.SSLSocket) ss.accept()) {
                    s.startHandshake();
                } catch (IOException expected) {
                    // no_application_protocol
                }
            });
            server.start();
            Pipe pipe = new Pipe("127.0.0.1", ss.getLocalPort(), LiveDownload.pipeTls(client(options())));
            assertThatThrownBy(() -> pipe.connect(okhttp3.Dns.SYSTEM, 5000, 5000)).isInstanceOf(Pipe.Http2.class);
            server.join(5000);
        }
    }

    @ParameterizedTest(name = "pipelining {0}")
    @ValueSource(booleans = {true, false})
    void tlsThatCannotBeSetUpStopsTheDownloadInsteadOfBlamingTheMirrors(boolean pipelining) throws IOException {
        // The TLS engine asked for cannot run here, the system's authorities cannot be read: a local failure.
        byte[] data = Fixture.content(SIZE, 446);
        TestMirror m = mirror(data, forMirrors(root), Protocol.HTTP_1_1);
        FilePlan plan = Fixture.plan("pool/pkg.deb", data, Fixture.PIECE, true);
        FetchOptions o = options().withPipelining(pipelining);
        OkHttpClient plain = LiveDownload.client(o, false);
        LiveDownload.tlsLater(plain, java.util.concurrent.CompletableFuture.failedFuture(
                new IllegalStateException("TLS could not be set up: no engine here")));
        LiveDownload d = new LiveDownload(List.of(Fixture.file(plan, m.url())), dir, o, FetchListener.NONE, null, plain);
        FetchReport r = d.run();
        assertThat(r.ok()).isFalse();
        assertThat(r.files().get(0).detail()).isEqualTo("TLS could not be set up: no engine here");
        assertThat(d.stoppedBy()).as("told once for the whole download").isEqualTo("TLS could not be set up: no engine here");
        assertThat(d.interrupted()).isFalse();
        assertThat(Fixture.mirror(r, m.host()).failures()).as("the mirror is not to blame").isZero();
        assertThat(m.requests).isEmpty();
        assertThat(dir.resolve("pool/pkg.deb")).doesNotExist();
    }
}
