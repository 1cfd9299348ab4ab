package org.mirrorswarm.live;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import okhttp3.HttpUrl;
import org.junit.jupiter.api.Test;
import org.mirrorswarm.strategies.Mirror;

/**
 * The cached-origin parse gives exactly what OkHttp's own parse gives, on awkward URLs too; so does a source
 * whose URL is put together only when asked for, and its origin names the same mirror as the whole URL.
 */
class HttpUrlsTest {
    private static final String[] SCHEMES = {"http://", "https://", "HTTP://", "hTTpS://", "ftp://", "http:/",
            "http:\\\\", "http:", "https:///", "http://\\", ""};
    private static final String[] USERS = {"", "user@", "user:pa%20ss@", "a@b@", "us er@", ":@", "%zz@"};
    private static final String[] HOSTS = {"127.0.0.11", "mirror.example.org", "MIRROR.Example.ORG", "[::1]",
            "[2001:db8::1]", "xn--bcher-kva.example", "bücher.example", "a..b", "", "-bad-.example", "1.2.3",
            "999.1.1.1", "0x7f.1", "host_name", "exa mple.org", "[::1", "%41.example"};
    private static final String[] PORTS = {"", ":8080", ":80", ":443", ":0", ":65536", ":", ":abc", ":08080"};
    private static final String[] REST = {"", "/", "/pool/main/p/pkg_1.0.deb", "/a/../b/./c", "/%2e%2E/x",
            "\\win\\path", "?q=1", "#frag", "/p?q=a b#f g", "/x y", "/ü", "//double", "/a%zzb", "/a?b?c#d#e",
            "/\tx", " ", "/trailing ", "/%00", "/a;b=c", "/\\x", "\\/x", "\\\\x", "/a//b"};

    @Test
    void sameUrlAsOkHttpOnTwentyThousandAwkwardOnes() {
        Random rnd = new Random(2004);
        for (int i = 0; i < 20_000; i++) {
            String u = pick(rnd, SCHEMES) + pick(rnd, USERS) + pick(rnd, HOSTS) + pick(rnd, PORTS) + pick(rnd, REST);
            if (rnd.nextInt(10) == 0) {
                u = " " + u;
            }
            assertSame(u);
        }
    }

    @Test
    void sameUrlForEveryCombinationOnOneHost() {
        for (String scheme : SCHEMES) {
            for (String rest : REST) {
                for (String port : PORTS) {
                    assertSame(scheme + "127.0.0.11" + port + rest);
                }
            }
        }
    }

    @Test
    void onlyPlainHttpUrlsTakeTheCache() {
        assertThat(HttpUrls.authorityEnd("http://127.0.0.11:8080/pkg-1.deb")).isEqualTo(22);
        assertThat(HttpUrls.authorityEnd("http://h//x")).isEqualTo(-1);
        assertThat(HttpUrls.authorityEnd("http://h/\\x")).isEqualTo(-1);
        assertThat(HttpUrls.authorityEnd("HTTPS://h?x")).isEqualTo(9);
        assertThat(HttpUrls.authorityEnd("http://h")).isEqualTo(8);
        assertThat(HttpUrls.authorityEnd("http:///h")).isEqualTo(-1);
        assertThat(HttpUrls.authorityEnd("http://bücher.example/")).isEqualTo(-1);
        assertThat(HttpUrls.authorityEnd(" http://h/")).isEqualTo(-1);
        assertThat(HttpUrls.authorityEnd("ftp://h/")).isEqualTo(-1);
    }

    private static void assertSame(String u) {
        HttpUrl expected = HttpUrl.parse(u);
        HttpUrl actual = HttpUrls.parse(u);
        assertThat(actual == null ? null : actual.toString()).as(u)
                .isEqualTo(expected == null ? null : expected.toString());
        HttpUrls.Split split = HttpUrls.split(u);
        if (split != null) {
            assertThat(expected).as(u).isNotNull();
            assertThat(LiveFile.mirrorId(split.origin())).as(u).isEqualTo(LiveFile.mirrorId(expected));
            LiveFile.Source later = LiveFile.Source.later(Mirror.of(LiveFile.mirrorId(expected)), split.origin(),
                    split.rest());
            assertThat(later.url().toString()).as(u).isEqualTo(expected.toString());
        }
    }

    private static String pick(Random rnd, String[] from) {
        return from[rnd.nextInt(from.length)];
    }
}
