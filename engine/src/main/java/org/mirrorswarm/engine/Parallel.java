package org.mirrorswarm.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * Runs independent simulation runs on a pool of daemon threads and returns their results in task order,
 * whatever order they finish in — so results never depend on the thread count.
 */
public final class Parallel {
    private Parallel() {
    }

    /**
     * Runs every task on {@code threads} threads; {@code onEach} hears of each result as it ends, one call
     * at a time. A task's runtime exception or error is rethrown as is, after the other tasks are stopped.
     */
    public static <T> List<T> run(int threads, List<Callable<T>> tasks, Consumer<T> onEach) {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads), r -> {
            Thread t = new Thread(r, "mirrorswarm-run");
            t.setDaemon(true);
            return t;
        });
        Object lock = new Object();
        try {
            List<Future<T>> futures = new ArrayList<>(tasks.size());
            for (Callable<T> task : tasks) {
                futures.add(pool.submit(() -> {
                    T result = task.call();
                    synchronized (lock) {
                        onEach.accept(result);
                    }
                    return result;
                }));
            }
            List<T> out = new ArrayList<>(futures.size());
            for (Future<T> f : futures) {
                out.add(f.get());
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        } finally {
            pool.shutdownNow();
        }
    }
}
