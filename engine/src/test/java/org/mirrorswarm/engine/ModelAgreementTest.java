package org.mirrorswarm.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.mirrorswarm.engine.workload.Dist;
import org.mirrorswarm.strategies.SchedulerConfig;

/**
 * The fast model against the exact one. Every flow crosses one mirror uplink and one client downlink.
 * When downlinks never bind, max-min fairness splits each uplink independently — exactly what the fast
 * model computes, so the runs must agree to rounding. When they bind, the fast model splits a client's
 * downlink equally among its flows where max-min gives a flow slowed at a busy mirror less and its
 * siblings more; on the mid-size release-day scenario that moves mean and p95 completion by less than
 * 10%, which is the tolerance the fast model is used with.
 */
class ModelAgreementTest {
    @Test
    void identicalWhenOnlyMirrorUplinksBind() {
        Scenario sc = Scenarios.releaseDay("exact", 150, 3, 8);
        Clients fat = new Clients(150, sc.clients().arrival(), new Dist.Fixed(1e15), sc.clients().uplink(),
                sc.clients().regionWeights(), sc.clients().packages(), 0);
        Scenario exact = sc.withClients(fat);
        Scenario fast = exact.withNetwork(exact.network().withModel("fast"));
        for (String chunk : new String[] {"single", "adaptive"}) {
            RunResult a = Simulation.run(exact, Variant.of(SchedulerConfig.of(chunk)), 0);
            RunResult b = Simulation.run(fast, Variant.of(SchedulerConfig.of(chunk)), 0);
            assertThat(b.completed()).isEqualTo(a.completed()).isEqualTo(150);
            assertThat(b.meanCompletion()).as(chunk).isCloseTo(a.meanCompletion(), within(1e-6 * a.meanCompletion()));
            assertThat(b.completionQuantile(0.95)).isCloseTo(a.completionQuantile(0.95), within(1e-6 * a.completionQuantile(0.95)));
        }
    }

    @Test
    void withinTenPercentWhenClientDownlinksBindToo() {
        Scenario exact = Scenarios.releaseDay("exact", 300, 4, 10);
        Scenario fast = exact.withNetwork(exact.network().withModel("fast"));
        for (String chunk : new String[] {"single", "work-queue", "adaptive"}) {
            RunResult a = Simulation.run(exact, Variant.of(SchedulerConfig.of(chunk)), 0);
            RunResult b = Simulation.run(fast, Variant.of(SchedulerConfig.of(chunk)), 0);
            assertThat(b.meanCompletion()).as(chunk + " mean").isCloseTo(a.meanCompletion(), within(0.10 * a.meanCompletion()));
            assertThat(b.completionQuantile(0.95)).as(chunk + " p95")
                    .isCloseTo(a.completionQuantile(0.95), within(0.10 * a.completionQuantile(0.95)));
        }
    }
}
