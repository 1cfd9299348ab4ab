package org.mirrorswarm.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.mirrorswarm.engine.net.BandwidthExact;
import org.mirrorswarm.engine.net.BandwidthFast;
import org.mirrorswarm.engine.net.BandwidthModel;
import org.mirrorswarm.engine.net.Flow;
import org.mirrorswarm.engine.net.FlowListener;
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
import umontreal.ssj.simevents.Simulator;

/**
 * Cost of one flow arrival plus one departure with {@code flows} flows already sharing the network:
 * 200 mirror uplinks, clients with four flows each to random mirrors and a downlink that binds (so that,
 * as in a flash crowd, the exact model's components span everything).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class BandwidthBench {
    @Param({"10", "1000", "100000"})
    public int flows;

    @Param({"exact", "fast"})
    public String model;

    private BandwidthModel net;
    private int[] uplinks;
    private int[] downlinks;
    private SplittableRandom random;
    private static final FlowListener NEVER = f -> { };

    @Setup(Level.Trial)
    public void fill() {
        Simulator sim = new Simulator(new HeapEventList());
        net = model.equals("exact") ? new BandwidthExact(sim) : new BandwidthFast(sim);
        random = new SplittableRandom(7);
        uplinks = new int[200];
        for (int i = 0; i < uplinks.length; i++) {
            uplinks[i] = net.addLink(1e7 + random.nextDouble() * 1e8);
        }
        downlinks = new int[Math.max(1, flows / 4)];
        for (int i = 0; i < downlinks.length; i++) {
            downlinks[i] = net.addLink(1e6 + random.nextDouble() * 1e7);
        }
        for (int i = 0; i < flows; i++) {
            net.start(uplinks[random.nextInt(uplinks.length)], downlinks[i / 4 % downlinks.length],
                    Double.POSITIVE_INFINITY, 1e15, NEVER);
        }
    }

    @Benchmark
    public double arriveAndLeave() {
        Flow f = net.start(uplinks[random.nextInt(uplinks.length)], downlinks[random.nextInt(downlinks.length)],
                Double.POSITIVE_INFINITY, 1e15, NEVER);
        double r = net.rate(f);
        net.stop(f);
        return r;
    }
}
