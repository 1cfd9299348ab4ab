package org.mirrorswarm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end: the tracker (started as {@code java -jar mirrorswarm.jar tracker}) serves a repository whose
 * copies are on three real nginx mirrors
 * (127.0.0.31–.33), one of them stale; the crawl withdraws the stale one; aria2c downloads through the
 * tracker's Metalinks and gets correct files, and so does {@code mirrorswarm fetch}, both by Metalink and
 * by the repository manifest signed offline with {@code mirrorswarm keygen} and {@code sign}.
 */
class TrackerNginxIT {
    static final String[] HOSTS = {"127.0.0.31", "127.0.0.32", "127.0.0.33"};
    static final List<String> FILES = new ArrayList<>();

    @TempDir
    static Path root;
    static Path repo;
    static Process nginx;
    static Process tracker;
    static String trackerUrl;

    @BeforeAll
    static void start() throws Exception {
        FetchNginxIT.require("nginx");
        FetchNginxIT.require("aria2c");
        repo = Files.createDirectories(root.resolve("repo"));
        SplittableRandom rnd = new SplittableRandom(2004);
        Files.writeString(repo.resolve("Release"), "Suite: stable\nDate: 2026-11-26\n");
        FILES.add("Release");
        for (int i = 0; i < 8; i++) {
            byte[] b = new byte[i == 0 ? 3 << 20 : 2000 + rnd.nextInt(400_000)];
            rnd.nextBytes(b);
            String name = "pool/main/p" + i + "/p" + i + "_1.0_amd64.deb";
            Files.createDirectories(repo.resolve(name).getParent());
            Files.write(repo.resolve(name), b);
            FILES.add(name);
        }
        List<Path> copies = new ArrayList<>();
        for (int i = 0; i < HOSTS.length; i++) {
            Path copy = root.resolve("mirror" + i);
            for (String f : FILES) {
                Files.createDirectories(copy.resolve(f).getParent());
                Files.copy(repo.resolve(f), copy.resolve(f));
            }
            copies.add(copy);
        }
        // The third mirror is stale: an older Release and an older build of one package.
        Files.writeString(copies.get(2).resolve("Release"), "Suite: stable\nDate: 2026-11-19\n");
        byte[] old = Files.readAllBytes(copies.get(2).resolve(FILES.get(2)));
        old[old.length / 3] ^= 0x20;
        Files.write(copies.get(2).resolve(FILES.get(2)), old);

        Files.createDirectories(root.resolve("tmp"));
        StringBuilder servers = new StringBuilder();
        List<String> urls = new ArrayList<>();
        int[] ports = new int[HOSTS.length];
        for (int i = 0; i < HOSTS.length; i++) {
            ports[i] = FetchNginxIT.freePort(HOSTS[i]);
            urls.add("http://" + HOSTS[i] + ":" + ports[i] + "/debian/");
            servers.append("  server { listen ").append(HOSTS[i]).append(':').append(ports[i])
                    .append("; location /debian/ { alias ").append(copies.get(i)).append("/; }")
                    .append(" limit_conn perclient 16; limit_rate 8m; }\n");
        }
        nginx = FetchNginxIT.startNginx(root, servers.toString());
        for (int i = 0; i < HOSTS.length; i++) {
            FetchNginxIT.waitFor(nginx, root, HOSTS[i], ports[i]);
        }

        // Publish: a key pair, and the manifest signed offline.
        FetchNginxIT.Run k = FetchNginxIT.mirrorswarm("keygen", root.resolve("repo-key").toString());
        assertThat(k.code()).as(k.err()).isZero();
        FetchNginxIT.Run s = FetchNginxIT.mirrorswarm("sign", "--key", root.resolve("repo-key.key").toString(),
                "--repo", repo.toString(), "--piece-size", "256KiB", "--expires", "1h", "--state",
                root.resolve("state").toString());
        assertThat(s.code()).as(s.err()).isZero();
        // Copy the signed manifest to the mirrors as a publisher's sync would (the stale one misses it).
        for (int i = 0; i < 2; i++) {
            Files.copy(repo.resolve("repo.manifest"), copies.get(i).resolve("repo.manifest"));
        }

        String yaml = "ranking: weighted\nmirrors-per-answer: 3\npiece-length: 256KiB\n"
                + "crawl: {interval: 1s, marker: Release, sample: 3, failures: 1, timeout: 5s}\nmirrors:\n"
                + "  - {id: m1, url: \"" + urls.get(0) + "\", capacity: 100MB}\n"
                + "  - {id: m2, url: \"" + urls.get(1) + "\", capacity: 100MB}\n"
                + "  - {id: stale, url: \"" + urls.get(2) + "\", capacity: 1000MB}\n";
        Path mirrorsYaml = root.resolve("mirrors.yaml");
        Files.writeString(mirrorsYaml, yaml);
        // The tracker as users start it: the runnable jar's 'tracker' command, in its own process.
        Path jar = Path.of("target", "mirrorswarm.jar").toAbsolutePath();
        assertThat(jar).as("the runnable jar (built in the package phase)").exists();
        int port = FetchNginxIT.freePort("127.0.0.1");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        tracker = new ProcessBuilder(java, "-jar", jar.toString(), "tracker", "--repo", repo.toString(), "--mirrors",
                mirrorsYaml.toString(), "--host", "127.0.0.1", "--port", Integer.toString(port), "--state",
                root.resolve("state").toString(), "--access-log", root.resolve("access.log").toString())
                .redirectErrorStream(true).redirectOutput(root.resolve("tracker.out").toFile()).start();
        trackerUrl = "http://127.0.0.1:" + port + "/";
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try (java.net.Socket probe = new java.net.Socket()) {
                probe.connect(new java.net.InetSocketAddress("127.0.0.1", port), 200);
                break;
            } catch (java.io.IOException e) {
                if (!tracker.isAlive() || System.nanoTime() > deadline) {
                    throw new AssertionError("the tracker did not start: " + Files.readString(root.resolve("tracker.out")));
                }
                Thread.sleep(100);
            }
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (tracker != null) {
            tracker.destroy();
            tracker.waitFor(10, TimeUnit.SECONDS);
            tracker.destroyForcibly();
        }
        if (nginx != null) {
            nginx.destroy();
            nginx.waitFor(5, TimeUnit.SECONDS);
            nginx.destroyForcibly();
        }
    }

    /** Waits until the crawl has withdrawn the stale mirror and listed the others. */
    static String awaitCrawl() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        String json = "";
        while (System.nanoTime() < deadline) {
            json = http.send(HttpRequest.newBuilder(URI.create(trackerUrl + "mirrors")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            if (json.contains("\"id\": \"stale\"") && json.matches("(?s).*\"id\": \"stale\"[^}]*\"withdrawn\".*")
                    && json.matches("(?s).*\"id\": \"m1\"[^}]*\"listed: crawl good\".*")
                    && json.matches("(?s).*\"id\": \"m2\"[^}]*\"listed: crawl good\".*")) {
                return json;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the crawl did not withdraw the stale mirror: " + json);
    }

    @Test
    void theCrawlWithdrawsTheStaleMirrorAndAria2AndMirrorswarmGetCorrectFiles() throws Exception {
        String json = awaitCrawl();
        assertThat(json).contains("stale: marker Release differs");

        // aria2c through the tracker's Metalinks (kept in memory).
        Path ariaOut = Files.createDirectories(root.resolve("out-aria2"));
        List<String> cmd = new ArrayList<>(List.of(FetchNginxIT.which("aria2c"), "--console-log-level=warn",
                "--summary-interval=0", "--follow-metalink=mem",
                "-Z", "--check-integrity=true", "--allow-overwrite=true", "-d", ariaOut.toString()));
        for (String f : FILES) {
            cmd.add(trackerUrl + f.replace(" ", "%20") + ".meta4");
        }
        Process aria = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String ariaLog = new String(aria.getInputStream().readAllBytes());
        assertThat(aria.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(aria.exitValue()).as(ariaLog).isZero();
        String listing;
        try (var w = Files.walk(ariaOut)) {
            listing = w.map(Path::toString).toList().toString();
        }
        for (String f : FILES) {
            assertThat(ariaOut.resolve(f)).as(ariaLog + listing).exists();
            assertThat(Files.readAllBytes(ariaOut.resolve(f))).as("aria2c " + f).isEqualTo(Files.readAllBytes(repo.resolve(f)));
        }

        // mirrorswarm fetch through a Metalink of the tracker.
        Path msOut = root.resolve("out-metalink");
        FetchNginxIT.Run r = FetchNginxIT.mirrorswarm("fetch", trackerUrl + FILES.get(1) + ".meta4", "-d", msOut.toString(),
                "--json");
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        assertThat(Files.readAllBytes(msOut.resolve(FILES.get(1)))).isEqualTo(Files.readAllBytes(repo.resolve(FILES.get(1))));
        assertThat(r.out()).doesNotContain(HOSTS[2]);

        // mirrorswarm fetch of a plain URL of the tracker: its 302, Link and Digest headers (RFC 6249).
        Path plain = root.resolve("out-plain");
        FetchNginxIT.Run viaRedirect = FetchNginxIT.mirrorswarm("fetch", trackerUrl + FILES.get(3), "-d", plain.toString(),
                "--json");
        assertThat(viaRedirect.code()).as(viaRedirect.out() + viaRedirect.err()).isZero();
        String base = FILES.get(3).substring(FILES.get(3).lastIndexOf('/') + 1);
        assertThat(Files.readAllBytes(plain.resolve(base))).isEqualTo(Files.readAllBytes(repo.resolve(FILES.get(3))));

        // mirrorswarm fetch of the whole repository by the signed manifest, mirrors as hints.
        Path all = root.resolve("out-manifest");
        FetchNginxIT.Run m = FetchNginxIT.mirrorswarm("fetch", "--manifest", trackerUrl + "repo.manifest", "--public-key",
                root.resolve("repo-key.pub").toString(), "-d", all.toString(), "--json");
        assertThat(m.code()).as(m.out() + m.err()).isZero();
        for (String f : FILES) {
            assertThat(Files.readAllBytes(all.resolve(f))).as(f).isEqualTo(Files.readAllBytes(repo.resolve(f)));
        }
        assertThat(m.out()).doesNotContain(HOSTS[2]);

        // A manifest signed with another key is refused, and nothing is written.
        FetchNginxIT.mirrorswarm("keygen", root.resolve("other").toString());
        Path refused = root.resolve("out-refused");
        FetchNginxIT.Run bad = FetchNginxIT.mirrorswarm("fetch", "--manifest", trackerUrl + "repo.manifest",
                "--public-key", root.resolve("other.pub").toString(), "-d", refused.toString());
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("bad signature").doesNotContain("\tat ");
        try (var s = Files.list(refused)) {
            assertThat(s.filter(p -> !p.getFileName().toString().startsWith("."))).isEmpty();
        }
    }
}
