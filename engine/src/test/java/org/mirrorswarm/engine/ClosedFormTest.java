package org.mirrorswarm.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mirrorswarm.strategies.SchedulerConfig;

/** Whole simulations whose outcome can be worked out by hand. */
class ClosedFormTest {
    private static final double MIB = Scenarios.MIB;

    @ParameterizedTest
    @ValueSource(strings = {"exact", "fast"})
    void oneClientOneMirrorTakesItsRoundTripsPlusSizeOverCapacity(String model) {
        // Tracker: handshake + request (1.5 RTT) + 1 ms service + answer (0.5 RTT); then a new connection
        // to the mirror (1 RTT) and the request (1 RTT); then 10 MiB at 2 MiB/s.
        double rtt = 0.05;
        Scenario sc = Scenarios.flat(model, rtt, false, 1, 2 * MIB, 1, 100 * MIB, 10L << 20, 1, 1);
        RunResult r = Simulation.run(sc, Variant.of(SchedulerConfig.of("single")), 0);
        assertThat(r.completed()).isEqualTo(1);
        assertThat(r.completionTimes()[0]).isCloseTo(4 * rtt + 0.001 + 5.0, within(1e-9));
        assertThat(r.payloadBytes()).isEqualTo(10L << 20);
        assertThat(r.requests()).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"exact", "fast"})
    void slowStartMakesASmallFileCostRoundTrips(String model) {
        // 59,164 bytes (Debian's median package) behind a 14,600-byte initial window: 14,600 then 29,200
        // bytes in the first two round trips, the last 15,364 at 58,400 bytes per RTT.
        double rtt = 0.1;
        Scenario sc = Scenarios.flat(model, rtt, true, 1, 1000 * MIB, 1, 1000 * MIB, 59_164, 1, 1);
        RunResult r = Simulation.run(sc, Variant.of(SchedulerConfig.of("single")), 0);
        double body = 2 * rtt + (59_164 - 43_800) / 58_400.0 * rtt;
        assertThat(r.completionTimes()[0]).isCloseTo(4 * rtt + 0.001 + body, within(1e-9));
        RunResult noSlowStart = Simulation.run(sc.withNetwork(sc.network().withSlowStart(false)),
                Variant.of(SchedulerConfig.of("single")), 0);
        assertThat(r.completionTimes()[0] - noSlowStart.completionTimes()[0]).isGreaterThan(2 * rtt);
    }

    @ParameterizedTest
    @ValueSource(strings = {"exact", "fast"})
    void pipelinedEarlyRequestsHideTheRoundTripBetweenSmallFiles(String model) {
        // 20 packages of 100 kB from one mirror 100 ms away at 10 MiB/s, one request each (work-queue), one
        // connection per mirror: each answer takes 9.5 ms, each round trip 100 ms.
        double rtt = 0.1;
        Scenario sc = Scenarios.flat(model, rtt, false, 1, 10 * MIB, 1, 1000 * MIB, 100_000, 20, 20);
        SchedulerConfig c = SchedulerConfig.of("work-queue");
        RunResult plain = Simulation.run(sc, Variant.of(c), 0);
        RunResult early = Simulation.run(sc, Variant.of(c.withEarlyRequests(8)), 0);
        RunResult piped = Simulation.run(sc.withNetwork(sc.network().withPipelining(true)),
                Variant.of(c.withEarlyRequests(8)), 0);
        for (RunResult r : List.of(plain, early, piped)) {
            assertThat(r.completed()).isEqualTo(1);
            assertThat(r.payloadBytes()).isEqualTo(20 * 100_000L);
            assertThat(r.failedRequests()).isZero();
            assertThat(r.requests()).isEqualTo(20);
        }
        // Without early requests every file waits a round trip (2.39 s); with them the answers follow each
        // other, pipelined on the one connection (0.715 s) or on more connections (0.731 s: each new one
        // costs its handshake). Nothing beats the tracker's and the first request's round trips plus the bytes.
        double bound = 2 * rtt + 0.001 + 2 * rtt + 20 * 100_000 / (10 * MIB);
        assertThat(plain.completionTimes()[0]).isGreaterThan(bound + 15 * rtt);
        assertThat(piped.completionTimes()[0]).isBetween(bound, bound + 2 * rtt);
        assertThat(piped.completionTimes()[0]).isLessThanOrEqualTo(early.completionTimes()[0]);
    }

    @ParameterizedTest
    @ValueSource(strings = {"exact", "fast"})
    void anAnswerCancelledWhilePipelinedStillCrossesTheNetworkOnItsConnection(String model) {
        // 20 packages of 100 kB (one piece each) from two mirrors 50 ms away; one corrupts half its pieces, so
        // it is banned now and then with requests queued on its connection, which the scheduler cancels. As the
        // live client does, a cancelled request pipelined on a connection has its answer read past when its
        // turn comes (the requests behind it follow); without pipelining nothing was sent for it. Every byte a
        // mirror sent is a verified piece, a bad piece, or such an answer: no tail policy, so no duplicates.
        long size = 100_000;
        Scenario base = Scenarios.flat(model, 0.05, false, 1, 10 * MIB, 1, 1000 * MIB, size, 20, 20);
        Faults corrupt = new Faults(List.of(), Double.POSITIVE_INFINITY, 60, List.of(), 0.5, Double.NEGATIVE_INFINITY, false,
                Faults.WhenDown.DROP);
        Scenario sc = base.withMirrors(List.of(base.mirrors().get(0),
                new MirrorGroup("bad", 1, 0, new org.mirrorswarm.engine.workload.Dist.Fixed(10 * MIB), 0,
                        Double.POSITIVE_INFINITY, corrupt)));
        SchedulerConfig c = SchedulerConfig.of("work-queue").withTail("none").withEarlyRequests(8).withBans(0.5, 1, 100, 100);
        long[] beyond = new long[2];
        for (int piped = 0; piped < 2; piped++) {
            Scenario s = sc.withNetwork(sc.network().withPipelining(piped == 1));
            RunResult r = Simulation.run(s, Variant.of(c), 0);
            assertThat(r.completed()).isEqualTo(1);
            assertThat(r.payloadBytes()).isEqualTo(20 * size);
            assertThat(r.badPieces()).isPositive();
            beyond[piped] = java.util.Arrays.stream(r.mirrorBytes()).sum() - r.payloadBytes() - r.badPieces() * size;
            assertThat(r.wastedBytes()).isGreaterThanOrEqualTo(beyond[piped]);
        }
        assertThat(beyond[0]).as("answers read past without pipelining").isZero();
        assertThat(beyond[1]).as("answers read past, pipelined").isPositive();
        assertThat(beyond[1] % size).as("whole answers").isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"exact", "fast"})
    void aFlashCrowdOnOneMirrorMeetsTheClientServerBound(String model) {
        // N clients fetch the same F bytes from one server of uplink u_s at once: D >= N F / u_s, and
        // fair sharing reaches it with everyone finishing together.
        int n = 200;
        long f = 4L << 20;
        double us = 50 * MIB;
        Scenario sc = Scenarios.flat(model, 0, false, 1, us, n, 1000 * MIB, f, 1, 1)
                .withTracker(Scenarios.flat(model, 0, false, 1, us, n, 1000 * MIB, f, 1, 1).tracker());
        Scenario zeroService = sc.withTracker(new Tracker(0, 1e12, new org.mirrorswarm.engine.workload.Dist.Fixed(0), 8,
                "weighted", "metalink-per-file", "none", 30, 3, 3600, 1800));
        RunResult r = Simulation.run(zeroService, Variant.of(SchedulerConfig.of("single")), 0);
        double bound = n * f / us;
        assertThat(r.completed()).isEqualTo(n);
        assertThat(r.completionQuantile(1.0)).isCloseTo(bound, within(1e-6 * bound));
        assertThat(r.completionQuantile(0.0)).isCloseTo(bound, within(1e-6 * bound));
        assertThat(r.utilisation(0, 0)).isCloseTo(1.0, within(1e-9));
    }
    @ParameterizedTest
    @ValueSource(strings = {"exact", "fast"})
    void theRestOfAShrunkAnswerCrossesTheNetworkOnlyWhenTheLiveClientWouldReadItPast(String model) {
        // Four 1 MiB files of 64 KiB pieces, each split between a mirror at 8 MiB/s and a slower one 500 ms away
        // (static-split); the fast one, done with its half, steals the back of the slow one's range (tail
        // "steal"), whose answer still runs to the end it was asked for. As the live client does, that rest is
        // read past (to keep the connection) when it is at most a mebibyte, on the client's own connections
        // (pipelining), or when it comes within OkHttp's 100 ms otherwise; else the connection closes. What a
        // mirror sends beyond the payload is that rest, in whole pieces: no piece is fetched twice under "steal";
        // and the client is done with its last piece, not waiting for a rest still being read past.
        long piece = 64 << 10;
        Scenario base = Scenarios.flat(model, 0.5, false, 1, 8 * MIB, 1, 1000 * MIB, 16 * piece, 4, 4)
                .withPackages(new Packages(4, new org.mirrorswarm.engine.workload.Dist.Fixed(16 * piece), 0, (int) piece));
        SchedulerConfig c = SchedulerConfig.of("static-split").withTail("steal");
        Scenario sc = base.withMirrors(List.of(base.mirrors().get(0), new MirrorGroup("slow", 1, 0,
                new org.mirrorswarm.engine.workload.Dist.Fixed(512 << 10), 0, Double.POSITIVE_INFINITY, Faults.NONE)));
        long[] beyond = new long[2];
        for (int piped = 0; piped < 2; piped++) {
            RunResult r = Simulation.run(sc.withNetwork(sc.network().withPipelining(piped == 1)), Variant.of(c), 0);
            assertThat(r.completed()).isEqualTo(1);
            assertThat(r.payloadBytes()).isEqualTo(64 * piece);
            beyond[piped] = java.util.Arrays.stream(r.mirrorBytes()).sum() - r.payloadBytes();
            assertThat(beyond[piped] % piece).as("whole pieces").isZero();
            assertThat(r.wastedBytes()).isGreaterThanOrEqualTo(beyond[piped]);
        }
        // At 512 KiB/s a piece's 64 KiB does not come within 100 ms.
        assertThat(beyond[0]).as("read past through OkHttp").isZero();
        assertThat(beyond[1]).as("read past on the client's own connections").isPositive();
        // One file from a mirror at 256 KiB/s: the rest of its last answer (three pieces) would come 0.75 s
        // after the last piece; the client is done at that piece either way.
        Scenario one = sc.withClients(Scenarios.flat(model, 0.5, false, 1, 8 * MIB, 1, 1000 * MIB, 16 * piece, 1, 1).clients())
                .withMirrors(List.of(base.mirrors().get(0), new MirrorGroup("slow", 1, 0,
                        new org.mirrorswarm.engine.workload.Dist.Fixed(256 << 10), 0, Double.POSITIVE_INFINITY, Faults.NONE)));
        double plain = Simulation.run(one, Variant.of(c), 0).completionTimes()[0];
        double piped = Simulation.run(one.withNetwork(one.network().withPipelining(true)), Variant.of(c), 0).completionTimes()[0];
        assertThat(piped).isEqualTo(plain);
    }
}
