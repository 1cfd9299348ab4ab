package org.mirrorswarm.engine;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Runs independent simulation runs on a pool of daemon threads and returns their results in task order,
 * whatever order they finish in — so results never depend on the thread count.
 */
public final class Parallel {
    private Parallel() {
    }

    /** How long a failed or interrupted {@link #run} waits for its other tasks to stop. */
    static final long STOP_WAIT_SECONDS = 10;

    /**
     * Runs every task on {@code threads} threads; {@code onEach} hears of each result as it ends, one call
     * at a time. The first task to fail, in the order they end, stops the rest: they are interrupted (a run
     * looks every few thousand events, see {@code HeapEventList}) and waited for, up to
     * {@link #STOP_WAIT_SECONDS}, and only then is its runtime exception or error rethrown as is (a checked
     * one wrapped), so that what the runs held is garbage when the caller handles it. A task's failure is
     * taken without allocating on the way (no future, no queue), since it is often an {@link OutOfMemoryError}
     * that the caller must be able to report.
     */
    public static <T> List<T> run(int threads, List<Callable<T>> tasks, Consumer<T> onEach) {
        int n = tasks.size();
        if (n == 0) {
            return List.of();
        }
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch over = new CountDownLatch(1); // all ended, or the first failed
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(threads, n)), r -> {
            Thread t = new Thread(r, "mirrorswarm-run");
            t.setDaemon(true);
            t.setUncaughtExceptionHandler((thread, e) -> fail(failure, over, e)); // the pool's own code failed
            return t;
        });
        Object[] results = new Object[n];
        AtomicInteger left = new AtomicInteger(n);
        Object lock = new Object();
        try {
            for (int i = 0; i < n; i++) {
                int k = i;
                Callable<T> task = tasks.get(i);
                pool.execute(() -> {
                    try {
                        T result = task.call();
                        results[k] = result;
                        synchronized (lock) {
                            onEach.accept(result);
                        }
                        if (left.decrementAndGet() == 0) {
                            over.countDown();
                        }
                    } catch (Throwable e) {
                        fail(failure, over, e);
                    }
                });
            }
            over.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } finally {
            pool.shutdownNow();
            awaitEnd(pool);
        }
        Throwable e = failure.get();
        if (e instanceof RuntimeException re) {
            throw re;
        }
        if (e instanceof Error err) {
            throw err;
        }
        if (e != null) {
            throw new IllegalStateException(e);
        }
        @SuppressWarnings("unchecked")
        List<T> out = (List<T>) Arrays.asList(results);
        return out;
    }

    private static void fail(AtomicReference<Throwable> failure, CountDownLatch over, Throwable e) {
        failure.compareAndSet(null, e);
        over.countDown();
    }

    /** Waits for the pool's threads to end, through interrupts (kept for the caller), up to a bound. */
    private static void awaitEnd(ExecutorService pool) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(STOP_WAIT_SECONDS);
        boolean interrupted = false;
        while (true) {
            try {
                long left = deadline - System.nanoTime();
                if (left <= 0 || pool.awaitTermination(left, TimeUnit.NANOSECONDS)) {
                    break;
                }
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
