package org.mirrorswarm.live.metalink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.mirrorswarm.strategies.HashAlgorithm;

/**
 * Real Metalink files written by MirrorBrain, MirrorManager (via librepo's tests) and aria2's tests, read
 * from {@code ../shared/interop/metalink/} when that folder exists beside the repository (CI has it);
 * skipped with a message when it does not. The files are not copied into the project.
 */
class InteropTest {
    static Path folder() {
        String prop = System.getProperty("mirrorswarm.interop");
        if (prop != null) {
            return Path.of(prop);
        }
        Path p = Path.of("").toAbsolutePath();
        while (p != null) {
            Path candidate = p.resolve("shared/interop/metalink");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
            p = p.getParent();
        }
        return null;
    }

    static Metalink read(String name) throws IOException, MetalinkException {
        Path f = folder().resolve(name);
        return MetalinkReader.parse(Files.readAllBytes(f), name, null);
    }

    static void requireFolder() {
        assumeTrue(folder() != null, "../shared/interop/metalink not found: interop tests skipped");
    }

    @Test
    void everyFileParsesOrFailsWithAClearErrorNeverACrash() throws IOException {
        requireFolder();
        List<Path> files;
        try (Stream<Path> s = Files.list(folder())) {
            files = s.sorted().toList();
        }
        assertThat(files).hasSizeGreaterThanOrEqualTo(15);
        for (Path f : files) {
            try {
                Metalink m = MetalinkReader.parse(Files.readAllBytes(f), f.getFileName().toString(), null);
                assertThat(m.files()).isNotEmpty();
            } catch (MetalinkException e) {
                assertThat(e.getMessage()).startsWith(f.getFileName().toString()).doesNotContain("Exception");
            }
        }
    }

    @Test
    void mirrorBrain() throws Exception {
        requireFolder();
        Metalink m = read("mirrorbrain-2.18.1-ccc.meta4");
        MetalinkFile f = m.files().get(0);
        assertThat(f.name()).isEqualTo("31c3-6264-de-en-Wir_beteiligen_uns_aktiv_an_den_Diskussionen_hd.mp4");
        assertThat(f.size()).isEqualTo(577815354L);
        assertThat(f.strongestHash().hex()).isEqualTo("e9b8d1ddb90c2a6ea3a4ca4ddb4c04f85f8f23a88de94f9b5b5648f449ee418a");
        assertThat(f.pieces().type()).isEqualTo(HashAlgorithm.SHA_1);
        assertThat(f.pieces().length()).isEqualTo(20971520);
        assertThat(f.pieces().hashes()).hasSize(28);
        assertThat(f.urls()).hasSize(12);
        assertThat(f.urls().get(0).priority()).isEqualTo(1);
        assertThat(f.urls()).isSortedAccordingTo(java.util.Comparator.comparingInt(MetalinkUrl::priority));
        assertThat(m.origin()).startsWith("http://cdn.media.ccc.de/");
    }

    @Test
    void mirrorManagerV3() throws Exception {
        requireFolder();
        Metalink m = read("librepo-metalink_good_01.xml");
        MetalinkFile f = m.files().get(0);
        assertThat(f.name()).isEqualTo("repomd.xml");
        assertThat(f.size()).isEqualTo(4309);
        assertThat(f.strongestHash().algorithm()).isEqualTo(HashAlgorithm.SHA_512);
        assertThat(f.urls()).allSatisfy(u -> assertThat(u.url()).startsWith("http"));
        assertThat(f.urls().get(0).url()).isEqualTo("http://mirror.pnl.gov/fedora/linux/releases/17/Everything/x86_64/os/repodata/repomd.xml");
        // One note for the 57 URLs of other schemes, not a line each.
        assertThat(m.notes()).filteredOn(n -> n.contains("HTTP and HTTPS only"))
                .containsExactly("repomd.xml: 57 URLs skipped (34 ftp, 23 rsync): HTTP and HTTPS only");
        Metalink alt = read("librepo-metalink_with_alternates.xml");
        assertThat(alt.files().get(0).strongestHash().hex())
                .startsWith("c076ce639b0cbac02dc24dc3e32b04fbb834ffd7de6154a23cf1b61951e3b7af"); // not an alternate's
    }

    @Test
    void aria2Files() throws Exception {
        requireFolder();
        Metalink m4 = read("aria2-metalink4.xml");
        MetalinkFile f = m4.files().get(0);
        assertThat(f.size()).isEqualTo(786430);
        assertThat(f.pieces().type()).isEqualTo(HashAlgorithm.SHA_256);
        assertThat(f.pieces().hashes()).hasSize(3);
        assertThat(f.hashes()).containsKey(HashAlgorithm.SHA_1).doesNotContainKey(HashAlgorithm.MD5); // 31-digit md5
        assertThat(f.urls()).extracting(MetalinkUrl::url).containsExactly("http://example.com/example.ext");
        assertThat(m4.notes()).anySatisfy(n -> assertThat(n).contains("md5 hash skipped"));

        Metalink two = read("aria2-2files.metalink");
        assertThat(two.files()).extracting(MetalinkFile::name).containsExactly("aria2-5.0.0.tar.bz2", "aria2-5.0.0.deb");
        Metalink group = read("aria2-metalink4-groupbymetaurl.xml");
        assertThat(group.files()).extracting(MetalinkFile::size).containsExactly(1000L, 2000L, 3000L);
        Metalink test = read("aria2-test.xml");
        assertThat(test.files().get(1).pieces().hashes()).hasSize(2);
        assertThat(test.files().get(1).size()).isEqualTo(345689);
    }

    @Test
    void traversalNamesAreRefused() {
        requireFolder();
        assertThatThrownBy(() -> read("aria2-metalink4-dosdirtraversal.xml")).isInstanceOf(MetalinkException.class)
                .hasMessageContaining("refusing file name").hasMessageContaining("backslash");
        assertThatThrownBy(() -> read("aria2-metalink3-dirtraversal.xml")).isInstanceOf(MetalinkException.class)
                .hasMessageContaining("'..' path segment");
    }

    @Test
    void badOnesGiveClearErrors() {
        requireFolder();
        assertThatThrownBy(() -> read("librepo-metalink_bad_01.xml")).hasMessageContaining("size: not a byte count");
        assertThatThrownBy(() -> read("librepo-metalink_really_bad_02.xml")).hasMessageContaining("XML");
        assertThatThrownBy(() -> read("librepo-metalink_really_bad_03.xml")).hasMessageContaining("no file");
    }
}
