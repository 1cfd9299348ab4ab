package org.mirrorswarm.strategies;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import org.junit.jupiter.api.Test;

class DigestTest {
    @Test
    void hexRoundTripsAndMatchesTheJdk() throws Exception {
        String empty = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
        Digest d = Digest.ofHex(HashAlgorithm.SHA_256, empty.toUpperCase());
        assertThat(d.hex()).isEqualTo(empty);
        assertThat(d.matches(MessageDigest.getInstance("SHA-256").digest(new byte[0]))).isTrue();
        assertThat(d.matches(MessageDigest.getInstance("SHA-256").digest("x".getBytes(StandardCharsets.UTF_8)))).isFalse();
        assertThat(d.matches(null)).isFalse();
        assertThat(d).isEqualTo(Digest.ofHex(HashAlgorithm.SHA_256, empty)).hasSameHashCodeAs(Digest.ofHex(HashAlgorithm.SHA_256, empty));
        assertThat(d.toString()).isEqualTo("sha-256:" + empty);
    }

    @Test
    void rejectsWrongLengthsAndNonHex() {
        // aria2's test Metalink has a 31-digit "md5".
        assertThatThrownBy(() -> Digest.ofHex(HashAlgorithm.MD5, "0123456789abcdef0123456789abcde"))
                .hasMessageContaining("32 hex digits").hasMessageContaining("31");
        assertThatThrownBy(() -> Digest.ofHex(HashAlgorithm.MD5, "zz23456789abcdef0123456789abcdef"))
                .hasMessageContaining("not a hexadecimal");
        assertThatThrownBy(() -> Digest.of(HashAlgorithm.SHA_1, new byte[3])).hasMessageContaining("20 bytes");
    }

    @Test
    void algorithmsByMetalinkNameAndStrength() {
        assertThat(HashAlgorithm.byName("SHA-256")).contains(HashAlgorithm.SHA_256);
        assertThat(HashAlgorithm.byName("sha256")).contains(HashAlgorithm.SHA_256);
        assertThat(HashAlgorithm.byName("md5")).contains(HashAlgorithm.MD5);
        assertThat(HashAlgorithm.byName("crc32")).isEmpty();
        assertThat(HashAlgorithm.byName(null)).isEmpty();
        assertThat(HashAlgorithm.SHA_256).isGreaterThan(HashAlgorithm.SHA_1);
        assertThat(HashAlgorithm.SHA_1).isGreaterThan(HashAlgorithm.MD5);
    }
}
