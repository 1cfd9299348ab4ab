package org.mirrorswarm.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.mirrorswarm.engine.sim.Streams;
import org.mirrorswarm.strategies.Strategies;

/**
 * Replications of a scenario under several variants. Replication r of every variant uses substream r
 * of every random stream (common random numbers); each run has its own SSJ simulator and stream
 * copies, so runs go in parallel and the results do not depend on the number of threads.
 */
public final class Experiment {
    private final Scenario scenario;
    private final List<Variant> variants;
    private final int replications;

    public Experiment(Scenario scenario, List<Variant> variants, int replications) {
        this.scenario = Objects.requireNonNull(scenario, "scenario");
        this.variants = List.copyOf(variants);
        if (this.variants.isEmpty()) {
            throw new IllegalArgumentException("an experiment needs at least one variant");
        }
        if (replications < 1) {
            throw new IllegalArgumentException("replications must be >= 1, got " + replications);
        }
        this.replications = replications;
        Strategies registry = Strategies.load();
        for (Variant v : this.variants) {
            registry.validate(v.scheduler());
        }
    }

    /** Every run, ordered by replication then variant. */
    public List<RunResult> run(int threads) {
        return run(threads, r -> { });
    }

    /** Every run, ordered by replication then variant; {@code onEach} hears of each run as it ends. */
    public List<RunResult> run(int threads, Consumer<RunResult> onEach) {
        Streams templates = Streams.of(scenario.seed());
        Strategies registry = Strategies.load();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads), r -> {
            Thread t = new Thread(r, "mirrorswarm-run");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<RunResult>> futures = new ArrayList<>();
            for (int r = 0; r < replications; r++) {
                for (Variant v : variants) {
                    int rep = r;
                    futures.add(pool.submit(() -> {
                        RunResult result = Simulation.run(scenario, v, rep, templates, registry);
                        synchronized (onEach) {
                            onEach.accept(result);
                        }
                        return result;
                    }));
                }
            }
            List<RunResult> out = new ArrayList<>(futures.size());
            for (Future<RunResult> f : futures) {
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
            throw new IllegalStateException(cause);
        } finally {
            pool.shutdownNow();
        }
    }

    public Scenario scenario() {
        return scenario;
    }

    public List<Variant> variants() {
        return variants;
    }

    public int replications() {
        return replications;
    }
}
