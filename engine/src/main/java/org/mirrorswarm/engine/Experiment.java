package org.mirrorswarm.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.Objects;
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
        List<Callable<RunResult>> tasks = new ArrayList<>();
        for (int r = 0; r < replications; r++) {
            for (Variant v : variants) {
                int rep = r;
                tasks.add(() -> Simulation.run(scenario, v, rep, templates, registry));
            }
        }
        return Parallel.run(threads, tasks, onEach);
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
