package org.mirrorswarm.tracker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The tracker's periodic tasks (rescan, heartbeat check, crawl) outlive a run that throws: a scheduled executor
 * would stop repeating a task at its first exception, without a word.
 */
class KeepGoingTest {
    @Test
    void aPeriodicTaskThatThrowsRunsAgain() throws InterruptedException {
        ScheduledExecutorService pool = Executors.newSingleThreadScheduledExecutor();
        try {
            for (RuntimeException thrownFirst : new RuntimeException[] {null, new IllegalStateException("a bug")}) {
                AtomicInteger runs = new AtomicInteger();
                CountDownLatch third = new CountDownLatch(3);
                Runnable task = () -> {
                    third.countDown();
                    int n = runs.incrementAndGet();
                    if (n == 1 && thrownFirst != null) {
                        throw thrownFirst;
                    }
                    if (n == 1) {
                        throw new OutOfMemoryError("thrown by the test");
                    }
                    if (n == 2) {
                        throw new IllegalArgumentException("again");
                    }
                };
                var f = pool.scheduleWithFixedDelay(TrackerServer.keepGoing("test task", task), 0, 10,
                        TimeUnit.MILLISECONDS);
                assertThat(third.await(10, TimeUnit.SECONDS)).as("runs: %s", runs).isTrue();
                f.cancel(false);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
