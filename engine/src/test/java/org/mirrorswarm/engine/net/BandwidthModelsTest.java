package org.mirrorswarm.engine.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.mirrorswarm.engine.sim.HeapEventList;
import umontreal.ssj.randvar.ExponentialGen;
import umontreal.ssj.rng.MRG32k3a;
import umontreal.ssj.simevents.Event;
import umontreal.ssj.simevents.Simulator;
import umontreal.ssj.stat.Tally;

class BandwidthModelsTest {
    private static final double INF = Double.POSITIVE_INFINITY;
    private static final double BIG = 1e12; // bytes: flows that stay for the whole test

    private static BandwidthModel model(String id, Simulator sim) {
        return id.equals("exact") ? new BandwidthExact(sim) : new BandwidthFast(sim);
    }

    private static final FlowListener STOP_NEVER = f -> { };

    @Test
    void exactSolvesTheTextbookMaxMinExample() {
        // Uplinks U1 = 10, U2 = 4; downlink D1 = 3. Flows f1: U1->D1, f2: U1->D2, f3: U2->D2, f4: U2->D3.
        // Progressive filling: U2 saturates first at 2 each (f3, f4); then D1 at 3 (f1); U1 gives f2 the 7 left.
        Simulator sim = new Simulator(new HeapEventList());
        BandwidthExact m = new BandwidthExact(sim);
        int u1 = m.addLink(10);
        int u2 = m.addLink(4);
        int d1 = m.addLink(3);
        int d2 = m.addLink(INF);
        int d3 = m.addLink(INF);
        Flow f1 = m.start(u1, d1, INF, BIG, STOP_NEVER);
        Flow f2 = m.start(u1, d2, INF, BIG, STOP_NEVER);
        Flow f3 = m.start(u2, d2, INF, BIG, STOP_NEVER);
        Flow f4 = m.start(u2, d3, INF, BIG, STOP_NEVER);
        assertThat(new double[] {m.rate(f1), m.rate(f2), m.rate(f3), m.rate(f4)}).containsExactly(3, 7, 2, 2);
        assertThat(m.linkRate(u1)).isEqualTo(10);
        assertThat(m.linkRate(d2)).isEqualTo(9);
        // A shared downlink of 5 now binds f2 and f3: each gets 2.5... but f3 is held to 2 by U2,
        // so f2 gets 3 (max-min gives the slack to whoever can use it).
        m.setCapacity(d2, 5);
        assertThat(new double[] {m.rate(f1), m.rate(f2), m.rate(f3), m.rate(f4)}).containsExactly(3, 3, 2, 2);
        m.stop(f3);
        assertThat(new double[] {m.rate(f1), m.rate(f2), m.rate(f4)}).containsExactly(3, 5, 4);
    }

    @Test
    void exactSharesAParkingLotChainFairly() {
        // Bertsekas & Gallager's chain: a long flow crosses two unit links each shared with one short flow:
        // all three get 1/2. Here the long flow's uplink and downlink are the two shared links.
        Simulator sim = new Simulator(new HeapEventList());
        BandwidthExact m = new BandwidthExact(sim);
        int a = m.addLink(1);
        int b = m.addLink(1);
        int x = m.addLink(INF);
        int y = m.addLink(INF);
        Flow longFlow = m.start(a, b, INF, BIG, STOP_NEVER);
        Flow s1 = m.start(a, x, INF, BIG, STOP_NEVER);
        Flow s2 = m.start(y, b, INF, BIG, STOP_NEVER);
        assertThat(new double[] {m.rate(longFlow), m.rate(s1), m.rate(s2)}).containsExactly(0.5, 0.5, 0.5);
        m.setCap(s1, 0.2);
        assertThat(new double[] {m.rate(longFlow), m.rate(s1), m.rate(s2)}).containsExactly(0.5, 0.2, 0.5);
        m.setCapacity(b, 0.6);
        assertThat(m.rate(longFlow)).isCloseTo(0.3, within(1e-12));
        assertThat(m.rate(s1)).isCloseTo(0.2, within(1e-12));
        assertThat(m.rate(s2)).isCloseTo(0.3, within(1e-12));
    }

    @ParameterizedTest
    @ValueSource(strings = {"exact", "fast"})
    void flowsBelowTheFairShareKeepTheirCapsAndTheRestShareWhatIsLeft(String id) {
        Simulator sim = new Simulator(new HeapEventList());
        BandwidthModel m = model(id, sim);
        int up = m.addLink(10);
        int d = m.addLink(INF);
        Flow c1 = m.start(up, d, 1, BIG, STOP_NEVER);
        Flow c2 = m.start(up, d, 2, BIG, STOP_NEVER);
        Flow free1 = m.start(up, d, INF, BIG, STOP_NEVER);
        Flow free2 = m.start(up, d, INF, BIG, STOP_NEVER);
        assertThat(new double[] {m.rate(c1), m.rate(c2), m.rate(free1), m.rate(free2)}).containsExactly(1, 2, 3.5, 3.5);
        // Raising a cap above the level moves it back among the equal sharers.
        m.setCap(c2, 100);
        assertThat(m.rate(c2)).isCloseTo(3, within(1e-12));
        assertThat(m.rate(free1)).isCloseTo(3, within(1e-12));
        m.stop(free1);
        m.stop(free2);
        assertThat(m.rate(c2)).isCloseTo(9, within(1e-12));
        assertThat(m.linkRate(up)).isCloseTo(10, within(1e-12));
        m.setCap(c2, 4);
        assertThat(m.linkRate(up)).isCloseTo(5, within(1e-12));
    }

    @ParameterizedTest
    @ValueSource(strings = {"exact", "fast"})
    void processorSharingFinishesSegmentsAtTheRightTimes(String id) {
        // 1000 and 500 bytes start together on 100 B/s: both run at 50 B/s, the short one ends at t = 10,
        // the long one then runs alone for its last 500 bytes: t = 15. Its second segment of 200 bytes,
        // sent alone, ends at t = 17.
        Simulator sim = new Simulator(new HeapEventList());
        BandwidthModel m = model(id, sim);
        int up = m.addLink(100);
        int d = m.addLink(INF);
        Map<String, List<Double>> ends = new HashMap<>();
        int[] segments = {0};
        new Event(sim) {
            @Override
            public void actions() {
                Flow a = m.start(up, d, INF, 1000, f -> {
                    ends.computeIfAbsent("a", k -> new ArrayList<>()).add(sim.time());
                    if (segments[0]++ == 0) {
                        m.next(f, 200);
                    } else {
                        m.stop(f);
                    }
                });
                m.start(up, d, INF, 500, f -> {
                    ends.computeIfAbsent("b", k -> new ArrayList<>()).add(sim.time());
                    m.stop(f);
                });
                assertThat(m.remaining(a)).isEqualTo(1000);
            }
        }.schedule(0);
        sim.start();
        assertThat(ends.get("b")).containsExactly(10.0);
        assertThat(ends.get("a")).hasSize(2);
        assertThat(ends.get("a").get(0)).isCloseTo(15, within(1e-9));
        assertThat(ends.get("a").get(1)).isCloseTo(17, within(1e-9));
        assertThat(m.flowCount()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"exact", "fast"})
    void anMM1ProcessorSharingMirrorHasMeanSojourn1OverMuMinusLambda(String id) {
        // Poisson arrivals (lambda = 7/s) of exponential sizes (mean 1 MB) on a 10 MB/s uplink:
        // mu = 10/s, rho = 0.7, mean sojourn 1 / (mu - lambda) = 1/3 s. Batch means give the CI.
        double lambda = 7;
        double meanSize = 1e6;
        double capacity = 10e6;
        double expected = 1 / (capacity / meanSize - lambda);
        Simulator sim = new Simulator(new HeapEventList());
        BandwidthModel m = model(id, sim);
        int up = m.addLink(capacity);
        int down = m.addLink(INF);
        MRG32k3a arrivals = new MRG32k3a();
        MRG32k3a sizes = new MRG32k3a();
        arrivals.setSeed(new long[] {12345, 23456, 34567, 45678, 56789, 67890});
        sizes.setSeed(new long[] {98765, 87654, 76543, 65432, 54321, 43210});
        int warmup = 20_000;
        int jobs = 420_000;
        int batches = 20;
        Tally batchMeans = new Tally();
        double[] batchSum = {0};
        int[] done = {0};
        Function<Double, FlowListener> finish = start -> f -> {
            m.stop(f);
            int n = done[0]++;
            if (n >= warmup) {
                batchSum[0] += sim.time() - start;
                if ((n - warmup + 1) % ((jobs - warmup) / batches) == 0) {
                    batchMeans.add(batchSum[0] / ((jobs - warmup) / batches));
                    batchSum[0] = 0;
                }
            }
            if (done[0] == jobs) {
                sim.stop();
            }
        };
        new Event(sim) {
            int started;

            @Override
            public void actions() {
                double now = sim.time();
                m.start(up, down, INF, ExponentialGen.nextDouble(sizes, 1 / meanSize), finish.apply(now));
                if (++started < jobs) {
                    schedule(ExponentialGen.nextDouble(arrivals, lambda));
                }
            }
        }.schedule(0);
        sim.start();
        double[] ci = new double[2];
        batchMeans.confidenceIntervalStudent(0.95, ci);
        assertThat(batchMeans.numberObs()).isEqualTo(batches);
        assertThat(Math.abs(ci[0] - expected)).as("mean %s ± %s vs %s", ci[0], ci[1], expected).isLessThanOrEqualTo(ci[1]);
        assertThat(ci[1]).as("CI half-width").isLessThan(0.05 * expected);
    }
}
