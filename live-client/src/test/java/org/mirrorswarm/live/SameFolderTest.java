package org.mirrorswarm.live;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mirrorswarm.live.Fixture.PIECE;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mirrorswarm.live.store.FolderLock;
import org.mirrorswarm.strategies.FilePlan;

/**
 * Two downloads into one folder: the second is refused before it touches anything (unlocked, it would start
 * the first one's part file over and fail the file with a verdict against the source), and the first goes on.
 */
class SameFolderTest {
    @TempDir
    Path dir;

    @Test
    void aSecondDownloadIntoTheSameFolderIsRefusedBeforeItChangesAnything() throws Exception {
        byte[] data = Fixture.content(16 * PIECE, 43);
        FilePlan plan = Fixture.plan("big.iso", data, PIECE, true);
        CountDownLatch firstPieces = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (TestMirror m = new TestMirror(data, "/big.iso");
             RawServer slow = new RawServer((line, h, out, socket) -> {
                 long[] q = RawServer.range(h);
                 out.write(RawServer.partialHead(q, data.length));
                 out.write(data, (int) q[0], PIECE); // one piece, then silence until released
                 out.flush();
                 firstPieces.countDown();
                 try {
                     release.await(30, TimeUnit.SECONDS);
                 } catch (InterruptedException e) {
                     Thread.currentThread().interrupt();
                 }
                 socket.close();
             })) {
            LiveDownload first = new LiveDownload(List.of(Fixture.file(plan, slow.url("/big.iso"))), dir,
                    Fixture.options(), FetchListener.NONE, null);
            AtomicReference<FetchReport> firstReport = new AtomicReference<>();
            Thread t = new Thread(() -> {
                try {
                    firstReport.set(first.run());
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            t.start();
            assertThat(firstPieces.await(20, TimeUnit.SECONDS)).isTrue();
            Thread.sleep(200); // its piece written to big.iso.part
            byte[] partBefore = Files.readAllBytes(dir.resolve("big.iso.part"));

            LiveDownload second = new LiveDownload(List.of(Fixture.file(plan, m.url())), dir, Fixture.options(),
                    FetchListener.NONE, null);
            assertThatThrownBy(second::run).isInstanceOf(FolderLock.Busy.class)
                    .hasMessageContaining("another mirrorswarm fetch is downloading into this folder");
            assertThat(m.bytesAsked()).isZero();
            assertThat(Files.readAllBytes(dir.resolve("big.iso.part"))).isEqualTo(partBefore);

            first.interrupt("interrupted");
            t.join(10_000);
            release.countDown();
            assertThat(firstReport.get().files().get(0).detail()).isEqualTo("interrupted");
            assertThat(dir.resolve(FolderLock.NAME)).as("let go of on the way out").doesNotExist();

            // Now free: the same download completes from the other mirror, resuming the first one's piece.
            FetchReport r = Fixture.run(dir, Fixture.options(), Fixture.file(plan, m.url()));
            assertThat(r.ok()).isTrue();
            assertThat(r.files().get(0).resumedBytes()).isEqualTo(PIECE);
            assertThat(Files.readAllBytes(dir.resolve("big.iso"))).isEqualTo(data);
            assertThat(dir.resolve(FolderLock.NAME)).doesNotExist();
        }
    }
}
