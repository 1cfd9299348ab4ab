package org.mirrorswarm.live;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class BufferPoolTest {
    @Test
    void reusesBuffersAndStaysWithinItsBudget() throws Exception {
        BufferPool pool = new BufferPool(10);
        byte[] a = pool.take(4, () -> false);
        byte[] b = pool.take(4, () -> false);
        assertThat(pool.allocated()).isEqualTo(8);
        CountDownLatch asked = new CountDownLatch(1);
        AtomicReference<byte[]> got = new AtomicReference<>();
        Thread t = new Thread(() -> {
            asked.countDown();
            try {
                got.set(pool.take(4, () -> false)); // 12 > 10: waits for a buffer to come back
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        t.start();
        asked.await();
        Thread.sleep(200);
        assertThat(got.get()).isNull();
        pool.give(a);
        t.join(5000);
        assertThat(got.get()).isSameAs(a);
        assertThat(pool.allocated()).isEqualTo(8);
        pool.give(b);
        pool.give(got.get());
    }

    @Test
    void aPieceLargerThanTheBudgetIsGrantedAloneAndSmallerFreeBuffersMakeRoom() throws Exception {
        BufferPool pool = new BufferPool(10);
        byte[] small = pool.take(4, () -> false);
        pool.give(small);
        byte[] big = pool.take(16, () -> false); // nothing out: granted, the free 4 dropped to make room
        assertThat(big).hasSize(16);
        assertThat(pool.allocated()).isEqualTo(16);
        pool.give(big);
        assertThat(pool.take(8, () -> false)).isSameAs(big); // a larger free buffer serves a smaller piece
    }

    @Test
    void aWaitingTakeGivesUpWhenItsTransferIsStopped() throws Exception {
        BufferPool pool = new BufferPool(4);
        pool.take(4, () -> false);
        AtomicBoolean stopped = new AtomicBoolean();
        AtomicReference<Object> got = new AtomicReference<>("not yet");
        Thread t = new Thread(() -> {
            try {
                got.set(pool.take(4, stopped::get));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        t.start();
        Thread.sleep(100);
        stopped.set(true);
        t.join(5000);
        assertThat(got.get()).isNull();
    }

    @Test
    void aTransferAsksForItsFilesLargestPieceNotThePieceLength() {
        int mib = 1 << 20;
        assertThat(Transfer.bufferSize(Fixture.plan("tiny.deb", new byte[4096], mib, true))).isEqualTo(4096);
        assertThat(Transfer.bufferSize(Fixture.plan("two.deb", new byte[mib + 10], mib, true))).isEqualTo(mib);
        assertThat(Transfer.bufferSize(Fixture.plan("exact.deb", new byte[mib], mib, true))).isEqualTo(mib);
        assertThat(Transfer.bufferSize(Fixture.plan("empty", new byte[0], mib, false))).isEqualTo(1);
    }
}
