package org.mirrorswarm.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mirrorswarm.live.FetchOptions;
import org.mirrorswarm.live.FileFeed;
import org.mirrorswarm.live.GeneralClient;
import org.mirrorswarm.live.LiveDownload;
import org.mirrorswarm.live.LiveFile;
import org.mirrorswarm.live.Sources;
import org.mirrorswarm.live.metalink.Metalink;
import org.mirrorswarm.live.metalink.MetalinkException;
import org.mirrorswarm.live.metalink.MetalinkReader;

/**
 * A Metalink read ahead is planned exactly as the command plans one it reads itself, and refused with the
 * same words, the document's own errors first.
 */
class MetalinkPrefetchTest {
    @TempDir
    Path tmp;

    private static final String HASH = "a".repeat(64);
    private static final FetchOptions OPTIONS = FetchOptions.defaults()
            .withTimeouts(Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(1));
    private final GeneralClient client = GeneralClient.later(OPTIONS, null);

    private Path write(String name, String files) throws Exception {
        Path m = tmp.resolve(name);
        Files.writeString(m, "<metalink xmlns=\"urn:ietf:params:xml:ns:metalink\">" + files + "</metalink>");
        return m;
    }

    private static String file(String name, String size, String extra) {
        return "<file name=\"" + name + "\">" + (size == null ? "" : "<size>" + size + "</size>")
                + "<hash type=\"sha-256\">" + HASH + "</hash>" + extra
                + "<url>http://127.0.0.11:9/" + name + "</url><url>ftp://x/" + name + "</url>"
                + "<url>http://127.0.0.12:9/" + name + "</url></file>";
    }

    private FileFeed ahead(Path m, FetchOptions o, List<String> notes, AtomicReference<Metalink> accepted) {
        MetalinkPrefetch.start(new String[] {"fetch", m.toString(), "-d", "x"});
        return MetalinkPrefetch.feed(m.toString(), o, client, notes, doc -> {
            accepted.set(doc);
            return null;
        });
    }

    /** What the command says when it reads and plans {@code m} itself, without the head start. */
    private String direct(Path m) {
        try {
            Sources.fromMetalink(MetalinkReader.parse(Files.readAllBytes(m), m.toString(), null), OPTIONS, client,
                    new ArrayList<>());
            return null;
        } catch (IOException | MetalinkException e) {
            return e.getMessage();
        }
    }

    /** The feed run on a thread of its own, its files and then "end:" and its refusal put in {@code got}. */
    private static Thread drain(FileFeed feed, BlockingQueue<Object> got) {
        Thread t = new Thread(() -> FileFeed.run(feed, new FileFeed.Sink() {
            @Override
            public void file(LiveFile f) {
                got.add(f);
            }

            @Override
            public void end(String refusal) {
                got.add("end:" + refusal);
            }
        }));
        t.setDaemon(true);
        t.start();
        return t;
    }

    private Path fifty() throws Exception {
        StringBuilder files = new StringBuilder();
        for (int i = 0; i < 50; i++) {
            files.append(file("f" + i + ".deb", Integer.toString(100_000 * (i + 1)), ""));
        }
        return write("fifty.meta4", files.toString());
    }

    @Test
    void theParseWaitsAfterTheFirstWavesFilesUntilTheDownloadIsUnderway() throws Exception {
        long before = MetalinkPrefetch.holdMillis;
        MetalinkPrefetch.holdMillis = 60_000; // the download alone lets it go on here
        try {
            FileFeed feed = ahead(fifty(), OPTIONS, new ArrayList<>(), new AtomicReference<>());
            BlockingQueue<Object> got = new LinkedBlockingQueue<>();
            Thread t = drain(feed, got);
            for (int i = 0; i < MetalinkPrefetch.holdAfter(); i++) {
                assertThat(got.poll(20, TimeUnit.SECONDS)).as("file " + i).isInstanceOf(LiveFile.class);
            }
            assertThat(got.poll(500, TimeUnit.MILLISECONDS)).as("held after the first wave's files").isNull();
            feed.underway();
            for (int i = MetalinkPrefetch.holdAfter(); i < 50; i++) {
                assertThat(got.poll(20, TimeUnit.SECONDS)).as("file " + i).isInstanceOf(LiveFile.class);
            }
            assertThat(got.poll(20, TimeUnit.SECONDS)).isEqualTo("end:null");
            t.join(20_000);
        } finally {
            MetalinkPrefetch.holdMillis = before;
        }
    }

    @Test
    void aLargerConnectionBudgetThanTheFilesHeldToIsNotHeldBack() throws Exception {
        long before = MetalinkPrefetch.holdMillis;
        MetalinkPrefetch.holdMillis = 60_000;
        try {
            FetchOptions wide = OPTIONS.withScheduler(OPTIONS.scheduler().withConnections(MetalinkPrefetch.holdAfter() + 1, 1, 0));
            FileFeed feed = ahead(fifty(), wide, new ArrayList<>(), new AtomicReference<>());
            BlockingQueue<Object> got = new LinkedBlockingQueue<>();
            drain(feed, got);
            for (int i = 0; i < 50; i++) {
                assertThat(got.poll(20, TimeUnit.SECONDS)).as("file " + i).isInstanceOf(LiveFile.class);
            }
            assertThat(got.poll(20, TimeUnit.SECONDS)).isEqualTo("end:null");
        } finally {
            MetalinkPrefetch.holdMillis = before;
        }
    }

    @Test
    void plansWithTheCommandsOwnOptions() throws Exception {
        StringBuilder files = new StringBuilder();
        for (int i = 0; i < 50; i++) {
            files.append(file("f" + i + ".deb", Integer.toString(100_000 * (i + 1)), ""));
        }
        Path m = write("many.meta4", files.toString());
        FetchOptions o = OPTIONS.withPieceLength(256 << 10);
        List<String> notes = new ArrayList<>();
        AtomicReference<Metalink> accepted = new AtomicReference<>();
        List<LiveFile> planned = ahead(m, o, notes, accepted).readAll();
        List<String> directNotes = new ArrayList<>();
        List<LiveFile> direct = Sources.fromMetalink(MetalinkReader.parse(Files.readAllBytes(m), m.toString(), null), o,
                null, directNotes);
        assertThat(planned).isEqualTo(direct);
        assertThat(notes).isEqualTo(directNotes).isNotEmpty();
        assertThat(planned.get(49).plan().pieceLength()).isEqualTo(256 << 10);
        assertThat(accepted.get().files()).hasSize(50);
    }

    @Test
    void refusesInTheCommandsOwnWords() throws Exception {
        String onePiece = "<pieces length=\"1048576\" type=\"sha-256\"><hash>" + HASH + "</hash></pieces>";
        String twoHashes = onePiece.replace("</pieces>", "<hash>" + HASH + "</hash></pieces>");
        List<Path> bad = List.of(
                write("pieces.meta4", file("a.deb", "10", "") + file("b.deb", "10", twoHashes)),
                // no size, and no mirror to tell it (nothing listens on port 9)
                write("nosize.meta4", file("a.deb", "10", "") + file("b.deb", null, "")),
                // a later refusal undoes the files read before it
                write("bad.meta4", file("a.deb", "10", "") + file("../b.deb", "10", "")),
                write("dup.meta4", file("a.deb", "10", "") + file("a.deb", "10", "")),
                // a file that cannot be planned, then an error in the document: the document's is told
                write("both.meta4", file("a.deb", null, "") + file("../b.deb", "10", "")));
        for (Path m : bad) {
            String expected = direct(m);
            assertThat(expected).as(m.toString()).isNotNull();
            AtomicReference<Metalink> accepted = new AtomicReference<>();
            assertThatThrownBy(() -> ahead(m, OPTIONS, new ArrayList<>(), accepted).readAll())
                    .isInstanceOf(LiveDownload.Refused.class).hasMessage(expected);
            assertThat(accepted.get()).as(m.toString()).isNull();
        }
        assertThat(direct(tmp.resolve("both.meta4"))).contains("'../b.deb'");
        // not started for this file: nothing
        assertThat(MetalinkPrefetch.feed(tmp.resolve("other.meta4").toString(), OPTIONS, client, new ArrayList<>(),
                doc -> null)).isNull();
        // good one planned
        AtomicReference<Metalink> accepted = new AtomicReference<>();
        assertThat(ahead(write("good.meta4", file("a.deb", "10", onePiece.replace("1048576", "16"))), OPTIONS,
                new ArrayList<>(), accepted).readAll()).hasSize(1);
        assertThat(accepted.get()).isNotNull();
    }
}
