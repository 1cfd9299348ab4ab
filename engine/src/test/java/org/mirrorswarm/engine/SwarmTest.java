package org.mirrorswarm.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mirrorswarm.engine.workload.Dist;
import org.mirrorswarm.strategies.SchedulerConfig;
import umontreal.ssj.stat.Tally;

/** The BitTorrent-style swarm against the textbook bounds, the Qiu–Srikant fluid model, and firewalls. */
class SwarmTest {
    private static final double MIB = Scenarios.MIB;
    private static final Variant SWARM = Variant.of(SchedulerConfig.of("single")).withTransport("swarm");

    /**
     * N peers arriving together for one file of {@code size} bytes in {@code pieceLength} pieces, from one
     * origin seed of uplink {@code seedUp}; peers have uplink {@code peerUp} and downlink {@code down}.
     */
    private static Scenario oneFile(int n, long size, int pieceLength, double seedUp, double peerUp, double down,
                                    double firewalled) {
        Scenario base = Scenarios.flat("fast", 0.01, false, 1, 10 * MIB, n, down, size, 1, 1);
        Clients c = new Clients(n, new Clients.Arrival.FlashCrowd(0), new Dist.Fixed(down), new Dist.Fixed(peerUp),
                new double[] {1}, new Dist.Fixed(1), firewalled);
        return base.withClients(c).withPackages(new Packages(1, new Dist.Fixed(size), 0, pieceLength))
                .withTransport("swarm").withSwarm(SwarmSpec.defaults().withSeeds(1, seedUp, false)
                        .withSeedingTime(new Dist.Fixed(1e6)));
    }

    @Test
    void aSwarmRespectsThePeerToPeerBoundAndApproachesItWhenPeersUploadEnough() {
        // F = 32 MiB to N = 60 peers; the seed's uplink is 4 MiB/s, each peer's 1 MiB/s, downlinks 8 MiB/s.
        // Client–server: N F / u_s = 480 s. Peer-to-peer: max(F/u_s, F/d, N F / (u_s + N u)) = 30 s.
        int n = 60;
        long f = 32L << 20;
        double us = 4 * MIB;
        double u = MIB;
        double d = 8 * MIB;
        RunResult r = Simulation.run(oneFile(n, f, 256 << 10, us, u, d, 0), SWARM, 0);
        double p2p = Math.max(Math.max(f / us, f / d), n * f / (us + n * u));
        double clientServer = Math.max(n * f / us, f / d);
        assertThat(r.completed()).isEqualTo(n);
        assertThat(r.completionQuantile(0.0)).isGreaterThanOrEqualTo(f / Math.min(us, d));
        assertThat(r.completionQuantile(1.0)).isGreaterThanOrEqualTo(p2p);
        assertThat(r.completionQuantile(1.0)).as("last peer against the P2P bound").isLessThan(1.5 * p2p);
        assertThat(r.completionQuantile(1.0)).isLessThan(clientServer / 10);
        assertThat(r.peerUploadBytes()).isGreaterThan(r.seedUploadBytes());
    }

    @Test
    void withEveryPeerFirewalledTheSwarmDegradesToTheSeedsCapacity() {
        // Peers can reach the seed but not each other: nothing moves between peers, and the last of N
        // finishes no sooner than N F / u_s — the client–server bound.
        int n = 40;
        long f = 8L << 20;
        double us = 4 * MIB;
        RunResult r = Simulation.run(oneFile(n, f, 256 << 10, us, MIB, 8 * MIB, 1.0), SWARM, 0);
        assertThat(r.completed()).isEqualTo(n);
        assertThat(r.peerUploadBytes()).isZero();
        assertThat(r.seedUploadBytes()).isEqualTo(n * f);
        double bound = n * f / us;
        assertThat(r.completionQuantile(1.0)).isGreaterThanOrEqualTo(bound).isLessThan(1.1 * bound);
        // The same peers without firewalls serve each other.
        RunResult open = Simulation.run(oneFile(n, f, 256 << 10, us, MIB, 8 * MIB, 0), SWARM, 0);
        assertThat(open.completionQuantile(1.0)).isLessThan(bound / 2);
    }

    /**
     * Qiu and Srikant (2004): with peers arriving at rate lambda, uploading mu and downloading c files per
     * second and seeding for 1/gamma on average, the steady-state download time is
     * T = 1/(theta + beta), 1/beta = max(1/c, (1/eta)(1/mu - 1/gamma)) — with no aborts (theta = 0) and
     * sharing efficiency eta near 1 for many pieces — and does not depend on lambda.
     * Here F = 4 MiB in 128 pieces of 32 KiB (the model's eta -> 1 needs many pieces: with 32 pieces the
     * swarm reached only eta ~ 0.65), upload 256 KiB/s (1/mu = 16 s), download 4 MiB/s (1/c = 1 s),
     * seeding exponential with mean 8 s: T = 8 s when upload binds. Measured (5 replications each):
     * 9.08 ± 0.23 s at lambda = 2/s and 9.21 ± 0.03 s at lambda = 4/s, i.e. eta ~ 0.87.
     */
    @Test
    void steadyStateDownloadTimeFollowsTheFluidModelAndNotTheArrivalRate() {
        double predicted = Math.max(1.0, 16.0 - 8.0);
        double[][] ci = new double[2][];
        double[] rates = {2, 4};
        for (int i = 0; i < 2; i++) {
            ci[i] = downloadTime(rates[i], 5);
            assertThat(ci[i][0]).as("T at lambda = %s vs the fluid model", rates[i])
                    .isCloseTo(predicted, within(0.2 * predicted));
        }
        assertThat(Math.abs(ci[0][0] - ci[1][0])).as("T at two arrival rates, %s and %s", ci[0][0], ci[1][0])
                .isLessThanOrEqualTo(ci[0][1] + ci[1][1]);
    }

    @Test
    void aScenarioComparesPureMirrorsPureSwarmAndBothOnTheSameClients() {
        Scenario sc = Scenarios.releaseDay("fast", 200, 2, 4)
                .withSwarm(SwarmSpec.defaults().withSeeds(1, 20 * MIB, false).withSeedingTime(new Dist.Fixed(60)));
        Variant base = Variant.of(SchedulerConfig.of("adaptive"));
        List<RunResult> runs = new Experiment(sc, List.of(base, base.withTransport("swarm").withName("swarm"),
                base.withTransport("hybrid").withName("hybrid")), 1).run(2);
        RunResult mirrors = runs.get(0);
        RunResult swarm = runs.get(1);
        RunResult hybrid = runs.get(2);
        for (RunResult r : runs) {
            assertThat(r.completed()).as(r.transport()).isEqualTo(200);
            assertThat(r.payloadBytes()).as(r.transport()).isEqualTo(mirrors.payloadBytes());
        }
        assertThat(mirrors.transport()).isEqualTo("mirrors");
        assertThat(mirrors.peerUploadBytes()).isZero();
        assertThat(swarm.peerUploadBytes()).isPositive();
        assertThat(java.util.Arrays.stream(swarm.mirrorBytes()).sum()).isZero();
        // Both routes carry bytes in the hybrid: mirrors as web seeds (BEP 19) and peers.
        assertThat(java.util.Arrays.stream(hybrid.mirrorBytes()).sum()).isPositive();
        assertThat(hybrid.peerUploadBytes() + hybrid.seedUploadBytes()).isPositive();
        assertThat(swarm.trackerEntriesMax()).isPositive();
    }

    @Test
    void aSwarmRunIsRepeatable() {
        Scenario sc = oneFile(30, 8L << 20, 256 << 10, 4 * MIB, MIB, 8 * MIB, 0.3);
        RunResult a = Simulation.run(sc, SWARM, 0);
        RunResult b = Simulation.run(sc, SWARM, 0);
        assertThat(b.completionTimes()).containsExactly(a.completionTimes());
        assertThat(b.peerUploadBytes()).isEqualTo(a.peerUploadBytes());
        assertThat(b.events()).isEqualTo(a.events());
    }

    /** Mean download time over replications, with the 95% Student-t half-width. */
    private static double[] downloadTime(double lambda, int replications) {
        int n = (int) (lambda * 600);
        Scenario base = oneFile(n, 4L << 20, 32 << 10, 256 << 10, 256 << 10, 4 * MIB, 0);
        Clients poisson = base.clients().withArrival(new Clients.Arrival.Poisson(lambda));
        // The origin seed uploads like one peer so that the system's capacity is the peers'.
        Scenario sc = base.withClients(poisson).withSwarm(SwarmSpec.defaults().withSeeds(1, 256 << 10, false)
                .withSeedingTime(new Dist.Exponential(8)));
        Tally means = new Tally();
        List<RunResult> runs = new Experiment(sc, List.of(SWARM), replications).run(2);
        for (RunResult r : runs) {
            means.add(r.meanFileTime());
        }
        double[] c = new double[2];
        means.confidenceIntervalStudent(0.95, c);
        return c;
    }
}
