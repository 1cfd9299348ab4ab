package org.mirrorswarm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mirrorswarm.live.FetchOptions;
import org.mirrorswarm.live.LiveFile;
import org.mirrorswarm.live.Sources;
import org.mirrorswarm.live.metalink.MetalinkReader;

/** A Metalink read ahead is planned exactly as the command would plan it, or not used at all. */
class MetalinkPrefetchTest {
    @TempDir
    Path tmp;

    private static final String HASH = "a".repeat(64);

    private Path write(String name, String files) throws Exception {
        Path m = tmp.resolve(name);
        Files.writeString(m, "<metalink xmlns=\"urn:ietf:params:xml:ns:metalink\">" + files + "</metalink>");
        return m;
    }

    private static String file(String name, String size, String extra) {
        return "<file name=\"" + name + "\">" + (size == null ? "" : "<size>" + size + "</size>")
                + "<hash type=\"sha-256\">" + HASH + "</hash>" + extra
                + "<url>http://127.0.0.11:8080/" + name + "</url><url>ftp://x/" + name + "</url>"
                + "<url>http://127.0.0.12:8080/" + name + "</url></file>";
    }

    private static MetalinkPrefetch.Planned ahead(Path m, FetchOptions o) {
        MetalinkPrefetch.start(new String[] {"fetch", m.toString(), "-d", "x"});
        return MetalinkPrefetch.take(m.toString(), o);
    }

    @Test
    void plansWithTheCommandsOwnOptions() throws Exception {
        StringBuilder files = new StringBuilder();
        for (int i = 0; i < 50; i++) {
            files.append(file("f" + i + ".deb", Integer.toString(100_000 * (i + 1)), ""));
        }
        Path m = write("many.meta4", files.toString());
        FetchOptions o = FetchOptions.defaults().withPieceLength(256 << 10);
        MetalinkPrefetch.Planned p = ahead(m, o);
        assertThat(p).isNotNull();
        List<String> notes = new ArrayList<>();
        List<LiveFile> direct = Sources.fromMetalink(MetalinkReader.parse(Files.readAllBytes(m), m.toString(), null), o,
                null, notes);
        assertThat(p.files()).isEqualTo(direct);
        assertThat(p.notes()).isEqualTo(notes).isNotEmpty();
        assertThat(p.files().get(49).plan().pieceLength()).isEqualTo(256 << 10);
        assertThat(p.metalink().files()).hasSize(50);
    }

    @Test
    void anythingItCannotPlanAloneIsLeftToTheCommand() throws Exception {
        String onePiece = "<pieces length=\"1048576\" type=\"sha-256\"><hash>" + HASH + "</hash></pieces>";
        // two piece hashes for a one-piece file: the reader refuses it, and the command says so in its own words
        Path wrongPieces = write("pieces.meta4", file("a.deb", "10", "") + file("b.deb", "10",
                onePiece.replace("</pieces>", "<hash>" + HASH + "</hash></pieces>")));
        assertThat(ahead(wrongPieces, FetchOptions.defaults())).isNull();
        // no size: asked of the mirrors with the command's client
        assertThat(ahead(write("nosize.meta4", file("a.deb", "10", "") + file("b.deb", null, "")), FetchOptions.defaults()))
                .isNull();
        // a later refusal undoes the files read before it
        assertThat(ahead(write("bad.meta4", file("a.deb", "10", "") + file("../b.deb", "10", "")), FetchOptions.defaults()))
                .isNull();
        assertThat(ahead(write("dup.meta4", file("a.deb", "10", "") + file("a.deb", "10", "")), FetchOptions.defaults()))
                .isNull();
        // not started for this file: nothing
        assertThat(MetalinkPrefetch.take(tmp.resolve("other.meta4").toString(), FetchOptions.defaults())).isNull();
        // good one planned
        assertThat(ahead(write("good.meta4", file("a.deb", "10", onePiece.replace("1048576", "16"))), FetchOptions.defaults()))
                .isNotNull();
    }
}
