package org.mirrorswarm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code fetch} reads the environment's proxies: a mirror whose host does not resolve, reached through one. */
class FetchProxyTest {
    @TempDir
    Path tmp;

    private record Child(int code, String said) {
    }

    private Child fetch(Path meta, Path out, Map<String, String> env, String... jvm) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(ChildJvm.command(java.util.List.of(jvm), "fetch", meta.toString(), "-d",
                out.toString(), "--connect-timeout", "2s")).redirectErrorStream(true);
        for (String v : new String[] {"http_proxy", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY", "no_proxy",
                "NO_PROXY"}) {
            pb.environment().remove(v);
        }
        pb.environment().putAll(env);
        Process p = pb.start();
        String said = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Child(p.exitValue(), said);
    }

    @Test
    void aMirrorIsReachedThroughHttpProxyAndABadProxyValueIsOneLine() throws Exception {
        byte[] data = new byte[FetchSignalTest.PIECES * FetchSignalTest.PIECE];
        new SplittableRandom(13).nextBytes(data);
        Path www = Files.createDirectories(tmp.resolve("www"));
        Files.write(www.resolve("big.iso"), data);
        Path meta = tmp.resolve("big.meta4");
        StringWriter err = new StringWriter();
        assertThat(Cli.commandLine(new PrintWriter(new StringWriter()), new PrintWriter(err)).execute("metalink",
                www.resolve("big.iso").toString(), "--mirror", "http://mirror.invalid/", "--piece-size", "64KiB", "-o",
                meta.toString())).as(err.toString()).isZero();
        try (FetchSignalTest.Mirror proxy = new FetchSignalTest.Mirror(data)) { // answers any URL it is asked for
            proxy.release.countDown();
            String at = proxy.base().replace("/", "").replace("http:", "http://");
            Child c = fetch(meta, tmp.resolve("out"), Map.of("http_proxy", at));
            assertThat(c.code()).as(c.said()).isZero();
            assertThat(Files.readAllBytes(tmp.resolve("out").resolve("big.iso"))).isEqualTo(data);
            assertThat(proxy.asked).isNotEmpty();
            proxy.asked.clear();

            // (no_proxy is ProxiesTest's)
            // the JVM's own proxy settings win over the environment's
            Child jvm = fetch(meta, tmp.resolve("out3"), Map.of("http_proxy", "http://127.0.0.1:9"),
                    "-Dhttp.proxyHost=" + proxy.server.getInetAddress().getHostAddress(),
                    "-Dhttp.proxyPort=" + proxy.server.getLocalPort());
            assertThat(jvm.code()).as(jvm.said()).isZero();
            assertThat(proxy.asked).isNotEmpty();
        }
        Child bad = fetch(meta, tmp.resolve("out4"), Map.of("https_proxy", "socks5://u:secret@127.0.0.1:1080"));
        assertThat(bad.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(bad.said()).isEqualTo("mirrorswarm: https_proxy: a socks5:// proxy is not supported (http:// only)\n");
    }
}
