package org.mirrorswarm.live.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mirrorswarm.strategies.Digest;
import org.mirrorswarm.strategies.HashAlgorithm;

class RepoManifestTest {
    @TempDir
    Path dir;

    private static final Instant T0 = Instant.parse("2026-11-26T12:00:00Z");

    private static Digest h(int seed) {
        byte[] b = new byte[32];
        b[0] = (byte) seed;
        b[31] = (byte) (seed * 7);
        return Digest.of(HashAlgorithm.SHA_256, b);
    }

    private static RepoManifest manifest(Instant published) {
        return new RepoManifest(published, published.plusSeconds(7 * 86400), 1 << 20, List.of(
                new RepoManifest.Entry("pool/a b+c.deb", 3 << 20, h(1), List.of(h(2), h(3), h(4))),
                new RepoManifest.Entry("empty", 0, h(5), List.of()),
                new RepoManifest.Entry("Release", 10, h(6), List.of(h(7)))));
    }

    @Test
    void signsAndVerifiesRoundTrip() throws Exception {
        KeyPair k = Keys.generate();
        RepoManifest m = manifest(T0);
        RepoManifest back = RepoManifest.verify(m.signed(k.getPrivate()), k.getPublic(), "m");
        assertThat(back.body()).isEqualTo(m.body());
        assertThat(back.entry("pool/a b+c.deb").pieces()).hasSize(3);
        assertThat(back.entry("empty").size()).isZero();
        assertThat(back.expires()).isEqualTo(T0.plusSeconds(7 * 86400));
    }

    @Test
    void refusesATamperedManifestAWrongKeyAndAnUnsignedOne() throws Exception {
        KeyPair k = Keys.generate();
        byte[] signed = manifest(T0).signed(k.getPrivate());
        String text = new String(signed, StandardCharsets.UTF_8);
        byte[] tampered = text.replace("file 10 ", "file 11 ").getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> RepoManifest.verify(tampered, k.getPublic(), "m"))
                .isInstanceOf(ManifestException.class).hasMessageContaining("bad signature");
        assertThatThrownBy(() -> RepoManifest.verify(signed, Keys.generate().getPublic(), "m"))
                .hasMessageContaining("bad signature");
        byte[] unsigned = manifest(T0).body().getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> RepoManifest.verify(unsigned, k.getPublic(), "m")).hasMessageContaining("not signed");
        byte[] garbage = (text.substring(0, text.lastIndexOf("signature")) + "signature ed25519 !!!\n")
                .getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> RepoManifest.verify(garbage, k.getPublic(), "m")).hasMessageContaining("base64");
    }

    @Test
    void refusesExpiredAndRolledBackManifests() throws Exception {
        KeyPair k = Keys.generate();
        String fp = Keys.fingerprint(k.getPublic());
        RepoManifest newer = manifest(T0);
        ManifestGuard.check(newer, fp, "m", dir, T0.plusSeconds(60));
        ManifestGuard.remember(newer, fp, dir);
        assertThatThrownBy(() -> ManifestGuard.check(newer, fp, "m", dir, T0.plusSeconds(8 * 86400)))
                .hasMessageContaining("expired");
        RepoManifest older = manifest(T0.minusSeconds(3600));
        assertThatThrownBy(() -> ManifestGuard.check(older, fp, "m", dir, T0.plusSeconds(60)))
                .hasMessageContaining("rollback");
        // Another key has its own history.
        ManifestGuard.check(older, Keys.fingerprint(Keys.generate().getPublic()), "m", dir, T0.plusSeconds(60));
        RepoManifest noExpiry = new RepoManifest(T0, null, 1 << 20, List.of());
        assertThatThrownBy(() -> ManifestGuard.check(noExpiry, fp, "m", dir, T0)).hasMessageContaining("no expiry");
    }

    @Test
    void malformedManifestsGiveTheLine() {
        assertThatThrownBy(() -> RepoManifest.parse("hello\n", "m")).hasMessageStartingWith("m:1:");
        assertThatThrownBy(() -> RepoManifest.parse(RepoManifest.MAGIC + "\npublished 2026-11-26T12:00:00Z\n"
                + "piece-length 1048576\nfile 10 " + h(1).hex() + " ../etc/passwd\n", "m"))
                .hasMessageStartingWith("m:4:").hasMessageContaining("'..'");
        assertThatThrownBy(() -> RepoManifest.parse(RepoManifest.MAGIC + "\npublished 2026-11-26T12:00:00Z\n"
                + "piece-length 1048576\nfile 10 " + h(1).hex() + " x\npieces " + h(2).hex() + " " + h(3).hex() + "\n", "m"))
                .hasMessageStartingWith("m:5:").hasMessageContaining("2 piece hashes for 1");
        assertThatThrownBy(() -> RepoManifest.parse(RepoManifest.MAGIC + "\npublished yesterday\n", "m"))
                .hasMessageStartingWith("m:2:");
    }

    @Test
    void keysRoundTripThroughPemFilesAndAreNeverOverwritten() throws Exception {
        KeyPair k = Keys.generate();
        Path key = dir.resolve("k.key");
        Path pub = dir.resolve("k.pub");
        Keys.write(k, key, pub);
        assertThat(Keys.readPublic(pub)).isEqualTo(k.getPublic());
        byte[] signed = manifest(T0).signed(Keys.readPrivate(key));
        RepoManifest.verify(signed, k.getPublic(), "m");
        assertThatThrownBy(() -> Keys.write(Keys.generate(), key, pub)).hasMessageContaining("exists");
        assertThatThrownBy(() -> Keys.readPublic(key)).isInstanceOf(ManifestException.class);
        if (Files.getFileStore(key).supportsFileAttributeView("posix")) {
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(key)))
                    .isEqualTo("rw-------");
        }
    }
}
