package org.mirrorswarm.engine;

import org.mirrorswarm.engine.sim.Streams;
import org.mirrorswarm.strategies.Strategies;

/** Runs one simulation: a scenario, a variant, a replication. */
public final class Simulation {
    private Simulation() {
    }

    /** One run, with the strategies on the class path. */
    public static RunResult run(Scenario scenario, Variant variant, int replication) {
        return run(scenario, variant, replication, Streams.of(scenario.seed()), Strategies.load());
    }

    /** One run with given stream templates and registry (what {@link Experiment} shares between runs). */
    public static RunResult run(Scenario scenario, Variant variant, int replication, Streams templates,
                                Strategies registry) {
        return new Run(scenario, variant, replication, templates, registry).execute();
    }
}
