package org.mirrorswarm.live.metalink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.mirrorswarm.strategies.Digest;
import org.mirrorswarm.strategies.HashAlgorithm;

/** Metalink v4 and v3 parsing: what is kept, what is skipped with a note, what is refused. */
class MetalinkReaderTest {
    static Metalink parse(String xml) throws MetalinkException {
        return MetalinkReader.parse(xml.getBytes(StandardCharsets.UTF_8), "test.meta4", null);
    }

    static final String SHA256 = "a".repeat(64);

    /**
     * The document's encoding: the byte-order mark's, else the declaration's, else UTF-8. Bytes that are not in
     * it (a binary file given as a Metalink) are one error, and nothing is printed: the JDK's parser, left to
     * decode, printed "[Fatal Error] :-1:-1: Invalid byte 1 of 1-byte UTF-8 sequence." on standard error too.
     */
    @Test
    void encodingsAreReadAndBytesOutsideThemAreOneQuietError() throws Exception {
        String doc = """
                <?xml version="1.0" encoding="ISO-8859-1"?>
                <metalink xmlns="urn:ietf:params:xml:ns:metalink"><file name="café.deb"><size>3</size>
                <url>http://a.example/café.deb</url></file></metalink>""";
        assertThat(MetalinkReader.parse(doc.getBytes(StandardCharsets.ISO_8859_1), "latin.meta4", null).files().get(0)
                .name()).isEqualTo("café.deb");
        // U+FFFD itself (the replacement character) is text like any other.
        String withReplacement = doc.replace("ISO-8859-1", "UTF-8").replace("<size>", "<!-- \uFFFD --><size>");
        assertThat(MetalinkReader.parse(withReplacement.getBytes(StandardCharsets.UTF_8), "fffd.meta4", null).files())
                .hasSize(1);
        String utf16 = doc.replace("ISO-8859-1", "UTF-16");
        byte[] withBom = ("\uFEFF" + utf16).getBytes(StandardCharsets.UTF_16LE);
        assertThat(MetalinkReader.parse(withBom, "utf16.meta4", null).files().get(0).name()).isEqualTo("café.deb");
        assertThatThrownBy(() -> MetalinkReader.parse(doc.replace("ISO-8859-1", "no-such-charset")
                .getBytes(StandardCharsets.UTF_8), "odd.meta4", null)).hasMessage("odd.meta4: encoding 'no-such-charset' unknown");

        java.io.PrintStream err = System.err;
        java.io.ByteArrayOutputStream printed = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            byte[] binary = {(byte) 0x89, 'P', 'N', 'G', (byte) 0xc3, 0x28, 0, 7}; // no byte-order mark: read as UTF-8
            assertThatThrownBy(() -> MetalinkReader.parse(binary, "photo.jpg", null))
                    .hasMessage("photo.jpg: not a Metalink (not UTF-8 text)");
        } finally {
            System.setErr(err);
        }
        assertThat(printed.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void v4FilesWithPiecesHashesAndUrlsInPriorityOrder() throws MetalinkException {
        Metalink m = parse("""
                <?xml version="1.0" encoding="UTF-8"?>
                <metalink xmlns="urn:ietf:params:xml:ns:metalink">
                  <published>2026-11-01T10:00:00Z</published>
                  <updated>2026-11-02T10:00:00Z</updated>
                  <file name="dir/pkg.deb">
                    <size>300000</size>
                    <hash type="sha-1">%s</hash>
                    <hash type="sha-256">%s</hash>
                    <pieces length="262144" type="sha-1"><hash>%s</hash><hash>%s</hash></pieces>
                    <pieces length="262144" type="sha-256"><hash>%s</hash><hash>%s</hash></pieces>
                    <url priority="2" location="DE">http://b.example/pkg.deb</url>
                    <url priority="1">https://a.example/pkg.deb</url>
                    <url priority="1">ftp://ftp.example/pkg.deb</url>
                    <url>http://c.example/pkg.deb</url>
                  </file>
                </metalink>
                """.formatted("b".repeat(40), SHA256, "c".repeat(40), "d".repeat(40), "e".repeat(64), "f".repeat(64)));
        assertThat(m.version()).isEqualTo(4);
        assertThat(m.freshness()).isEqualTo(Instant.parse("2026-11-02T10:00:00Z"));
        MetalinkFile f = m.files().get(0);
        assertThat(f.name()).isEqualTo("dir/pkg.deb");
        assertThat(f.size()).isEqualTo(300000);
        assertThat(f.strongestHash()).isEqualTo(Digest.ofHex(HashAlgorithm.SHA_256, SHA256));
        assertThat(f.pieces().type()).isEqualTo(HashAlgorithm.SHA_256); // the strongest pieces win
        assertThat(f.pieces().hashes()).hasSize(2);
        assertThat(f.urls()).extracting(MetalinkUrl::url).containsExactly("https://a.example/pkg.deb",
                "http://b.example/pkg.deb", "http://c.example/pkg.deb");
        assertThat(f.urls().get(1).location()).isEqualTo("de");
        assertThat(m.notes()).anySatisfy(n -> assertThat(n).contains("ftp URL skipped"));
    }

    @Test
    void v3PreferenceHigherIsBetterAndMm0ExtensionsAreSkipped() throws MetalinkException {
        Metalink m = parse("""
                <?xml version="1.0" encoding="utf-8"?>
                <metalink version="3.0" xmlns="http://www.metalinker.org/" pubdate="Tue, 11 Sep 2012 07:36:51 GMT"
                          xmlns:mm0="http://fedorahosted.org/mirrormanager">
                  <files><file name="repomd.xml">
                    <mm0:timestamp>1337942396</mm0:timestamp>
                    <size>4309</size>
                    <verification><hash type="sha256">%s</hash></verification>
                    <mm0:alternates><mm0:alternate><size>1</size></mm0:alternate></mm0:alternates>
                    <resources maxconnections="1">
                      <url protocol="http" location="US" preference="90">http://low.example/repomd.xml</url>
                      <url protocol="http" location="US" preference="99">http://high.example/repomd.xml</url>
                      <url protocol="rsync" preference="100">rsync://r.example/repomd.xml</url>
                    </resources>
                  </file></files>
                </metalink>
                """.formatted(SHA256));
        assertThat(m.version()).isEqualTo(3);
        assertThat(m.published()).isEqualTo(Instant.parse("2012-09-11T07:36:51Z"));
        MetalinkFile f = m.files().get(0);
        assertThat(f.size()).isEqualTo(4309);
        assertThat(f.urls()).extracting(MetalinkUrl::url).containsExactly("http://high.example/repomd.xml",
                "http://low.example/repomd.xml");
        assertThat(f.urls().get(0).maxConnections()).isEqualTo(1);
        assertThat(f.hashes()).containsKey(HashAlgorithm.SHA_256);
    }

    @Test
    void unsafeNamesAreRefused() {
        for (String name : List.of("../etc/passwd", "/etc/passwd", "a/../../b", "..\\\\..\\\\x", "C:evil", "a//b", "./a",
                "x\u0001y", "CON", "a/NUL.txt")) {
            assertThatThrownBy(() -> parse("<metalink xmlns=\"urn:ietf:params:xml:ns:metalink\"><file name=\""
                    + name.replace("\u0001", "&#1;") + "\"><url>http://a/x</url></file></metalink>"))
                    .as(name).isInstanceOf(MetalinkException.class).hasMessageContaining("test.meta4:");
        }
        assertThat(SafeNames.problem("pool/main/a/apt/apt_2.6.1_amd64.deb")).isNull();
    }

    @Test
    void doctypesAndEntitiesAreRefusedSoNoFileIsEverRead() {
        String xxe = """
                <?xml version="1.0"?>
                <!DOCTYPE metalink [<!ENTITY x SYSTEM "file:///etc/passwd">]>
                <metalink xmlns="urn:ietf:params:xml:ns:metalink"><file name="a"><url>http://a/&x;</url></file></metalink>
                """;
        assertThatThrownBy(() -> parse(xxe)).isInstanceOf(MetalinkException.class).hasMessageContaining("DOCTYPE");
        String bomb = """
                <?xml version="1.0"?>
                <!DOCTYPE m [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>
                <metalink xmlns="urn:ietf:params:xml:ns:metalink"><file name="&b;"/></metalink>
                """;
        assertThatThrownBy(() -> parse(bomb)).isInstanceOf(MetalinkException.class);
    }

    @Test
    void malformedDocumentsNameTheLine() {
        assertThatThrownBy(() -> parse("<metalink xmlns=\"urn:ietf:params:xml:ns:metalink\">\n<file name=\"a\">\n<size>12x</size>"
                + "</file></metalink>")).hasMessageStartingWith("test.meta4:3:").hasMessageContaining("size");
        assertThatThrownBy(() -> parse("<metalink xmlns=\"urn:ietf:params:xml:ns:metalink\"><file name=\"a\">"))
                .hasMessageStartingWith("test.meta4:").hasMessageContaining("XML");
        assertThatThrownBy(() -> parse("<html/>")).hasMessageContaining("not a Metalink");
        assertThatThrownBy(() -> parse("<metalink xmlns=\"urn:ietf:params:xml:ns:metalink\"/>"))
                .hasMessageContaining("no file");
        assertThatThrownBy(() -> parse("""
                <metalink xmlns="urn:ietf:params:xml:ns:metalink"><file name="a"><size>600000</size>
                <pieces length="262144" type="sha-256"><hash>%s</hash></pieces></file></metalink>
                """.formatted(SHA256))).hasMessageContaining("3 pieces, but 1 piece hashes");
    }

    @Test
    void oversizedDocumentsAreAbortedAtTheCap() {
        byte[] big = new byte[MetalinkReader.MAX_BYTES + 1];
        assertThatThrownBy(() -> MetalinkReader.parse(big, "huge.meta4", null)).hasMessageContaining("larger than 16 MiB");
        assertThatThrownBy(() -> MetalinkReader.readCapped(new ByteArrayInputStream(big), "http://x/huge.meta4"))
                .hasMessageContaining("aborted");
    }

    @Test
    void relativeUrlsResolveAgainstTheDocumentsUrlOnly() throws MetalinkException {
        String doc = "<metalink xmlns=\"urn:ietf:params:xml:ns:metalink\"><file name=\"example.ext\"><url>example.ext"
                + "</url></file></metalink>";
        Metalink local = parse(doc);
        assertThat(local.files().get(0).urls()).isEmpty();
        assertThat(local.notes()).anySatisfy(n -> assertThat(n).contains("relative URL"));
        Metalink remote = MetalinkReader.parse(doc.getBytes(StandardCharsets.UTF_8), "remote",
                URI.create("http://mirror.example/pub/x.meta4"));
        assertThat(remote.files().get(0).urls().get(0).url()).isEqualTo("http://mirror.example/pub/example.ext");
    }

    @Test
    void writerOutputReadsBackTheSame() throws MetalinkException {
        MetalinkFile f = new MetalinkFile("a/b.iso", 5, Map.of(HashAlgorithm.SHA_256, Digest.ofHex(HashAlgorithm.SHA_256, SHA256)),
                new MetalinkFile.Pieces(HashAlgorithm.SHA_256, 4, List.of(Digest.ofHex(HashAlgorithm.SHA_256, SHA256),
                        Digest.ofHex(HashAlgorithm.SHA_256, "b".repeat(64)))),
                List.of(new MetalinkUrl("http://m1.example/a/b.iso?x=1&y=2", 1, "de", 0),
                        new MetalinkUrl("http://m2.example/a/b.iso", 2, "", 0)));
        Instant pub = Instant.parse("2026-11-26T00:00:00Z");
        String xml = MetalinkWriter.write(List.of(f), pub, pub.plusSeconds(3600), "test");
        Metalink back = parse(xml);
        assertThat(back.files()).containsExactly(f);
        assertThat(back.published()).isEqualTo(pub);
        assertThat(back.expires()).isEqualTo(pub.plusSeconds(3600));
    }

    @Test
    void quickDateReaderAgreesWithTheJdksOnEveryDateItReads() {
        // Dates as Metalinks write them must take the quick path, and give the JDK's instant.
        for (String d : List.of("2026-11-27T10:00:00Z", "2012-09-11T07:36:51Z", "2024-02-29T23:59:59.5Z",
                "1999-12-31T23:59:59.123456789+05:30", "2026-01-01T00:00:00-08:00", "0001-01-01T00:00:00Z",
                "2026-06-30T12:00:00-00:00", "2026-06-30T12:00:00+17:59")) {
            assertThat(MetalinkReader.plainRfc3339(d)).as(d).isEqualTo(OffsetDateTime.parse(d).toInstant());
        }
        // What it does not read is left to the JDK's parser (which reads or refuses it as before).
        for (String d : List.of("2023-02-29T10:00:00Z", "2026-04-31T10:00:00Z", "2026-11-27t10:00:00z",
                "2026-11-27T24:00:00Z", "2026-11-27T23:59:60Z", "2026-11-27T10:00Z", "2026-11-27T10:00:00.Z",
                "2026-11-27T10:00:00.1234567890Z", "2026-11-27T10:00:00+18:00", "2026-11-27T10:00:00+0100",
                "2026-13-01T10:00:00Z", "2026-00-01T10:00:00Z", "+2026-11-27T10:00:00Z", "2026-11-27 10:00:00Z",
                "2026-11-27T10:00:00Z ", "2026-11-27T10:00:00")) {
            assertThat(MetalinkReader.plainRfc3339(d)).as(d).isNull();
        }
        // Random strings near the grammar: whenever the quick reader answers, the JDK agrees.
        Random random = new Random(3339);
        String alphabet = "0123456789-:T.Z+zt ";
        int quick = 0;
        for (int i = 0; i < 200_000; i++) {
            char[] c = String.format(Locale.ROOT, "%04d-%02d-%02dT%02d:%02d:%02d%s%s", random.nextInt(10_000),
                    random.nextInt(14), random.nextInt(33), random.nextInt(26), random.nextInt(61), random.nextInt(62),
                    random.nextBoolean() ? "" : "." + random.nextInt(1_000_000),
                    random.nextBoolean() ? "Z" : String.format(Locale.ROOT, "%c%02d:%02d", random.nextBoolean() ? '+' : '-',
                            random.nextInt(20), random.nextInt(61))).toCharArray();
            for (int k = random.nextInt(3); k > 0; k--) {
                c[random.nextInt(c.length)] = alphabet.charAt(random.nextInt(alphabet.length()));
            }
            String d = new String(c);
            Instant mine = MetalinkReader.plainRfc3339(d);
            Instant jdk;
            try {
                jdk = OffsetDateTime.parse(d).toInstant();
            } catch (DateTimeParseException e) {
                jdk = null;
            }
            if (mine != null) {
                quick++;
                assertThat(mine).as(d).isEqualTo(jdk);
            }
        }
        assertThat(quick).isGreaterThan(20_000);
    }
}
