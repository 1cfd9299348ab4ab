package org.mirrorswarm.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.mirrorswarm.strategies.Action;
import org.mirrorswarm.strategies.Event;
import org.mirrorswarm.strategies.Scheduler;
import org.mirrorswarm.strategies.SchedulerConfig;
import org.mirrorswarm.strategies.Strategies;
import org.mirrorswarm.strategies.TraceSink;
import org.mirrorswarm.strategies.testing.FakeMirror;
import org.mirrorswarm.strategies.testing.FakeNetwork;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost of the shared scheduler's decisions, per chunk strategy: a download is played once on the
 * deterministic test network to record its events, then every operation replays those events into a
 * fresh scheduler. Replays make the same decisions (the scheduler is deterministic), so the time is the
 * scheduler's alone — what the simulator pays per client event. The {@code events} counter is the
 * scheduler's event rate (events handled per second); 1e9 / rate is its cost in ns per event.
 *
 * <pre>java -jar bench/target/benchmarks.jar SchedulerBench -p workload=small-files</pre>
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class SchedulerBench {

    @Param({"single", "static-split", "round-robin", "work-queue", "aria2", "proportional", "adaptive"})
    public String chunk;

    /** {@code big-file}: 64 MiB in 1 MiB pieces from 8 mirrors; {@code small-files}: 20 package-sized files. */
    @Param({"big-file", "small-files"})
    public String workload;

    private SchedulerConfig config;
    private List<Event> events;
    private final Strategies registry = Strategies.load();

    /** Events handled, reported by JMH as a rate beside the operations. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Counters {
        public long events;
    }

    @Setup(Level.Trial)
    public void record() {
        config = SchedulerConfig.of(chunk).withConnections(16, 1, 0);
        List<FakeMirror> mirrors = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            mirrors.add(FakeMirror.honest("m" + i, (1 + i) * 512.0 * 1024, 0.01 + 0.01 * i));
        }
        FakeNetwork n = new FakeNetwork(config, mirrors, 1).traced();
        if (workload.equals("big-file")) {
            n.addFile("big", 64L << 20, 1 << 20);
        } else {
            // Sizes from a log-normal with the Debian median (59 KB) and a long tail, capped at 8 MiB.
            SplittableRandom r = new SplittableRandom(3);
            for (int i = 0; i < 20; i++) {
                double size = Math.exp(Math.log(59_164) + 1.8 * gaussian(r));
                n.addFile("pkg" + i, (long) Math.min(8 << 20, Math.max(1_000, size)), 256 << 10);
            }
        }
        FakeNetwork.Result result = n.run(1e7);
        if (!result.allCompleted()) {
            throw new IllegalStateException("recording did not complete: " + result.failures());
        }
        events = result.trace().events();
    }

    private static double gaussian(SplittableRandom r) {
        return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
    }

    @Benchmark
    public int replay(Counters counters) {
        Scheduler s = new Scheduler(config, registry, TraceSink.NONE);
        Sink sink = new Sink();
        for (Event e : events) {
            s.handle(e, sink);
        }
        counters.events += events.size();
        return sink.count;
    }

    /** Counts actions so the work cannot be optimised away. */
    private static final class Sink implements Consumer<Action> {
        int count;

        @Override
        public void accept(Action a) {
            count++;
        }
    }
}
