package org.mirrorswarm.live;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A head start's work runs on a daemon thread of its own, and whatever it throws goes nowhere. */
class HeadStartTest {
    @Test
    void whatAHeadStartThrowsErrorsIncludedReachesNoHandler() throws InterruptedException {
        List<Throwable> uncaught = new ArrayList<>();
        Thread.UncaughtExceptionHandler before = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> {
            synchronized (uncaught) {
                uncaught.add(e);
            }
        });
        try {
            List<Thread> ran = new ArrayList<>();
            CountDownLatch started = new CountDownLatch(3);
            for (Throwable thrown : new Throwable[] {new OutOfMemoryError("Java heap space (thrown by the test)"),
                    new NoClassDefFoundError("okhttp3/HttpUrl"), new IllegalStateException("a bug")}) {
                HeadStart.start("head-start-test", () -> {
                    synchronized (ran) {
                        ran.add(Thread.currentThread());
                    }
                    started.countDown();
                    if (thrown instanceof Error e) {
                        throw e;
                    }
                    throw (RuntimeException) thrown;
                });
            }
            assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
            synchronized (ran) {
                for (Thread t : ran) {
                    assertThat(t.isDaemon()).isTrue();
                    assertThat(t.getName()).isEqualTo("head-start-test");
                    t.join(10_000);
                    assertThat(t.isAlive()).isFalse();
                }
            }
            synchronized (uncaught) {
                assertThat(uncaught).isEmpty();
            }
        } finally {
            Thread.setDefaultUncaughtExceptionHandler(before);
        }
    }
}
