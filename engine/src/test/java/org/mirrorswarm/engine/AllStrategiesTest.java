package org.mirrorswarm.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mirrorswarm.strategies.SchedulerConfig;
import org.mirrorswarm.strategies.Strategies;
import org.mirrorswarm.strategies.spi.Family;

/** The simulator runs every chunk strategy of the shared scheduler, unchanged, on both models. */
class AllStrategiesTest {
    @ParameterizedTest
    @ValueSource(strings = {"exact", "fast"})
    void everyChunkStrategyCompletesARelease(String model) {
        Scenario sc = Scenarios.releaseDay(model, 60, 2, 5);
        for (String chunk : Strategies.load().ids(Family.CHUNK)) {
            for (String tail : Strategies.load().ids(Family.TAIL)) {
                RunResult r = Simulation.run(sc, Variant.of(SchedulerConfig.of(chunk).withTail(tail)), 0);
                assertThat(r.completed()).as(chunk + "/" + tail).isEqualTo(60);
                assertThat(r.failed()).isZero();
                assertThat(r.payloadBytes()).as(chunk + "/" + tail)
                        .isEqualTo(Simulation.run(sc, Variant.of(SchedulerConfig.of("single")), 0).payloadBytes());
                assertThat(r.events()).isPositive();
            }
        }
    }
}
