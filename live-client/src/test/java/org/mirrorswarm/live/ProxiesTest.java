package org.mirrorswarm.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import mockwebserver3.MockResponse;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mirrorswarm.strategies.FilePlan;

/** The environment's proxies (http_proxy, https_proxy, all_proxy, no_proxy) and a fetch through one. */
class ProxiesTest {
    @TempDir
    Path dir;

    private static Proxy proxy(String host, int port) {
        return new Proxy(Proxy.Type.HTTP, InetSocketAddress.createUnresolved(host, port));
    }

    @Test
    void eachSchemeItsVariableAllProxyForTheRestAndNoProxyByHostAndDomain() {
        Proxies p = Proxies.fromEnvironment(Map.of("http_proxy", "http://cache:3128", "ALL_PROXY", "gate:8080",
                "no_proxy", "localhost, .internal.example,*.lan,10.0.0.7"));
        assertThat(p.select(URI.create("http://deb.debian.org/x"))).containsExactly(proxy("cache", 3128));
        assertThat(p.select(URI.create("https://deb.debian.org/x"))).containsExactly(proxy("gate", 8080));
        for (String direct : new String[] {"http://localhost/x", "http://internal.example/x", "https://m.internal.example/x",
                "http://a.b.lan/x", "http://10.0.0.7/x"}) {
            assertThat(p.select(URI.create(direct))).as(direct).containsExactly(Proxy.NO_PROXY);
        }
        assertThat(p.select(URI.create("http://notinternal.example/x"))).containsExactly(proxy("cache", 3128));
        for (String loopback : new String[] {"http://127.0.0.11:8080/x", "https://localhost/x", "http://[::1]:80/x",
                "http://a.localhost/x"}) {
            assertThat(p.select(URI.create(loopback))).as(loopback).containsExactly(Proxy.NO_PROXY);
        }
        assertThat(p.select(URI.create("http://127.example/x"))).containsExactly(proxy("cache", 3128));
        assertThat(p.select(URI.create("http://10.0.0.70/x"))).containsExactly(proxy("cache", 3128));
        assertThat(Proxies.fromEnvironment(Map.of("https_proxy", "http://p:1", "no_proxy", "*"))
                .select(URI.create("https://x/"))).containsExactly(Proxy.NO_PROXY);
    }

    /** CIDR blocks in no_proxy, as curl reads them since 7.86: addresses in them go direct, names are not looked up. */
    @Test
    void noProxyTakesCidrBlocksForAddresses() {
        Proxies p = Proxies.fromEnvironment(Map.of("http_proxy", "http://cache:3128", "no_proxy",
                "10.0.0.0/8, 192.168.1.128/25,fd00::/8,[2001:db8::]/32, 172.16.0.0/99, bad/8, 1.2.3.4/x"));
        for (String direct : new String[] {"http://10.1.2.3/x", "http://10.255.255.255/x", "http://192.168.1.200/x",
                "http://[fd12:3456::1]/x", "http://[2001:db8:1::5]:8080/x"}) {
            assertThat(p.select(URI.create(direct))).as(direct).containsExactly(Proxy.NO_PROXY);
        }
        for (String proxied : new String[] {"http://11.0.0.1/x", "http://192.168.1.127/x", "http://[fe80::1]/x",
                "http://[2001:db9::1]/x", "http://10.example/x", "http://172.16.0.1/x", "http://1.2.3.4/x"}) {
            assertThat(p.select(URI.create(proxied))).as(proxied).containsExactly(proxy("cache", 3128));
        }
    }

    /**
     * A no_proxy entry with a port matches that port only (the scheme's own when the URL names none), as Go and
     * Python read it.
     */
    @Test
    void noProxyEntriesWithAPortMatchThatPortOnly() {
        Proxies p = Proxies.fromEnvironment(Map.of("http_proxy", "http://cache:3128", "https_proxy", "http://cache:3128",
                "no_proxy", "mirror.lan:8080, .corp.example:443, 10.0.0.7:80, [fd00::1]:8080, [2001:db8::]/32, fe80::1"));
        for (String direct : new String[] {"http://mirror.lan:8080/x", "https://a.corp.example/x",
                "https://a.corp.example:443/x", "http://10.0.0.7/x", "http://[fd00::1]:8080/x", "http://[2001:db8::9]:81/x",
                "http://[fe80::1]:8080/x"}) {
            assertThat(p.select(URI.create(direct))).as(direct).containsExactly(Proxy.NO_PROXY);
        }
        for (String proxied : new String[] {"http://mirror.lan/x", "http://mirror.lan:8081/x", "http://a.corp.example/x",
                "http://10.0.0.7:8080/x", "http://[fd00::1]/x", "https://mirror.lan:8443/x"}) {
            assertThat(p.select(URI.create(proxied))).as(proxied).containsExactly(proxy("cache", 3128));
        }
    }

    @Test
    void lowerCaseWinsCapitalHttpProxyIsNotReadAndThePortDefaultsTo1080() {
        assertThat(Proxies.fromEnvironment(Map.of("HTTP_PROXY", "http://evil:1"))).isNull(); // httpoxy
        assertThat(Proxies.fromEnvironment(Map.of())).isNull();
        assertThat(Proxies.fromEnvironment(Map.of("https_proxy", " ", "http_proxy", ""))).isNull();
        Proxies p = Proxies.fromEnvironment(Map.of("https_proxy", "http://a:2", "HTTPS_PROXY", "http://b:3",
                "http_proxy", "http://[::1]"));
        assertThat(p.select(URI.create("https://x/"))).containsExactly(proxy("a", 2));
        assertThat(p.select(URI.create("http://x/"))).containsExactly(proxy("::1", 1080));
        assertThat(p.select(URI.create("ftp://x/"))).containsExactly(Proxy.NO_PROXY);
    }

    @Test
    void aProxyThisClientCannotUseIsAnErrorNamingTheVariableWithoutItsCredentials() {
        assertThatThrownBy(() -> Proxies.fromEnvironment(Map.of("https_proxy", "socks5://me:secret@p:1080")))
                .hasMessage("https_proxy: a socks5:// proxy is not supported (http:// only)");
        assertThatThrownBy(() -> Proxies.fromEnvironment(Map.of("all_proxy", "http://me:secret@:99999")))
                .hasMessageStartingWith("all_proxy: not a proxy URL: ").hasMessageNotContaining("secret");
    }

    @Test
    void aFetchGoesThroughTheProxyWithItsCredentialsAndThisMachinesMirrorsGoAround() throws IOException {
        byte[] data = Fixture.content(3 * Fixture.PIECE + 5, 9);
        FilePlan plan = Fixture.plan("a.deb", data, Fixture.PIECE, true);
        try (TestMirror proxy = new TestMirror(data, "/pool/a.deb"); TestMirror direct = new TestMirror(data, "/pool/a.deb")) {
            // the proxy asks for its credentials, then answers for a host that does not resolve
            proxy.behave((r, n) -> "Basic bWU6c2VjcmV0".equals(r.getHeaders().get("Proxy-Authorization"))
                    ? proxy.serve(r) : new MockResponse.Builder().code(407)
                    .addHeader("Proxy-Authenticate", "Basic realm=\"cache\"").build());
            HttpUrl unresolvable = HttpUrl.get("http://mirror.invalid/pool/a.deb");
            for (boolean pipelining : new boolean[] {true, false}) {
                Path out = Files.createDirectories(dir.resolve("out-" + pipelining));
                FetchOptions o = Fixture.options().withPipelining(pipelining).withProxies(Proxies.fromEnvironment(Map.of(
                        "http_proxy", "http://me:secret@" + proxy.url().host() + ":" + proxy.url().port())));
                // a.deb only from the unresolvable host (through the proxy), b.deb only from a loopback mirror
                // (direct whatever no_proxy says: no_proxy's rules are the first test's)
                FetchReport r = Fixture.run(out, o, Fixture.file(plan, unresolvable),
                        Fixture.file(Fixture.plan("b.deb", data, Fixture.PIECE, true), direct.url()));
                assertThat(r.ok()).as("%s", r).isTrue();
                assertThat(Files.readAllBytes(out.resolve("a.deb"))).isEqualTo(data);
                assertThat(Files.readAllBytes(out.resolve("b.deb"))).isEqualTo(data);
                assertThat(r.toString()).doesNotContain("secret");
            }
            assertThat(proxy.requests).anySatisfy(q -> assertThat(q.getUrl().host()).isEqualTo("mirror.invalid"));
            assertThat(proxy.requests).allSatisfy(q -> assertThat(q.getUrl().host()).isEqualTo("mirror.invalid"));
            assertThat(direct.requests).isNotEmpty()
                    .allSatisfy(q -> assertThat(q.getHeaders().get("Proxy-Authorization")).isNull());
        }
    }
}
