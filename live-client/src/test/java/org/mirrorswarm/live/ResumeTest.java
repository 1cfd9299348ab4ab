package org.mirrorswarm.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mirrorswarm.live.Fixture.PIECE;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mirrorswarm.strategies.FilePlan;

/**
 * Resume after a crash (fault 24): a fetch killed with SIGKILL halfway, then run again, re-downloads no
 * journaled piece, trusts no byte that is not journaled, and ends byte-identical.
 */
class ResumeTest {
    static final int SIZE = 64 * PIECE + 1000;
    static final long SEED = 99;

    @TempDir
    Path dir;

    private static BitSet journaled(Path journal) throws IOException {
        BitSet b = new BitSet();
        if (!Files.exists(journal)) {
            return b;
        }
        for (String l : Files.readAllLines(journal, StandardCharsets.ISO_8859_1)) {
            if (l.matches("p [0-9]+")) {
                b.set(Integer.parseInt(l.substring(2)));
            }
        }
        return b;
    }

    @Test
    void f24_killNineThenResumeRefetchesNoJournaledPieceAndEndsByteIdentical() throws Exception {
        byte[] data = Fixture.content(SIZE, SEED);
        // A mirror that serves ranges slowly (64 KiB every 40 ms), so the child is killed halfway.
        try (TestMirror slow = new TestMirror(data, "/big.iso");
             RawServer trickle = new RawServer((line, h, out, socket) -> {
                 long[] q = RawServer.range(h);
                 out.write(RawServer.partialHead(q, SIZE));
                 for (long off = q[0]; off <= q[1]; off += 64 << 10) {
                     out.write(data, (int) off, (int) Math.min(64 << 10, q[1] + 1 - off));
                     out.flush();
                     try {
                         Thread.sleep(40);
                     } catch (InterruptedException e) {
                         return;
                     }
                 }
             })) {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    ResumeChild.class.getName(), dir.toString(), trickle.url("/big.iso").toString(), Long.toString(SEED),
                    Integer.toString(SIZE)).redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile())
                    .start();
            Path journal = dir.resolve("big.iso.part.journal");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (journaled(journal).cardinality() < 12 && child.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(child.isAlive()).as("child still downloading (exit %s, files %s): %s",
                    child.isAlive() ? "-" : child.exitValue(), Files.list(dir).toList(),
                    Files.readString(dir.resolve("child.log"))).isTrue();
            child.destroyForcibly(); // SIGKILL: no shutdown hook, no flush
            child.waitFor(10, TimeUnit.SECONDS);
            BitSet before = journaled(journal);
            assertThat(before.cardinality()).isBetween(12, 64);
            assertThat(dir.resolve("big.iso")).doesNotExist();

            FilePlan plan = Fixture.plan("big.iso", data, PIECE, true);
            FetchReport r = Fixture.run(dir, Fixture.options(), Fixture.file(plan, slow.url()));
            assertThat(r.ok()).as("%s", r).isTrue();
            assertThat(Files.readAllBytes(dir.resolve("big.iso"))).isEqualTo(data);
            for (int p = before.nextSetBit(0); p >= 0; p = before.nextSetBit(p + 1)) {
                long from = (long) p * PIECE;
                assertThat(slow.asked(from, from + PIECE)).as("journaled piece %d fetched again", p).isFalse();
            }
            assertThat(r.files().get(0).resumedBytes()).isEqualTo((long) before.cardinality() * PIECE);
            assertThat(journal).doesNotExist();
        }
    }

    @Test
    void aDamagedJournaledPieceIsCheckedAgainAndFetchedAgain() throws Exception {
        byte[] data = Fixture.content(SIZE, SEED);
        FilePlan plan = Fixture.plan("big.iso", data, PIECE, true);
        try (TestMirror m = new TestMirror(data, "/big.iso")) {
            // A first run that dies with its mirror after some pieces.
            m.behave((r, n) -> n < 3 ? m.serve(r) : new MockResponse.Builder().code(404).build());
            FetchReport first = Fixture.run(dir, Fixture.options(), Fixture.file(plan, m.url()));
            assertThat(first.ok()).isFalse();
            BitSet done = journaled(dir.resolve("big.iso.part.journal"));
            assertThat(done.cardinality()).isPositive();
            int victim = done.nextSetBit(0);
            try (RandomAccessFile f = new RandomAccessFile(dir.resolve("big.iso.part").toFile(), "rw")) {
                f.seek((long) victim * PIECE + 17);
                f.write(f.read() ^ 0xff); // the disk lied about a journaled piece
            }
            m.ranges.clear();
            m.behave((r, n) -> m.serve(r));
            FetchReport second = Fixture.run(dir, Fixture.options(), Fixture.file(plan, m.url()));
            assertThat(second.ok()).isTrue();
            assertThat(Files.readAllBytes(dir.resolve("big.iso"))).isEqualTo(data);
            assertThat(m.asked((long) victim * PIECE, (long) victim * PIECE + PIECE)).isTrue();
            assertThat(second.files().get(0).resumedBytes()).isEqualTo((long) (done.cardinality() - 1) * PIECE);
        }
    }

    @Test
    void aJournalForAnotherVersionOfTheFileIsThrownAway() throws Exception {
        byte[] oldData = Fixture.content(SIZE, 1);
        byte[] newData = Fixture.content(SIZE, 2);
        try (TestMirror m = new TestMirror(oldData, "/big.iso")) {
            m.behave((r, n) -> n < 2 ? m.serve(r) : new MockResponse.Builder().code(503).build());
            Fixture.run(dir, Fixture.options().withScheduler(Fixture.options().scheduler().withBans(0.05, 0.1, 1, 1)),
                    Fixture.file(Fixture.plan("big.iso", oldData, PIECE, true), m.url()));
            assertThat(journaled(dir.resolve("big.iso.part.journal")).cardinality()).isPositive();
        }
        try (TestMirror m = new TestMirror(newData, "/big.iso")) {
            FetchReport r = Fixture.run(dir, Fixture.options(), Fixture.file(Fixture.plan("big.iso", newData, PIECE, true),
                    m.url()));
            assertThat(r.ok()).isTrue();
            assertThat(r.files().get(0).resumedBytes()).isZero();
            assertThat(Files.readAllBytes(dir.resolve("big.iso"))).isEqualTo(newData);
            assertThat(m.bytesAsked()).isEqualTo(SIZE);
        }
    }

    static List<String> lines(Path p) throws IOException {
        return Files.readAllLines(p);
    }
}
