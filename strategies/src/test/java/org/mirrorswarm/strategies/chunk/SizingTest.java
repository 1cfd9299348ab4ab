package org.mirrorswarm.strategies.chunk;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.mirrorswarm.strategies.SchedulerConfig;
import org.mirrorswarm.strategies.spi.Sizing;
import org.mirrorswarm.strategies.testing.StubView;

/** The aggregate rate the chunk strategies size ranges and gate slow mirrors by. */
class SizingTest {
    private static StubView view(int maxConnections, int maxPerFile) {
        StubView v = new StubView(1, 1 << 20, SchedulerConfig.defaults().withConnections(maxConnections, 1, maxPerFile));
        int[] m = v.mirrors(20);
        for (int i = 0; i < 10; i++) {
            v.throughput(m[i], 1e6);          // ten slow mirrors first in the list
            v.throughput(m[10 + i], 100e6);   // ten fast ones after
        }
        return v;
    }

    @Test
    void countsOnlyTheConnectionsTheClientMayOpenFastestFirst() {
        // 8 connections and 20 mirrors: the 8 fastest, not all 20 (which would be 1,010 MB/s).
        assertThat(Sizing.aggregateRate(view(8, 0), 0, -1)).isEqualTo(800e6);
        // A per-file limit is the tighter one.
        assertThat(Sizing.aggregateRate(view(16, 3), 0, -1)).isEqualTo(300e6);
        // Enough connections for every mirror: all of them.
        assertThat(Sizing.aggregateRate(view(64, 0), 0, -1)).isEqualTo(1010e6);
        // With 12 connections: ten fast and two slow.
        assertThat(Sizing.aggregateRate(view(12, 0), 0, -1)).isEqualTo(1002e6);
    }

    @Test
    void excludingAMirrorLetsTheNextFastestIn() {
        StubView v = view(8, 0);
        // Without fast mirror 10 the eight fastest are still fast: 800 MB/s.
        assertThat(Sizing.aggregateRate(v, 0, 10)).isEqualTo(800e6);
        StubView w = view(12, 0);
        // Without a fast one, twelve connections take nine fast and three slow.
        assertThat(Sizing.aggregateRate(w, 0, 10)).isEqualTo(903e6);
    }

    @Test
    void nothingMeasuredIsNaN() {
        StubView v = new StubView(1, 1 << 20, SchedulerConfig.defaults());
        v.mirrors(3);
        assertThat(Sizing.aggregateRate(v, 0, -1)).isNaN();
    }
}
