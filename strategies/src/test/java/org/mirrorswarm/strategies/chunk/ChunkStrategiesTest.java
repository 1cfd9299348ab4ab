package org.mirrorswarm.strategies.chunk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mirrorswarm.strategies.Action;
import org.mirrorswarm.strategies.Action.StartRequest;
import org.mirrorswarm.strategies.Event;
import org.mirrorswarm.strategies.FileJob;
import org.mirrorswarm.strategies.FilePlan;
import org.mirrorswarm.strategies.Mirror;
import org.mirrorswarm.strategies.Scheduler;
import org.mirrorswarm.strategies.SchedulerConfig;
import org.mirrorswarm.strategies.StrategySpec;
import org.mirrorswarm.strategies.testing.FakeMirror;
import org.mirrorswarm.strategies.testing.FakeNetwork;

/** Each chunk strategy does what its source describes, on a deterministic network. */
class ChunkStrategiesTest {
    private static final int MIB = 1 << 20;
    private static final int PIECE = 256 << 10;
    private static final long SIZE = 24L * MIB;
    private static final double LATENCY = 0.02;
    /** Heterogeneous mirrors as in the live benchmark: 6, 3, 1 MiB/s and 256 KiB/s. */
    private static final List<FakeMirror> HETEROGENEOUS = List.of(
            FakeMirror.honest("a", 6 * MIB, LATENCY), FakeMirror.honest("b", 3 * MIB, LATENCY),
            FakeMirror.honest("c", MIB, LATENCY), FakeMirror.honest("d", 256 << 10, LATENCY));
    private static final double IDEAL = SIZE / (10.25 * MIB);

    private static FakeNetwork.Result run(SchedulerConfig c, List<FakeMirror> mirrors) {
        FakeNetwork.Result r = new FakeNetwork(c, mirrors, 5).traced().addFile("f", SIZE, PIECE).run(1e6);
        assertThat(r.violations()).isEmpty();
        assertThat(r.allCompleted()).isTrue();
        assertThat(r.outputsCorrect()).isTrue();
        return r;
    }

    private static List<StartRequest> starts(FakeNetwork.Result r) {
        return r.trace().actions().stream().filter(StartRequest.class::isInstance).map(StartRequest.class::cast).toList();
    }

    @Test
    void singleFetchesEachFileWholeFromOneMirrorFailingOverInOrder() {
        List<FakeMirror> ms = List.of(FakeMirror.honest("dead", MIB, LATENCY).dead(0, Double.POSITIVE_INFINITY),
                FakeMirror.honest("second", 2 * MIB, LATENCY), FakeMirror.honest("third", 8 * MIB, LATENCY));
        FakeNetwork.Result r = run(SchedulerConfig.of("single").withConnections(8, 2, 0), ms);
        assertThat(starts(r)).extracting(StartRequest::mirrorId).containsExactly("dead", "second");
        assertThat(starts(r).get(1).range().length()).isEqualTo(SIZE);
        assertThat(r.makespan()).isCloseTo(LATENCY + LATENCY + (double) SIZE / (2 * MIB), within(1e-6));
    }

    @Test
    void staticSplitGivesEqualSharesAndTheSlowestMirrorSetsTheFinish() {
        FakeNetwork.Result r = run(SchedulerConfig.of("static-split"), HETEROGENEOUS);
        assertThat(starts(r)).extracting(StartRequest::mirrorId, StartRequest::firstPiece, StartRequest::endPiece)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("a", 0, 24),
                        org.assertj.core.groups.Tuple.tuple("b", 24, 48),
                        org.assertj.core.groups.Tuple.tuple("c", 48, 72),
                        org.assertj.core.groups.Tuple.tuple("d", 72, 96));
        assertThat(r.makespan()).isCloseTo(LATENCY + (SIZE / 4.0) / (256 << 10), within(1e-6));
    }

    @Test
    void roundRobinDealsFixedChunksInTurn() {
        SchedulerConfig c = SchedulerConfig.of("round-robin")
                .withChunk(StrategySpec.of("round-robin").with("chunk-size", 2L * PIECE));
        FakeNetwork.Result r = run(c, HETEROGENEOUS);
        List<String> order = List.of("a", "b", "c", "d");
        for (StartRequest s : starts(r)) {
            assertThat(s.endPiece() - s.firstPiece()).isEqualTo(2);
            assertThat(s.mirrorId()).isEqualTo(order.get(s.firstPiece() / 2 % 4));
        }
        assertThat(r.servedBytes()).containsOnly(SIZE / 4);
    }

    @Test
    void workQueueGivesFastMirrorsMoreChunks() {
        SchedulerConfig c = SchedulerConfig.of("work-queue")
                .withChunk(StrategySpec.of("work-queue").with("chunk-size", (long) PIECE));
        FakeNetwork.Result r = run(c, HETEROGENEOUS);
        long[] served = r.servedBytes();
        // One request per chunk, each paying the latency: a mirror's share follows 1 / (latency + chunk / rate).
        double perChunkA = LATENCY + (double) PIECE / (6 * MIB);
        double perChunkB = LATENCY + (double) PIECE / (3 * MIB);
        double perChunkC = LATENCY + (double) PIECE / MIB;
        assertThat((double) served[0] / served[1]).isCloseTo(perChunkB / perChunkA, within(0.15));
        assertThat((double) served[0] / served[2]).isCloseTo(perChunkC / perChunkA, within(0.6));
        // Bound: everything at the mirrors' per-chunk pace, plus one last chunk on the slowest mirror.
        double perChunkD = LATENCY + (double) PIECE / (256 << 10);
        double pace = PIECE * (1 / perChunkA + 1 / perChunkB + 1 / perChunkC + 1 / perChunkD);
        assertThat(r.makespan()).isLessThan(SIZE / pace + perChunkD);
    }

    @Test
    void aria2SplitsTheBiggestHoleExactlyAsItsBitfieldManDoes() {
        // aria2's own unit test (BitfieldManTest.testGetSparseMissingUnusedIndex): 10 pieces of 1 MiB,
        // minimum split 1 MiB, each new connection takes the sparse index 0, 5, 3, 8, 2, 1, 4, 7, 6, 9.
        SchedulerConfig c = SchedulerConfig.of("aria2")
                .withChunk(StrategySpec.of("aria2").with("min-split-size", "1MiB")).withConnections(10, 1, 0);
        List<Mirror> ten = java.util.stream.IntStream.range(0, 10).mapToObj(i -> Mirror.of("m" + i)).toList();
        List<Action> a = new Scheduler(c).handle(new Event.AddFile(0, new FileJob(FilePlan.synthetic("f", 10L * MIB, MIB), ten)));
        assertThat(a.stream().filter(StartRequest.class::isInstance).map(x -> ((StartRequest) x).firstPiece()))
                .containsExactly(0, 5, 3, 8, 2, 1, 4, 7, 6, 9);
        // Each split shrinks the request it splits: the first request ends up with piece 0 alone.
        assertThat(a).contains(new Action.ShrinkRequest(0, 5, 5L * MIB), new Action.ShrinkRequest(0, 1, MIB));
    }

    @Test
    void aria2DoesNotSplitLessThanTwiceTheMinimumSplitSize() {
        SchedulerConfig c = SchedulerConfig.of("aria2").withConnections(10, 1, 0);
        List<Mirror> ten = java.util.stream.IntStream.range(0, 10).mapToObj(i -> Mirror.of("m" + i)).toList();
        List<Action> small = new Scheduler(c).handle(new Event.AddFile(0,
                new FileJob(FilePlan.synthetic("f", 39L * MIB, MIB), ten)));
        assertThat(small.stream().filter(StartRequest.class::isInstance)).hasSize(1);
        List<Action> big = new Scheduler(c).handle(new Event.AddFile(0,
                new FileJob(FilePlan.synthetic("f", 100L * MIB, MIB), ten)));
        assertThat(big.stream().filter(StartRequest.class::isInstance).map(x -> ((StartRequest) x).firstPiece()))
                .containsExactly(0, 50, 25, 75);
    }

    @Test
    void proportionalSizesRangesByMeasuredThroughput() {
        List<FakeMirror> two = List.of(FakeMirror.honest("fast", 4 * MIB, LATENCY), FakeMirror.honest("slow", MIB, LATENCY));
        FakeNetwork.Result r = run(SchedulerConfig.of("proportional"), two);
        assertThat((double) r.servedBytes()[0] / r.servedBytes()[1]).isCloseTo(4.0, within(0.6));
        assertThat(r.makespan()).isLessThan(1.1 * SIZE / (5.0 * MIB));
    }

    @Test
    void adaptiveComesWithinFivePercentOfTheIdealOnHeterogeneousMirrors() {
        FakeNetwork.Result adaptive = run(SchedulerConfig.defaults(), HETEROGENEOUS);
        assertThat(adaptive.makespan()).isLessThan(1.05 * IDEAL + 2 * LATENCY);
        // The finish-time gate keeps the 256 KiB/s mirror to little more than its share.
        assertThat(adaptive.servedBytes()[3]).isLessThan((long) (SIZE * 0.25 / 10.25 * 1.5));
        for (String other : List.of("static-split", "round-robin", "work-queue", "aria2", "single")) {
            assertThat(run(SchedulerConfig.of(other), HETEROGENEOUS).makespan()).as(other).isGreaterThan(adaptive.makespan());
        }
    }

    /** 40 files of 1 MiB from four mirrors of 4 MiB/s, 20 ms away: a round trip per request shows. */
    private static FakeNetwork.Result manyFiles(SchedulerConfig c) {
        List<FakeMirror> ms = List.of(FakeMirror.honest("a", 4 * MIB, LATENCY), FakeMirror.honest("b", 4 * MIB, LATENCY),
                FakeMirror.honest("c", 4 * MIB, LATENCY), FakeMirror.honest("d", 4 * MIB, LATENCY));
        FakeNetwork n = new FakeNetwork(c, ms, 5).traced();
        for (int i = 0; i < 40; i++) {
            n.addFile("pkg-" + i, MIB, PIECE);
        }
        FakeNetwork.Result r = n.run(1e6);
        assertThat(r.violations()).isEmpty();
        assertThat(r.allCompleted()).isTrue();
        assertThat(r.outputsCorrect()).isTrue();
        return r;
    }

    @Test
    void adaptiveFetchesManyFilesWholeUntilTheEndIsNear() {
        FakeNetwork.Result job = manyFiles(SchedulerConfig.defaults());
        FakeNetwork.Result perFile = manyFiles(SchedulerConfig.defaults()
                .withChunk(StrategySpec.of("adaptive").with("job-finish", false)));
        // Sized to each file's own finish, every file is split across the mirrors; sized to the download's,
        // files go whole (a probe per mirror first, a few splits at the end).
        assertThat(starts(perFile)).hasSizeGreaterThan(80);
        assertThat(starts(job)).hasSizeLessThan(56);
        // Measured here: 2.74 s against 3.30 s (2.5 s of bytes; a round trip per request per mirror).
        assertThat(job.makespan()).isLessThan(perFile.makespan() - 20 * LATENCY);
    }

    @Test
    void earlyRequestsHideTheRoundTripBetweenFiles() {
        FakeNetwork.Result plain = manyFiles(SchedulerConfig.defaults());
        FakeNetwork.Result early = manyFiles(SchedulerConfig.defaults().withEarlyRequests(SchedulerConfig.EARLY_CONNECTIONS));
        // Measured here: 2.54 s against 2.74 s: of the bytes' 2.5 s, only the first round trip and the last
        // file's split are left.
        assertThat(early.makespan()).isLessThan(plain.makespan() - 8 * LATENCY);
        assertThat(early.makespan()).isLessThan(40.0 * MIB / (16 * MIB) + 3 * LATENCY);
    }

    @Test
    void adaptiveRidesOutAStallingMirrorThatStaticSplitWaitsFor() {
        List<FakeMirror> ms = List.of(FakeMirror.honest("a", 4 * MIB, LATENCY), FakeMirror.honest("b", 4 * MIB, LATENCY),
                FakeMirror.honest("stall", 4 * MIB, LATENCY).stallAfter(MIB));
        FakeNetwork.Result adaptive = new FakeNetwork(SchedulerConfig.defaults(), ms, 5).lowSpeedTimeout(60)
                .addFile("f", SIZE, PIECE).run(1e6);
        FakeNetwork.Result split = new FakeNetwork(SchedulerConfig.of("static-split"), ms, 5).lowSpeedTimeout(60)
                .addFile("f", SIZE, PIECE).run(1e6);
        assertThat(adaptive.violations()).isEmpty();
        assertThat(split.violations()).isEmpty();
        assertThat(split.makespan()).isGreaterThan(60);
        assertThat(adaptive.makespan()).isLessThan(SIZE / (8.0 * MIB) * 1.3);
    }

    @Test
    void adaptiveDoesNotProbeSlowMirrorsItHasNoConnectionFor() {
        // Two connections; the tracker lists two fast mirrors first and six slow ones after them.
        List<FakeMirror> ms = new java.util.ArrayList<>(List.of(FakeMirror.honest("a", 4 * MIB, LATENCY),
                FakeMirror.honest("b", 4 * MIB, LATENCY)));
        for (int i = 0; i < 6; i++) {
            ms.add(FakeMirror.honest("slow" + i, 128 << 10, LATENCY));
        }
        SchedulerConfig lazy = SchedulerConfig.defaults().withConnections(2, 1, 0);
        SchedulerConfig eager = lazy.withChunk(org.mirrorswarm.strategies.StrategySpec.of("adaptive")
                .with("lazy-probe", false));
        FakeNetwork.Result l = run(lazy, ms);
        FakeNetwork.Result e = run(eager, ms);
        long slowLazy = 0;
        long slowEager = 0;
        for (int i = 2; i < ms.size(); i++) {
            slowLazy += l.servedBytes()[i];
            slowEager += e.servedBytes()[i];
        }
        // Once both fast mirrors are measured the slow ones are never probed; probing each, as the eager
        // variant does, ties a connection up for two seconds a probe.
        assertThat(slowLazy).isZero();
        assertThat(slowEager).isPositive();
        assertThat(l.makespan()).isLessThan(e.makespan());
        assertThat(l.makespan()).isLessThan(1.05 * SIZE / (8.0 * MIB) + 2 * LATENCY);
    }
}
