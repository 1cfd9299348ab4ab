package org.mirrorswarm.engine.scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.mirrorswarm.engine.Parallel;
import org.mirrorswarm.engine.RunResult;
import org.mirrorswarm.engine.Simulation;
import org.mirrorswarm.engine.Variant;
import org.mirrorswarm.engine.sim.Streams;
import org.mirrorswarm.strategies.Strategies;

/**
 * Runs every sweep point × strategy × replication of a {@link Study} on a pool of threads. Each run has
 * its own simulator and stream copies; replication r of every point and strategy uses substream r of the
 * scenario seed's streams (common random numbers), so the results do not depend on the thread count.
 */
public final class StudyRunner {
    /** Hears of progress; called from worker threads, one call at a time. */
    public interface Progress {
        void started(int totalRuns);

        void runDone(Outcome outcome, int done, int total);
    }

    /** One run's result with the sweep point it belongs to. */
    public record Outcome(Study.Point point, RunResult result) {
    }

    private StudyRunner() {
    }

    /** Every run, ordered by point, then replication, then strategy. */
    public static List<Outcome> run(Study study, int threads, Progress progress) {
        Strategies registry = Strategies.load();
        List<Callable<Outcome>> tasks = new ArrayList<>();
        for (Study.Point point : study.points()) {
            Streams templates = Streams.of(point.scenario().seed());
            for (int r = 0; r < study.replications(); r++) {
                for (Variant v : point.variants()) {
                    int rep = r;
                    tasks.add(() -> new Outcome(point, Simulation.run(point.scenario(), v, rep, templates, registry)));
                }
            }
        }
        int total = tasks.size();
        progress.started(total);
        int[] done = {0};
        return Parallel.run(threads, tasks, o -> progress.runDone(o, ++done[0], total));
    }
}
