package org.mirrorswarm.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mirrorswarm.strategies.SchedulerConfig;

class ExperimentTest {
    private final Scenario scenario = Scenarios.releaseDay("fast", 80, 2, 6);
    private final List<Variant> variants = List.of(Variant.of(SchedulerConfig.of("single")),
            Variant.of(SchedulerConfig.of("adaptive")));

    @Test
    void comparedStrategiesSeeTheSameWorkloadAndReplicationsDiffer() {
        List<RunResult> runs = new Experiment(scenario, variants, 3).run(2);
        assertThat(runs).hasSize(6);
        assertThat(runs).extracting(RunResult::replication).containsExactly(0, 0, 1, 1, 2, 2);
        assertThat(runs).extracting(RunResult::variant).containsExactly("single", "adaptive", "single", "adaptive",
                "single", "adaptive");
        for (int r = 0; r < 3; r++) {
            RunResult a = runs.get(2 * r);
            RunResult b = runs.get(2 * r + 1);
            // Common random numbers: the same clients want the same packages from the same mirrors.
            assertThat(a.completed()).isEqualTo(b.completed()).isEqualTo(80);
            assertThat(a.payloadBytes()).isEqualTo(b.payloadBytes());
            assertThat(a.mirrorCapacity()).containsExactly(b.mirrorCapacity());
        }
        assertThat(runs.get(0).payloadBytes()).isNotEqualTo(runs.get(2).payloadBytes());
        assertThat(runs.get(0).mirrorCapacity()).isNotEqualTo(runs.get(2).mirrorCapacity());
    }

    @Test
    void resultsDoNotDependOnTheNumberOfThreadsOrOnRepetition() {
        List<RunResult> one = new Experiment(scenario, variants, 2).run(1);
        List<RunResult> two = new Experiment(scenario, variants, 2).run(2);
        for (int i = 0; i < one.size(); i++) {
            assertThat(two.get(i).completionTimes()).containsExactly(one.get(i).completionTimes());
            assertThat(two.get(i).metrics().get("wasted_bytes")).isEqualTo(one.get(i).metrics().get("wasted_bytes"));
            assertThat(two.get(i).mirrorBytes()).containsExactly(one.get(i).mirrorBytes());
            assertThat(two.get(i).events()).isEqualTo(one.get(i).events());
        }
    }

    @Test
    void anUnknownStrategyIsRefusedBeforeAnythingRuns() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Experiment(scenario,
                List.of(Variant.of(SchedulerConfig.of("adaptiv"))), 1))
                .hasMessageContaining("did you mean 'adaptive'");
    }
}
