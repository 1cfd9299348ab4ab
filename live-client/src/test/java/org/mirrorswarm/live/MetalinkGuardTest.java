package org.mirrorswarm.live;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mirrorswarm.live.metalink.Metalink;
import org.mirrorswarm.live.metalink.MetalinkFile;

class MetalinkGuardTest {
    @TempDir
    Path dir;

    @Test
    void escapedKeysAndValuesReadBackExactly() throws Exception {
        char[] alphabet = {'a', 'Z', '0', '.', '/', ' ', '\t', '\n', '\r', '\f', '\\', '=', ':', '#', '!', 'é', '\u0001',
            '\u2028', 'u'};
        SplittableRandom random = new SplittableRandom(2004);
        for (int n = 0; n < 2000; n++) {
            String key = draw(random, alphabet, 1 + random.nextInt(12));
            String value = draw(random, alphabet, random.nextInt(12));
            Properties p = new Properties();
            p.load(new StringReader("# comment\n" + MetalinkGuard.escape(key, true) + "=" + MetalinkGuard.escape(value, false)
                    + "\n"));
            assertThat(p.stringPropertyNames()).as("key %s", key).containsExactly(key);
            assertThat(p.getProperty(key)).as("value of %s", key).isEqualTo(value);
        }
    }

    private static String draw(SplittableRandom random, char[] alphabet, int length) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < length; i++) {
            b.append(alphabet[random.nextInt(alphabet.length)]);
        }
        return b.toString();
    }

    @Test
    void namesWithSeparatorsAreRememberedUnderTheirOwnName() throws Exception {
        Instant t1 = Instant.parse("2026-11-01T00:00:00Z");
        Instant t2 = Instant.parse("2026-11-02T00:00:00Z");
        Instant now = Instant.parse("2026-11-10T00:00:00Z");
        MetalinkFile odd = new MetalinkFile("pool/a b=c:d#e!f.deb", 1, Map.of(), null, List.of());
        MetalinkFile plain = new MetalinkFile("pool/a", 1, Map.of(), null, List.of());
        MetalinkGuard.remember(new Metalink(4, List.of(odd), t2, null, null, null, List.of()), dir);
        assertThat(MetalinkGuard.check(new Metalink(4, List.of(odd), t1, null, null, null, List.of()), "o.meta4", dir, now))
                .contains("rollback");
        // "pool/a" is a prefix of the odd name up to its first space: it must not inherit its date
        assertThat(MetalinkGuard.check(new Metalink(4, List.of(plain), t1, null, null, null, List.of()), "p.meta4", dir, now))
                .isNull();
        assertThat(MetalinkGuard.loadProperties(dir.resolve(MetalinkGuard.STATE)).stringPropertyNames())
                .containsExactly("pool/a b=c:d#e!f.deb");
    }
}
