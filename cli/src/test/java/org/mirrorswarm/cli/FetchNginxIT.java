package org.mirrorswarm.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end through real nginx mirrors on distinct loopback addresses (127.0.0.11–.13, one connection
 * per client each, as the benchmark runs them): {@code mirrorswarm metalink} writes a Metalink that
 * aria2c accepts, and {@code mirrorswarm fetch} downloads through it, byte-identical, also when one mirror
 * serves a corrupted copy. Needs nginx (and aria2c): {@code .ci/run} installs both and sets
 * {@code MIRRORSWARM_REQUIRE_E2E}, which turns a missing one into a failure instead of a skip.
 */
class FetchNginxIT {
    static final String[] HOSTS = {"127.0.0.11", "127.0.0.12", "127.0.0.13"};

    @TempDir
    static Path root;
    static Process nginx;
    static List<String> bases = new ArrayList<>();
    static List<String> httpsBases = new ArrayList<>();
    static Path www;
    static Path corrupt;

    static String which(String name) {
        for (String d : (System.getenv().getOrDefault("PATH", "") + ":/usr/sbin:/usr/local/sbin").split(":")) {
            Path p = Path.of(d, name);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        return null;
    }

    static void require(String tool) {
        if (which(tool) == null && System.getenv("MIRRORSWARM_REQUIRE_E2E") != null) {
            throw new AssertionError(tool + " is not installed but MIRRORSWARM_REQUIRE_E2E is set");
        }
        assumeTrue(which(tool) != null, tool + " is not installed: end-to-end test skipped");
    }

    /** Ports already handed out in this JVM: the system may give a just-closed port again. */
    private static final Set<Integer> HANDED_OUT = new HashSet<>();

    /**
     * A port free on {@code host} now and not handed out before by this method. Without the second
     * condition two servers of one nginx could get the same address and port (nginx then applies one
     * server's {@code ssl} to the other and refuses to start).
     */
    static synchronized int freePort(String host) throws IOException {
        while (true) {
            try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(host))) {
                if (HANDED_OUT.add(s.getLocalPort())) {
                    return s.getLocalPort();
                }
            }
        }
    }

    @BeforeAll
    static void startMirrors() throws Exception {
        require("nginx");
        www = Files.createDirectories(root.resolve("www"));
        corrupt = Files.createDirectories(root.resolve("corrupt"));
        Files.createDirectories(root.resolve("tmp"));
        SplittableRandom rnd = new SplittableRandom(2004);
        byte[] big = new byte[6 << 20];
        rnd.nextBytes(big);
        Files.write(www.resolve("big.iso"), big);
        byte[] bad = big.clone();
        for (int i = 7; i < bad.length; i += 1 << 20) {
            bad[i] ^= 0x55; // every piece differs
        }
        Files.write(corrupt.resolve("big.iso"), bad);
        for (int i = 0; i < 12; i++) {
            byte[] small = new byte[1000 + rnd.nextInt(200_000)];
            rnd.nextBytes(small);
            Files.write(www.resolve("pkg-" + i + ".deb"), small);
            Files.write(corrupt.resolve("pkg-" + i + ".deb"), small);
        }
        StringBuilder servers = new StringBuilder();
        List<String> listens = new ArrayList<>(); // host:port of every server, to wait for
        for (int i = 0; i < HOSTS.length; i++) {
            int port = freePort(HOSTS[i]);
            listens.add(HOSTS[i] + ":" + port);
            bases.add("http://" + HOSTS[i] + ":" + port);
            Path docroot = i == 2 ? corrupt : www; // the third mirror serves a corrupted big.iso
            servers.append("  server { listen ").append(HOSTS[i]).append(':').append(port).append("; root ")
                    .append(docroot).append("; limit_conn perclient 1; limit_rate ").append(i == 0 ? "8m" : "4m")
                    .append("; }\n");
        }
        // Two https mirrors with a certificate from a private authority: one speaking HTTP/1.1 only (its access
        // log notes each request's connection), one offering HTTP/2 as well.
        HeldCertificate authority = new HeldCertificate.Builder().certificateAuthority(0).commonName("e2e authority").build();
        HeldCertificate.Builder cb = new HeldCertificate.Builder().commonName("mirror").signedBy(authority);
        for (String h : HOSTS) {
            cb.addSubjectAlternativeName(h);
        }
        HeldCertificate cert = cb.build();
        Files.writeString(root.resolve("authority.pem"), authority.certificatePem());
        Files.writeString(root.resolve("mirror.pem"), cert.certificatePem());
        Files.writeString(root.resolve("mirror.key"), cert.privateKeyPkcs8Pem());
        String tls = " ssl_certificate " + root.resolve("mirror.pem") + "; ssl_certificate_key " + root.resolve("mirror.key") + ";";
        for (int i = 0; i < 2; i++) {
            int port = freePort(HOSTS[i]);
            listens.add(HOSTS[i] + ":" + port);
            httpsBases.add("https://" + HOSTS[i] + ":" + port);
            servers.append("  server { listen ").append(HOSTS[i]).append(':').append(port).append(i == 0 ? " ssl;" : " ssl http2;")
                    .append(tls).append(" root ").append(www).append("; limit_conn perclient 1; limit_rate 4m;")
                    .append(i == 0 ? " access_log " + root.resolve("https-h1.log") + " byconnection;" : "").append(" }\n");
        }
        nginx = startNginx(root, "  log_format byconnection '$connection $status';\n" + servers);
        for (String l : listens) {
            int colon = l.lastIndexOf(':');
            waitFor(l.substring(0, colon), Integer.parseInt(l.substring(colon + 1)));
        }
    }

    /**
     * Starts nginx in the foreground with its files under {@code dir} (which must hold a {@code tmp}
     * folder) and the given {@code server} blocks; {@code perclient} is a connection-limit zone keyed by
     * client and mirror address.
     */
    static Process startNginx(Path dir, String servers) throws IOException {
        boolean rootUser = "root".equals(System.getProperty("user.name"));
        String conf = (rootUser ? "user root;\n" : "") + "worker_processes 1;\ndaemon off;\npid " + dir.resolve("nginx.pid")
                + ";\nerror_log " + dir.resolve("error.log") + " warn;\nevents { worker_connections 256; }\nhttp {\n"
                + "  access_log off;\n  client_body_temp_path " + dir.resolve("tmp/body") + ";\n  proxy_temp_path "
                + dir.resolve("tmp/proxy") + ";\n  fastcgi_temp_path " + dir.resolve("tmp/fcgi") + ";\n  uwsgi_temp_path "
                + dir.resolve("tmp/uwsgi") + ";\n  scgi_temp_path " + dir.resolve("tmp/scgi") + ";\n"
                + "  keepalive_requests 10000;\n"
                + "  limit_conn_zone \"$binary_remote_addr $server_addr:$server_port\" zone=perclient:1m;\n"
                + servers + "}\n";
        Path confFile = dir.resolve("nginx.conf");
        Files.writeString(confFile, conf);
        return new ProcessBuilder(which("nginx"), "-p", dir.toString(), "-c", confFile.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("nginx.out").toFile()).start();
    }

    static void waitFor(String host, int port) throws Exception {
        waitFor(nginx, root, host, port);
    }

    /** Waits until {@code nginx} (started in {@code dir}, its output in nginx.out) listens on host:port. */
    static void waitFor(Process nginx, Path dir, String host, int port) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(host, port), 200);
                return;
            } catch (IOException e) {
                if (!nginx.isAlive()) {
                    throw new AssertionError("nginx exited: " + Files.readString(dir.resolve("nginx.out")));
                }
                Thread.sleep(50);
            }
        }
        throw new AssertionError("nginx did not listen on " + host + ":" + port);
    }

    @AfterAll
    static void stopMirrors() throws InterruptedException {
        if (nginx != null) {
            nginx.destroy();
            nginx.waitFor(5, TimeUnit.SECONDS);
            nginx.destroyForcibly();
        }
    }

    record Run(int code, String out, String err) {
    }

    static Run mirrorswarm(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Cli.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    static Path metalink(String name, List<String> mirrors, String... files) {
        Path out = root.resolve(name);
        List<String> args = new ArrayList<>(List.of("metalink"));
        for (String f : files) {
            args.add(www.resolve(f).toString());
        }
        for (String m : mirrors) {
            args.add("--mirror");
            args.add(m);
        }
        args.add("-o");
        args.add(out.toString());
        Run r = mirrorswarm(args.toArray(String[]::new));
        assertThat(r.code()).as(r.err()).isZero();
        return out;
    }

    static String[] allFiles() {
        List<String> f = new ArrayList<>(List.of("big.iso"));
        for (int i = 0; i < 12; i++) {
            f.add("pkg-" + i + ".deb");
        }
        return f.toArray(String[]::new);
    }

    @Test
    void fetchThroughRealNginxMirrorsIsByteIdentical() throws IOException {
        Path meta = metalink("good.meta4", bases.subList(0, 2), allFiles());
        Path out = root.resolve("out-good");
        Run r = mirrorswarm("fetch", meta.toString(), "-d", out.toString(), "--json");
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        for (String f : allFiles()) {
            assertThat(Files.readAllBytes(out.resolve(f))).as(f).isEqualTo(Files.readAllBytes(www.resolve(f)));
        }
        assertThat(r.out()).contains("\"ok\": true").contains(HOSTS[0]).contains(HOSTS[1]);
        try (var s = Files.list(out)) {
            assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".part") || n.endsWith(".journal"));
        }
    }

    /**
     * {@code --limit-rate} through nginx: two mirrors able to give 12 MiB/s together hold to 3 MiB/s, every
     * transfer under it kept (its waits are not taken for a slow mirror), and the summary says so.
     */
    @Test
    void aRateLimitHoldsTheFetchToItThroughNginx() throws IOException {
        Path meta = metalink("limited.meta4", bases.subList(0, 2), "big.iso");
        Path out = root.resolve("out-limited");
        long t0 = System.nanoTime();
        Run r = mirrorswarm("fetch", meta.toString(), "-d", out.toString(), "--limit-rate", "3MiB/s", "--low-speed-limit",
                "2MiB", "--low-speed-time", "1s");
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        assertThat(Files.readAllBytes(out.resolve("big.iso"))).isEqualTo(Files.readAllBytes(www.resolve("big.iso")));
        assertThat(r.out()).contains("1 of 1 files, 6.00 MiB in ").contains("; limited to 3.00 MiB/s)")
                .doesNotContain("low-speed").doesNotContain("timeout");
        // 6 MiB at 3 MiB/s less the tenth of a second of credit it starts with: 1.9 s at least.
        assertThat(seconds).isGreaterThanOrEqualTo(1.85);
    }

    @Test
    void aMirrorServingACorruptedCopyIsCaughtAndTheFileStillRight() throws IOException {
        Path meta = metalink("corrupt.meta4", List.of(bases.get(2), bases.get(1)), "big.iso");
        Path out = root.resolve("out-corrupt");
        Run r = mirrorswarm("fetch", meta.toString(), "-d", out.toString(), "--json");
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        assertThat(Files.readAllBytes(out.resolve("big.iso"))).isEqualTo(Files.readAllBytes(www.resolve("big.iso")));
        assertThat(r.out()).containsPattern("\"id\": \"" + HOSTS[2].replace(".", "\\.") + ":\\d+\", \"bytes\": \\d+, "
                + "\"received\": \\d+, \"busy_seconds\": [0-9.]+, \"mean_rate\": \\d+, \"requests\": \\d+, \"failures\": \\d+, "
                + "\"bad_pieces\": [1-9]");
        // not asked again for the rest of the download: its first bad piece excluded it
        assertThat(r.out()).containsPattern("\"id\": \"" + HOSTS[2].replace(".", "\\.") + ":\\d+\", [^\n]*"
                + "\"verdict\": \"excluded: piece hash mismatch\"");
    }

    @Test
    void fetchOverHttpsFromMirrorsOfAPrivateAuthority() throws IOException {
        // Trusted with --ca-certificate only: without it no byte is accepted and nothing takes a final name.
        Path meta = metalink("https.meta4", httpsBases, allFiles());
        Path refused = root.resolve("out-https-refused");
        Run no = mirrorswarm("fetch", meta.toString(), "-d", refused.toString(), "--json");
        assertThat(no.code()).as(no.out() + no.err()).isNotZero();
        assertThat(no.out()).contains("TLS handshake failed: its certificate is not trusted");
        for (String f : allFiles()) {
            assertThat(refused.resolve(f)).doesNotExist();
        }

        Path out = root.resolve("out-https");
        Run r = mirrorswarm("fetch", meta.toString(), "-d", out.toString(), "--json",
                "--ca-certificate", root.resolve("authority.pem").toString());
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        for (String f : allFiles()) {
            assertThat(Files.readAllBytes(out.resolve(f))).as(f).isEqualTo(Files.readAllBytes(www.resolve(f)));
        }
        assertThat(r.out()).contains("\"ok\": true").contains(httpsBases.get(0).substring(8)).contains(httpsBases.get(1).substring(8));
        // The HTTP/1.1 mirror got its requests pipelined on one TLS connection (the refused run never got one
        // through: its handshakes failed).
        List<String> log = Files.readAllLines(root.resolve("https-h1.log"));
        assertThat(log).hasSizeGreaterThan(2).allSatisfy(l -> assertThat(l).endsWith(" 206"));
        assertThat(log.stream().map(l -> l.split(" ")[0]).distinct().count()).as("connections").isEqualTo(1);
    }

    @Test
    void aria2AcceptsTheMetalinkWeWrite() throws Exception {
        require("aria2c");
        Path meta = metalink("for-aria2.meta4", bases.subList(0, 2), "big.iso", "pkg-0.deb");
        Path out = root.resolve("out-aria2");
        Process p = new ProcessBuilder(which("aria2c"), "-q", "--check-integrity=true", "-d", out.toString(), meta.toString())
                .redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(log).isZero();
        assertThat(Files.readAllBytes(out.resolve("big.iso"))).isEqualTo(Files.readAllBytes(www.resolve("big.iso")));
        assertThat(Files.readAllBytes(out.resolve("pkg-0.deb"))).isEqualTo(Files.readAllBytes(www.resolve("pkg-0.deb")));
    }
}
