package org.mirrorswarm.strategies.selector;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.mirrorswarm.strategies.Mirror;
import org.mirrorswarm.strategies.Strategies;
import org.mirrorswarm.strategies.StrategySpec;
import org.mirrorswarm.strategies.spi.MirrorSelector;
import org.mirrorswarm.strategies.testing.StubView;

class SelectorsTest {
    private static final Strategies REGISTRY = Strategies.load();

    private static MirrorSelector selector(String id) {
        return REGISTRY.selector(StrategySpec.of(id));
    }

    @Test
    void inOrderTakesTheMostPreferred() {
        StubView v = new StubView(1, 1 << 20);
        int[] m = v.mirrors(3);
        int[] order = {m[2], m[0], m[1]};
        assertThat(selector("in-order").select(v, 0, order, 3)).isEqualTo(m[2]);
    }

    @Test
    void randomIsUniformAndRepeatable() {
        StubView v = new StubView(42, 1 << 20);
        int[] m = v.mirrors(4);
        MirrorSelector s = selector("random");
        int[] counts = new int[4];
        int n = 40_000;
        for (int i = 0; i < n; i++) {
            counts[s.select(v, 0, m, 4)]++;
        }
        // Chi-square with 3 degrees of freedom: 16.27 is the 0.1% critical value.
        double chi2 = IntStream.of(counts).mapToDouble(c -> Math.pow(c - n / 4.0, 2) / (n / 4.0)).sum();
        assertThat(chi2).isLessThan(16.27);

        StubView a = new StubView(7, 1 << 20);
        StubView b = new StubView(7, 1 << 20);
        int[] ma = a.mirrors(5);
        int[] mb = b.mirrors(5);
        for (int i = 0; i < 100; i++) {
            assertThat(s.select(a, 0, ma, 5)).isEqualTo(s.select(b, 0, mb, 5));
        }
    }

    @Test
    void weightedFollowsTheTrackersWeights() {
        StubView v = new StubView(3, 1 << 20);
        int[] m = {v.mirror(Mirror.of("a", 1)), v.mirror(Mirror.of("b", 2)), v.mirror(Mirror.of("c", 7)),
            v.mirror(Mirror.of("zero", 0))};
        MirrorSelector s = selector("weighted");
        int[] counts = new int[4];
        int n = 100_000;
        for (int i = 0; i < n; i++) {
            counts[s.select(v, 0, m, 4)]++;
        }
        assertThat(counts[0] / (double) n).isBetween(0.09, 0.11);
        assertThat(counts[1] / (double) n).isBetween(0.19, 0.21);
        assertThat(counts[2] / (double) n).isBetween(0.69, 0.71);
        assertThat(counts[3]).isZero();

        StubView allZero = new StubView(3, 1 << 20);
        int[] z = {allZero.mirror(Mirror.of("x", 0)), allZero.mirror(Mirror.of("y", 0))};
        int[] zc = new int[2];
        for (int i = 0; i < 1000; i++) {
            zc[s.select(allZero, 0, z, 2)]++;
        }
        assertThat(zc[0]).isBetween(400, 600);
    }

    @Test
    void leastLoadedJoinsTheShortestQueueTiesToThePreferred() {
        StubView v = new StubView(1, 1 << 20);
        int[] m = v.mirrors(3);
        v.busy(m[0], 2);
        v.busy(m[1], 1);
        v.busy(m[2], 1);
        assertThat(selector("least-loaded").select(v, 0, m, 3)).isEqualTo(m[1]);
    }

    @Test
    void fastestEwmaTriesUntestedMirrorsFirstThenTheFastest() {
        StubView v = new StubView(1, 1 << 20);
        int[] m = v.mirrors(3);
        v.throughput(m[0], 5e6);
        MirrorSelector s = selector("fastest-ewma");
        assertThat(s.select(v, 0, m, 3)).isEqualTo(m[1]);
        v.throughput(m[1], 9e6);
        v.throughput(m[2], 1e6);
        assertThat(s.select(v, 0, m, 3)).isEqualTo(m[1]);
    }

    @Test
    void powerOfTwoChoicesNeverPicksTheWorseOfItsPair() {
        StubView v = new StubView(11, 1 << 20);
        int[] m = v.mirrors(3);
        // Costs: one piece at the mirror's rate plus its latency, times (in flight + 1).
        v.throughput(m[0], 10e6);
        v.throughput(m[1], 1e6);
        v.throughput(m[2], 2e6);
        v.latency(m[0], 0.05);
        v.latency(m[1], 0.05);
        v.latency(m[2], 0.05);
        MirrorSelector s = selector("p2c-peak-ewma");
        int[] counts = new int[3];
        for (int i = 0; i < 3000; i++) {
            counts[s.select(v, 0, m, 3)]++;
        }
        // The costliest mirror loses every pair it is drawn into; the cheapest wins every one.
        assertThat(counts[1]).isZero();
        assertThat(counts[0] / 3000.0).isCloseTo(2 / 3.0, org.assertj.core.data.Offset.offset(0.04));
        assertThat(counts[2] / 3000.0).isCloseTo(1 / 3.0, org.assertj.core.data.Offset.offset(0.04));
        // Load multiplies cost: with 9 requests in flight the fast mirror costs more than the slow one.
        v.busy(m[0], 9);
        assertThat(SelectorPeakEwmaP2C.cost(v, m[0], 1 << 20)).isGreaterThan(SelectorPeakEwmaP2C.cost(v, m[1], 1 << 20));
    }

    @Test
    void powerOfTwoChoicesKeepsTheFullestBinLowAsBallsIntoBinsPredicts() {
        // n balls into n bins: one random choice gives a maximum load near ln n / ln ln n (about 7-8 at
        // n = 100,000); two choices give ln ln n / ln 2 + O(1) (about 3-4).
        int n = 100_000;
        assertThat(maxLoad("random", n)).isBetween(6, 10);
        assertThat(maxLoad("p2c-peak-ewma", n)).isBetween(3, 4);
    }

    private static int maxLoad(String id, int n) {
        StubView v = new StubView(2024, 1 << 20);
        int[] bins = v.mirrors(n);
        MirrorSelector s = selector(id);
        int max = 0;
        for (int ball = 0; ball < n; ball++) {
            int b = s.select(v, 0, bins, n);
            v.busy(b, 1);
            max = Math.max(max, v.book().inFlight(b));
        }
        return max;
    }

    @Test
    void aria2FeedbackTakesTheFastestIdleHostAboveItsSpeedFloor() {
        StubView v = new StubView(1, 1 << 20);
        int[] m = v.mirrors(5);
        MirrorSelector s = selector("aria2-feedback");
        // Nothing measured: the first untested idle host.
        assertThat(s.select(v, 0, m, 5)).isEqualTo(m[0]);
        v.throughput(m[0], 10_000);          // below 20 KiB/s: not "fast"
        v.throughput(m[1], 3e6);
        v.throughput(m[2], 8e6);
        v.busy(m[2], 1);                     // in use: skipped
        v.throughput(m[3], 5e6);
        v.fail(m[3]);                        // failing: skipped
        assertThat(s.select(v, 0, m, 5)).isEqualTo(m[1]);
        // With a window of one, only the busy m2 is considered: nothing qualifies, so the least loaded wins.
        MirrorSelector narrow = REGISTRY.selector(StrategySpec.of("aria2-feedback").with("window", 1));
        assertThat(narrow.select(v, 0, new int[] {m[2], m[4]}, 2)).isEqualTo(m[4]);
    }
}
