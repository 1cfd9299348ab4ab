package org.mirrorswarm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mirrorswarm.live.manifest.Keys;
import org.mirrorswarm.live.manifest.RepoManifest;

/** {@code tracker}, {@code keygen} and {@code sign} from the command line: what they write, how they refuse. */
class TrackerCommandsTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Cli.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
    }

    @Test
    void keygenAndSignWriteAManifestThatVerifiesAndNeverOverwriteAKey() throws Exception {
        Path repo = Files.createDirectories(dir.resolve("repo/pool"));
        Files.write(repo.resolve("a.deb"), new byte[300_000]);
        Files.writeString(repo.getParent().resolve("Release"), "r\n");
        assertThat(run("keygen", dir.resolve("k").toString())).as(err.toString()).isZero();
        assertThat(run("keygen", dir.resolve("k").toString())).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("exists").doesNotContain("\tat ");
        // A folder for NAME (it was /tmp.key for /tmp/), or a NAME under a file: refused, nothing written.
        err.getBuffer().setLength(0);
        assertThat(run("keygen", repo.toString())).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains(repo + ": is a folder");
        assertThat(run("keygen", repo.resolve("a.deb").resolve("k").toString())).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains(repo.resolve("a.deb") + " is a file, not a folder");
        assertThat(repo.resolveSibling("pool.key")).doesNotExist();
        assertThat(run("sign", "--key", dir.resolve("k.key").toString(), "--repo", dir.resolve("repo").toString(),
                "--piece-size", "64KiB", "--expires", "1h", "--state", dir.resolve("state").toString()))
                .as(err.toString()).isZero();
        assertThat(dir.resolve("state/hashes.tsv")).exists();
        try (var files = Files.list(dir.resolve("repo"))) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactlyInAnyOrder("pool", "Release",
                    "repo.manifest"); // nothing of the signer's own in the repository
        }
        byte[] signed = Files.readAllBytes(dir.resolve("repo/repo.manifest"));
        RepoManifest m = RepoManifest.verify(signed, Keys.readPublic(dir.resolve("k.pub")), "m");
        assertThat(m.entries()).extracting(RepoManifest.Entry::name).containsExactly("Release", "pool/a.deb");
        assertThat(m.entry("pool/a.deb").pieces()).hasSize(5);
        assertThat(m.expires()).isAfter(m.published());
    }

    @Test
    void badInputIsOneLineAndExitCodeTwo() throws Exception {
        Files.createDirectories(dir.resolve("repo"));
        Path yaml = dir.resolve("mirrors.yaml");
        Files.writeString(yaml, "ranking: weighted\nmirrors:\n  - {id: a, url: \"gopher://x/\"}\n");
        assertThat(run("tracker", "--repo", dir.resolve("repo").toString(), "--mirrors", yaml.toString(), "--port", "0"))
                .isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).startsWith("mirrorswarm: " + yaml + ":3:").doesNotContain("\tat ");
        err.getBuffer().setLength(0);
        assertThat(run("tracker", "--repo", dir.resolve("nope").toString(), "--mirrors", yaml.toString()))
                .isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("not a folder");
        err.getBuffer().setLength(0);
        Files.writeString(dir.resolve("not-a-key"), "hello\n");
        assertThat(run("sign", "--key", dir.resolve("not-a-key").toString(), "--repo", dir.resolve("repo").toString(),
                "--state", dir.resolve("state").toString()))
                .isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("PEM").doesNotContain("\tat ");
        err.getBuffer().setLength(0);
        assertThat(run("sign", "--key", dir.resolve("no.key").toString(), "--repo", dir.resolve("repo").toString(),
                "--state", dir.resolve("state").toString())).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString().strip()).isEqualTo("mirrorswarm: --key " + dir.resolve("no.key") + ": no such file");
        err.getBuffer().setLength(0);
        assertThat(run("fetch", "--manifest", dir.resolve("repo/repo.manifest").toString())).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("--public-key");
        err.getBuffer().setLength(0);
        assertThat(run("fetch", "--manifest", dir.resolve("repo/repo.manifest").toString(), "--public-key",
                dir.resolve("no.pub").toString())).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString().strip()).isEqualTo("mirrorswarm: --public-key " + dir.resolve("no.pub") + ": no such file");
        Path good = dir.resolve("good.yaml");
        Files.writeString(good, "mirrors:\n  - {id: a, url: \"http://127.0.0.1:1/\"}\n");
        for (String[] bad : new String[][] {{"--access-log-max", "lots"}, {"--access-log-keep", "0"}}) {
            err.getBuffer().setLength(0);
            assertThat(run("tracker", "--repo", dir.resolve("repo").toString(), "--mirrors", good.toString(), "--port", "0",
                    "--state", dir.resolve("st").toString(), bad[0], bad[1])).isEqualTo(ExitCodes.USAGE);
            assertThat(err.toString()).startsWith("mirrorswarm: " + bad[0]).doesNotContain("\tat ");
        }
        // The state and the access log (every client's address) inside the repository would be published with it,
        // also when reached through a link.
        Path repo = dir.resolve("repo").toRealPath();
        java.nio.file.Files.createSymbolicLink(dir.resolve("link"), repo);
        for (String[] inside : new String[][] {{"--state", repo.resolve("st").toString()},
                {"--state", dir.resolve("link/deeper/st").toString()}, {"--access-log", repo.resolve("a.log").toString()}}) {
            err.getBuffer().setLength(0);
            String[] args = inside[0].equals("--state") ? new String[] {inside[0], inside[1]}
                    : new String[] {"--state", dir.resolve("st").toString(), inside[0], inside[1]};
            java.util.List<String> all = new java.util.ArrayList<>(java.util.List.of("tracker", "--repo", repo.toString(),
                    "--mirrors", good.toString(), "--port", "0"));
            all.addAll(java.util.List.of(args));
            assertThat(run(all.toArray(String[]::new))).isEqualTo(ExitCodes.USAGE);
            assertThat(err.toString().strip()).isEqualTo("mirrorswarm: " + inside[0] + " " + inside[1] + ": inside the "
                    + "repository " + repo + ", whose files are published; choose a " + (inside[0].equals("--state")
                    ? "folder" : "file") + " outside it");
        }
        try (java.util.stream.Stream<Path> left = Files.list(repo)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void theHiddenWarmUpRunsTheCommonPathsAndIsNotListed() {
        assertThat(run("warm-up")).as(err.toString()).isZero();
        out.getBuffer().setLength(0);
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("tracker", "keygen", "sign").doesNotContain("warm-up");
    }

    @Test
    void heartbeatSignsAndTheTrackerListsTheMirrorAgain() throws Exception {
        Path repo = Files.createDirectories(dir.resolve("hb-repo"));
        Path yaml = dir.resolve("hb.yaml");
        Files.writeString(dir.resolve("m1.token"), "a-token-of-twenty-chars\n");
        Files.writeString(yaml, "heartbeat: {interval: 1s, misses: 1}\nmirrors:\n"
                + "  - {id: m1, url: \"http://127.0.0.1:1/\", token-file: m1.token}\n");
        var config = org.mirrorswarm.tracker.TrackerConfig.load(yaml);
        try (var server = new org.mirrorswarm.tracker.TrackerServer(new org.mirrorswarm.tracker.TrackerServer.Options(
                repo, dir.resolve("hb-state"), config, "127.0.0.1", 0, null, java.time.Duration.ofHours(1),
                org.mirrorswarm.tracker.TrackerServer.Limits.defaults(), "test", false), java.time.Clock.systemUTC())) {
            server.start();
            String url = "http://127.0.0.1:" + server.port() + "/";
            assertThat(run("heartbeat", "--tracker", url, "--id", "m1", "--token-file", dir.resolve("m1.token").toString(),
                    "--load", "40MB")).as(err.toString()).isZero();
            var state = server.board().byId("m1");
            assertThat(state.listed()).isTrue();
            assertThat(server.board().json()).contains("\"load\": 41943040").contains("listed: heartbeat");
            Files.writeString(dir.resolve("wrong.token"), "not-the-right-token-at-all\n");
            assertThat(run("heartbeat", "--tracker", url, "--id", "m1", "--token-file", dir.resolve("wrong.token").toString()))
                    .isEqualTo(ExitCodes.FAILED);
            assertThat(err.toString()).contains("HTTP 401").doesNotContain("\tat ");
        }
        // A token the tracker would never accept, and a tracker that is not there: one line each, with the why.
        Files.writeString(dir.resolve("short.token"), "short\n");
        err.getBuffer().setLength(0);
        assertThat(run("heartbeat", "--tracker", "http://127.0.0.1:9/", "--id", "m1", "--token-file",
                dir.resolve("short.token").toString())).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("short.token: a token of at least 16 characters, got 5");
        err.getBuffer().setLength(0);
        assertThat(run("heartbeat", "--tracker", "http://127.0.0.1:9/", "--id", "m1", "--token-file",
                dir.resolve("m1.token").toString())).isEqualTo(ExitCodes.FAILED);
        assertThat(err.toString().strip()).isEqualTo("mirrorswarm: http://127.0.0.1:9/mirrors/m1/heartbeat: connection refused");
    }

    /**
     * heartbeat goes through the environment's proxy as fetch does (a mirror behind an organisation's proxy), with
     * the proxy's credentials once it asks for them (407), and its own signature untouched. The tracker's host
     * does not resolve here: only the proxy can reach it.
     */
    @Test
    void heartbeatGoesThroughTheEnvironmentsProxy() throws Exception {
        Files.writeString(dir.resolve("m1.token"), "a-token-of-twenty-chars\n");
        java.util.List<String> seen = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        try (java.net.ServerSocket proxy = new java.net.ServerSocket(0, 8, java.net.InetAddress.getLoopbackAddress())) {
            Thread t = new Thread(() -> {
                while (!proxy.isClosed()) {
                    try (java.net.Socket s = proxy.accept()) {
                        var in = new java.io.BufferedInputStream(s.getInputStream());
                        var o = s.getOutputStream();
                        while (true) { // keep-alive: the retry with credentials may come on the same connection
                            StringBuilder head = new StringBuilder();
                            int c = 0;
                            while (!head.toString().endsWith("\r\n\r\n") && (c = in.read()) >= 0) {
                                head.append((char) c);
                            }
                            if (c < 0) {
                                break;
                            }
                            String h = head.toString();
                            java.util.regex.Matcher len = java.util.regex.Pattern.compile("(?i)content-length: (\\d+)").matcher(h);
                            in.readNBytes(len.find() ? Integer.parseInt(len.group(1)) : 0);
                            seen.add(h);
                            boolean authorised = h.toLowerCase(java.util.Locale.ROOT).contains("proxy-authorization: basic "
                                    + java.util.Base64.getEncoder().encodeToString("u:s3cret".getBytes()).toLowerCase(java.util.Locale.ROOT));
                            o.write((authorised ? "HTTP/1.1 204 No Content\r\n\r\n"
                                    : "HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"p\"\r\n"
                                    + "Content-Length: 0\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                            o.flush();
                        }
                    } catch (IOException e) {
                        // closed
                    }
                }
            });
            t.setDaemon(true);
            t.start();
            picocli.CommandLine cl = Cli.commandLine(new PrintWriter(out, true), new PrintWriter(err, true));
            ((HeartbeatCommand) cl.getSubcommands().get("heartbeat").getCommand()).env = java.util.Map.of("http_proxy",
                    "http://u:s3cret@127.0.0.1:" + proxy.getLocalPort());
            assertThat(cl.execute("heartbeat", "--tracker", "http://tracker.invalid/", "--id", "m1", "--token-file",
                    dir.resolve("m1.token").toString())).as(err.toString()).isZero();
        }
        assertThat(seen).hasSize(2);
        assertThat(seen.get(0)).startsWith("POST http://tracker.invalid/mirrors/m1/heartbeat HTTP/1.1\r\n")
                .contains("Authorization: HMAC-SHA256 ").doesNotContainIgnoringCase("proxy-authorization");
        assertThat(seen.get(1)).startsWith("POST http://tracker.invalid/mirrors/m1/heartbeat HTTP/1.1\r\n")
                .containsIgnoringCase("proxy-authorization: basic ");
        assertThat(out.toString() + err.toString()).doesNotContain("s3cret");
    }
}
