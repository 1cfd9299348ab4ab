package org.mirrorswarm.live.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mirrorswarm.strategies.Digest;
import org.mirrorswarm.strategies.FilePlan;
import org.mirrorswarm.strategies.HashAlgorithm;

class PartFileTest {
    static final int PIECE = 16 << 10;

    @TempDir
    Path dir;

    private static FilePlan plan(byte[] data) throws Exception {
        List<Digest> pieces = new ArrayList<>();
        for (int off = 0; off < data.length; off += PIECE) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(data, off, Math.min(PIECE, data.length - off));
            pieces.add(Digest.of(HashAlgorithm.SHA_256, md.digest()));
        }
        return new FilePlan("f.bin", data.length, PIECE, pieces,
                Digest.of(HashAlgorithm.SHA_256, MessageDigest.getInstance("SHA-256").digest(data)));
    }

    /** {@code pieces} whole pieces of random bytes drawn from {@code seed}. */
    private static byte[] random(int pieces, long seed) {
        byte[] data = new byte[pieces * PIECE];
        new java.util.Random(seed).nextBytes(data);
        return data;
    }

    private static byte[] piece(byte[] data, int p) {
        byte[] b = new byte[PIECE];
        System.arraycopy(data, p * PIECE, b, 0, Math.min(PIECE, data.length - p * PIECE));
        return b;
    }

    @Test
    void aFreshFileCreatesNothingUntilItsFirstPieceAndAFailedOneLeavesNothing() throws Exception {
        byte[] data = random(3, 1);
        Path target = dir.resolve("f.bin");
        PartFile never = PartFile.open(target, plan(data));
        assertThat(PartFile.partOf(target)).doesNotExist();
        assertThat(PartFile.journalOf(target)).doesNotExist();
        never.discard();
        assertThat(Files.list(dir)).isEmpty();

        PartFile f = PartFile.open(target, plan(data));
        assertThat(f.writePiece(1, piece(data, 1), PIECE, null, "m")).isTrue();
        assertThat(PartFile.partOf(target)).exists();
        assertThat(PartFile.journalOf(target)).as("before the first flush").doesNotExist();
        assertThat(f.flush()).isEqualTo(1);
        assertThat(Files.readString(PartFile.journalOf(target))).isEqualTo(PartFile.header(plan(data)) + "\np 1\n");
        f.close();
        // The journal tells the next run what to trust; a part file without one is trusted for nothing.
        PartFile again = PartFile.open(target, plan(data));
        assertThat(again.resumedPieces()).containsExactly(1);
        again.close();
    }

    @Test
    void aFileCommittedBeforeAnyFlushNeverHasAJournalAndAPartFileWithoutOneIsStartedOver() throws Exception {
        byte[] data = random(2, 3);
        Path target = dir.resolve("f.bin");
        PartFile f = PartFile.open(target, plan(data));
        f.writePiece(0, piece(data, 0), PIECE, null, "m");
        f.writePiece(1, piece(data, 1), PIECE, null, "m");
        assertThat(plan(data).fileHash().matches(f.wholeHash())).isTrue();
        f.commit();
        assertThat(Files.readAllBytes(target)).isEqualTo(data);
        try (var left = Files.list(dir)) {
            assertThat(left).containsExactly(target);
        }

        // A crash between a piece's write and the first flush: its bytes are in the part file, unjournaled.
        Path other = dir.resolve("g.bin");
        PartFile g = PartFile.open(other, plan(data));
        g.writePiece(0, piece(data, 0), PIECE, null, "m");
        g.close();
        assertThat(PartFile.partOf(other)).exists();
        PartFile resumed = PartFile.open(other, plan(data));
        assertThat(resumed.resumedPieces()).isEmpty();
        assertThat(PartFile.partOf(other)).as("not trusted, so not kept").doesNotExist();
        resumed.close();
    }

    @Test
    void aClaimedPieceIsWaitedForByTheWholeHashAndTheCommit() throws Exception {
        byte[] data = random(3, 2);
        Path target = dir.resolve("f.bin");
        PartFile f = PartFile.open(target, plan(data));
        f.writePiece(0, piece(data, 0), PIECE, null, "m");
        f.writePiece(1, piece(data, 1), PIECE, null, "m");
        assertThat(f.claim(2)).isTrue();
        assertThat(f.claim(2)).as("a second copy of a claimed piece").isFalse();
        CountDownLatch started = new CountDownLatch(1);
        AtomicBoolean committed = new AtomicBoolean();
        Thread committer = new Thread(() -> {
            try {
                started.countDown();
                assertThat(plan(data).fileHash().matches(f.wholeHash())).isTrue();
                f.commit();
                committed.set(true);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        committer.start();
        started.await();
        Thread.sleep(100);
        assertThat(committed).as("committed before its last piece was stored").isFalse();
        f.store(2, piece(data, 2), PIECE, null, "m");
        committer.join(TimeUnit.SECONDS.toMillis(10));
        assertThat(committed).isTrue();
        assertThat(Files.readAllBytes(target)).isEqualTo(data);
    }

    @Test
    void piecesStoredInOrderAreHashedFromMemorySoNothingIsReadBackAtTheEnd() throws Exception {
        byte[] data = random(4, 6);
        Path target = dir.resolve("f.bin");
        PartFile f = PartFile.open(target, plan(data));
        for (int p = 0; p < 4; p++) {
            f.writePiece(p, piece(data, p), PIECE, null, "m");
        }
        // Had the whole-file hash been left for the end, it would read these bytes back now.
        try (var ch = java.nio.channels.FileChannel.open(PartFile.partOf(target), java.nio.file.StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.allocate(data.length), 0);
        }
        assertThat(plan(data).fileHash().matches(f.wholeHash())).isTrue();
        f.close();
    }

    @Test
    void piecesStoredByManyThreadsInAnyOrderFeedTheWholeHashEachOnce() throws Exception {
        byte[] data = random(64, 8);
        FilePlan plan = plan(data);
        java.util.Random order = new java.util.Random(9);
        for (int round = 0; round < 20; round++) {
            Path target = dir.resolve("f" + round + ".bin");
            PartFile f = PartFile.open(target, plan);
            List<Integer> pieces = new ArrayList<>();
            for (int p = 0; p < 64; p++) {
                pieces.add(p);
            }
            java.util.Collections.shuffle(pieces, order);
            java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
            List<Throwable> failed = java.util.Collections.synchronizedList(new ArrayList<>());
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < 6; t++) {
                threads.add(new Thread(() -> {
                    try {
                        for (int i; (i = next.getAndIncrement()) < pieces.size(); ) {
                            f.writePiece(pieces.get(i), piece(data, pieces.get(i)), PIECE, null, "m");
                        }
                    } catch (Exception e) {
                        failed.add(e);
                    }
                }));
            }
            threads.forEach(Thread::start);
            for (Thread t : threads) {
                t.join();
            }
            assertThat(failed).isEmpty();
            assertThat(plan.fileHash().matches(f.wholeHash())).as("round %d", round).isTrue();
            f.commit();
            assertThat(Files.readAllBytes(target)).isEqualTo(data);
        }
    }

    @Test
    void aWriterThatIsInterruptedClosesNothingUnderTheOthersAndLosesNoPiece() throws Exception {
        // A FileChannel is closed for every thread when one using it is interrupted: a download stopping its
        // workers (Ctrl-C, the end of a fetch) would lose the journal of every piece since the last flush.
        byte[] data = random(4, 5);
        Path target = dir.resolve("f.bin");
        PartFile f = PartFile.open(target, plan(data));
        f.writePiece(0, piece(data, 0), PIECE, null, "m");
        AtomicBoolean stillInterrupted = new AtomicBoolean();
        List<Throwable> failed = new ArrayList<>();
        Thread worker = new Thread(() -> {
            Thread.currentThread().interrupt(); // stopped while it had a verified piece to write
            try {
                f.writePiece(1, piece(data, 1), PIECE, null, "m");
            } catch (Exception e) {
                failed.add(e);
            }
            stillInterrupted.set(Thread.currentThread().isInterrupted());
        });
        worker.start();
        worker.join();
        assertThat(failed).isEmpty();
        assertThat(stillInterrupted).as("the worker's interrupt is kept for it").isTrue();
        f.writePiece(2, piece(data, 2), PIECE, null, "m");
        assertThat(f.flush()).isEqualTo(3);
        f.writePiece(3, piece(data, 3), PIECE, null, "m");
        assertThat(plan(data).fileHash().matches(f.wholeHash())).isTrue();
        f.commit();
        assertThat(Files.readAllBytes(target)).isEqualTo(data);
    }

    /** {@code data}'s plan with its whole-file hash only: journaled pieces are then trusted without a recheck. */
    private static FilePlan wholeHashOnly(byte[] data) throws Exception {
        return new FilePlan("f.bin", data.length, PIECE, List.of(),
                Digest.of(HashAlgorithm.SHA_256, MessageDigest.getInstance("SHA-256").digest(data)));
    }

    @Test
    void onlyWholeWellFormedJournalLinesAreTrusted() throws Exception {
        byte[] data = random(13, 5);
        Path target = dir.resolve("f.bin");
        PartFile f = PartFile.open(target, wholeHashOnly(data));
        f.writePiece(12, piece(data, 12), PIECE, null, "m");
        f.flush();
        f.close();
        Path journal = PartFile.journalOf(target);
        // A write cut short ("p 1" of "p 3"), run into by a later one, then one torn by the crash itself.
        Files.writeString(journal, "p 1p 3\np 4\np 1", java.nio.file.StandardOpenOption.APPEND);
        PartFile again = PartFile.open(target, wholeHashOnly(data));
        assertThat(again.resumedPieces()).as("p 4 was whole; 'p 1p 3' and the last 'p 1' were not").containsExactly(12, 4);
        again.close();
    }

    @Test
    void piecesAFailedFlushCouldNotJournalAreJournaledByTheNext() throws Exception {
        byte[] data = random(3, 6);
        Path target = dir.resolve("f.bin");
        PartFile f = PartFile.open(target, plan(data));
        f.writePiece(0, piece(data, 0), PIECE, null, "m");
        f.writePiece(2, piece(data, 2), PIECE, null, "m");
        Path journal = PartFile.journalOf(target);
        Files.createDirectory(journal); // the journal cannot be written (as on a full disk)
        org.assertj.core.api.Assertions.assertThatThrownBy(f::flush).isInstanceOf(java.io.IOException.class);
        Files.delete(journal);
        assertThat(f.flush()).as("the same two pieces, again").isEqualTo(2);
        f.close();
        PartFile again = PartFile.open(target, plan(data));
        assertThat(again.resumedPieces()).containsExactlyInAnyOrder(0, 2);
        again.close();
    }

    /**
     * A large piece is written in slices: the JDK copies a heap buffer into a direct one of the size written, and
     * keeps it for the thread, so whole 16 MiB pieces on 16 transfer threads would hold 256 MiB of direct memory.
     */
    @Test
    void aLargePieceIsWrittenThroughAtMostASliceOfDirectMemory() throws Exception {
        int size = 8 << 20;
        byte[] data = new byte[size];
        new java.util.Random(9).nextBytes(data);
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        Digest sha = Digest.of(HashAlgorithm.SHA_256, md.digest(data));
        FilePlan plan = new FilePlan("big.bin", size, size, List.of(sha), sha);
        PartFile f = PartFile.open(dir.resolve("big.bin"), plan);
        java.lang.management.BufferPoolMXBean direct = java.lang.management.ManagementFactory
                .getPlatformMXBeans(java.lang.management.BufferPoolMXBean.class).stream()
                .filter(b -> b.getName().equals("direct")).findFirst().orElseThrow();
        long[] grew = new long[1];
        Exception[] failed = new Exception[1];
        Thread t = new Thread(() -> { // a thread of its own: no direct buffer kept from before
            try {
                long before = direct.getMemoryUsed();
                assertThat(f.writePiece(0, data, size, null, "m")).isTrue();
                grew[0] = direct.getMemoryUsed() - before;
            } catch (Exception e) {
                failed[0] = e;
            }
        });
        t.start();
        t.join();
        assertThat(failed[0]).isNull();
        assertThat(grew[0]).as("direct memory taken by the write").isLessThanOrEqualTo(PartFile.WRITE_SLICE);
        assertThat(f.wholeHash()).isEqualTo(sha.bytes());
        f.close();
    }
}
