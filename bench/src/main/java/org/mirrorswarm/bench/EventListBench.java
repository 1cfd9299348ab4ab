package org.mirrorswarm.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.mirrorswarm.engine.sim.HeapEventList;
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
import umontreal.ssj.simevents.Event;
import umontreal.ssj.simevents.Simulator;
import umontreal.ssj.simevents.eventlist.EventList;
import umontreal.ssj.simevents.eventlist.SplayTree;

/**
 * The classic hold model (initial times and increments exponential of mean 1): with {@code pending}
 * events in the list, each operation removes the first and
 * schedules it again an exponential time later. Compares the engine's {@link HeapEventList} with SSJ's
 * default {@link SplayTree}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class EventListBench {
    @Param({"1000", "100000", "1000000"})
    public int pending;

    @Param({"heap", "splay"})
    public String list;

    private EventList events;
    private double[] increments;
    private int next;

    /** An event that never runs: the benchmark only moves it through the list, as a simulator would. */
    static final class Idle extends Event {
        Idle(Simulator sim, double time) {
            super(sim);
            eventTime = time;
        }

        /** Moves the event's time on, as rescheduling it after it ran would. */
        void later(double dt) {
            eventTime += dt;
        }

        @Override
        public void actions() {
        }
    }

    @Setup(Level.Trial)
    public void fill() {
        events = list.equals("heap") ? new HeapEventList() : new SplayTree();
        Simulator sim = new Simulator(events);
        SplittableRandom r = new SplittableRandom(1);
        increments = new double[1 << 20];
        for (int i = 0; i < increments.length; i++) {
            increments[i] = -Math.log1p(-r.nextDouble());
        }
        for (int i = 0; i < pending; i++) {
            events.add(new Idle(sim, increments[i % increments.length]));
        }
    }

    @Benchmark
    public Event hold() {
        Idle e = (Idle) events.removeFirst();
        e.later(increments[next++ & (increments.length - 1)]);
        events.add(e);
        return e;
    }
}
