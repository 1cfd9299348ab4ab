package org.mirrorswarm.strategies;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mirrorswarm.strategies.Action.CancelRequest;
import org.mirrorswarm.strategies.Action.FileCompleted;
import org.mirrorswarm.strategies.Action.FileFailed;
import org.mirrorswarm.strategies.Action.StartRequest;
import org.mirrorswarm.strategies.Action.WakeAt;
import org.mirrorswarm.strategies.chunk.ChunkSingle;
import org.mirrorswarm.strategies.selector.SelectorInOrder;
import org.mirrorswarm.strategies.spi.Assignment;
import org.mirrorswarm.strategies.spi.ChunkStrategy;
import org.mirrorswarm.strategies.spi.Family;
import org.mirrorswarm.strategies.spi.Params;
import org.mirrorswarm.strategies.spi.StrategyFactory;
import org.mirrorswarm.strategies.tail.TailNone;

/** The scheduler's own rules, driven event by event. */
class SchedulerTest {
    private static final List<Mirror> THREE = List.of(Mirror.of("m0"), Mirror.of("m1"), Mirror.of("m2"));

    private static SchedulerConfig workQueue(int piecesPerChunk, int pieceLength) {
        return SchedulerConfig.of("work-queue")
                .withChunk(StrategySpec.of("work-queue").with("chunk-size", (long) piecesPerChunk * pieceLength))
                .withSelector("in-order").withTail("none");
    }

    private static List<StartRequest> starts(List<Action> actions) {
        return actions.stream().filter(StartRequest.class::isInstance).map(StartRequest.class::cast).toList();
    }

    @Test
    void requestsCoverWholePiecesWithinTheConnectionLimits() {
        Scheduler s = new Scheduler(workQueue(2, 100).withConnections(2, 1, 0));
        List<Action> a = s.handle(new Event.AddFile(0, new FileJob(FilePlan.synthetic("f", 1050, 100), THREE)));
        assertThat(starts(a)).containsExactly(
                new StartRequest(0, 0, 0, "m0", 0, 2, new ByteRange(0, 200), Action.Purpose.NORMAL),
                new StartRequest(1, 0, 1, "m1", 2, 4, new ByteRange(200, 400), Action.Purpose.NORMAL));
        assertThat(s.liveRequests()).isEqualTo(2);
        assertThat(s.file(0).freeCount()).isEqualTo(7);

        // Piece 0 verified: no slot is free yet, nothing starts.
        assertThat(starts(s.handle(new Event.PieceVerified(1, 0, 0)))).isEmpty();
        s.handle(new Event.PieceVerified(2, 0, 1));
        List<Action> next = s.handle(new Event.SlotFree(2, 0));
        assertThat(starts(next)).containsExactly(
                new StartRequest(2, 0, 0, "m0", 4, 6, new ByteRange(400, 600), Action.Purpose.NORMAL));
        assertThat(s.book().successes(0)).isEqualTo(1);
    }

    @Test
    void bytesToldWithTheFirstReportAreNotCountedAsDeliveredInNoTime() {
        // A live client tells its first bytes late (after a buffer's worth): the rate sample starts at that
        // report, so only what arrived after it counts. A piece that came whole with the first report gives
        // no sample at all (before: 300 bytes in 1 µs, a rate a thousand times the link's).
        Scheduler s = new Scheduler(workQueue(1, 1000).withConnections(1, 1, 0));
        s.handle(new Event.AddFile(0, new FileJob(FilePlan.synthetic("f", 1300, 1000), THREE)));
        s.handle(new Event.BytesArrived(0.010, 0, 300));
        s.handle(new Event.PieceVerified(0.014, 0, 0));
        assertThat(s.book().throughput(0)).isCloseTo(700 / 0.004, org.assertj.core.api.Assertions.within(1e-6));
        assertThat(s.book().latency(0, 0.010)).isCloseTo(0.010, org.assertj.core.api.Assertions.within(1e-12));
        s.handle(new Event.SlotFree(0.014, 0));
        s.handle(new Event.BytesArrived(0.020, 1, 300));
        s.handle(new Event.PieceVerified(0.020001, 1, 1));
        assertThat(s.book().throughputSamples(0)).isEqualTo(1);
        // A simulator tells the first byte with nothing in it: every byte of the piece counts, as before.
        Scheduler sim = new Scheduler(workQueue(1, 1000).withConnections(1, 1, 0));
        sim.handle(new Event.AddFile(0, new FileJob(FilePlan.synthetic("f", 1300, 1000), THREE)));
        sim.handle(new Event.BytesArrived(0.010, 0, 0));
        sim.handle(new Event.PieceVerified(0.014, 0, 0));
        assertThat(sim.book().throughput(0)).isCloseTo(1000 / 0.004, org.assertj.core.api.Assertions.within(1e-6));
    }

    @Test
    void anAnswerThatCameMostlyWithItsFirstReportGivesNoRateButCountsAsWhole() {
        // A small file's answer read as 3,564 bytes, then 532 bytes 1.5 ms later: the 532 bytes time how the
        // answer was cut into reads, not the link (357 KB/s of a 24 MiB/s mirror). Its answers cost it its
        // latency instead, as those that come in one read do.
        Scheduler s = new Scheduler(workQueue(1, 4096).withConnections(1, 1, 0).withEarlyRequests(8));
        s.handle(new Event.AddFile(0, new FileJob(FilePlan.synthetic("a", 4096, 4096), THREE)));
        s.handle(new Event.BytesArrived(0.020, 0, 3564));
        s.handle(new Event.PieceVerified(0.0215, 0, 0));
        assertThat(s.book().hasThroughput(0)).isFalse();
        assertThat(s.book().answersWhole(0)).isTrue();
        // Past half of it after the first report, it is timed as before.
        Scheduler t = new Scheduler(workQueue(1, 4096).withConnections(1, 1, 0).withEarlyRequests(8));
        t.handle(new Event.AddFile(0, new FileJob(FilePlan.synthetic("a", 4096, 4096), THREE)));
        t.handle(new Event.BytesArrived(0.020, 0, 2000));
        t.handle(new Event.PieceVerified(0.022, 0, 0));
        assertThat(t.book().throughput(0)).isCloseTo(2096 / 0.002, org.assertj.core.api.Assertions.within(1e-6));
        assertThat(t.book().answersWhole(0)).isFalse();
    }

    @Test
    void theLastPieceIsShorterAndTheFileCompletesWhenEveryPieceIsVerified() {
        Scheduler s = new Scheduler(workQueue(8, 100).withConnections(1, 1, 0));
        StartRequest r = starts(s.handle(new Event.AddFile(0, new FileJob(FilePlan.synthetic("f", 250, 100), THREE)))).get(0);
        assertThat(r.range()).isEqualTo(new ByteRange(0, 250));
        s.handle(new Event.PieceVerified(1, 0, 0));
        s.handle(new Event.PieceVerified(1, 0, 1));
        List<Action> a = s.handle(new Event.PieceVerified(1, 0, 2));
        assertThat(a).containsExactly(new FileCompleted(0));
        assertThat(s.isFinished()).isTrue();
        assertThat(s.stats().verifiedBytes()).isEqualTo(250);
        s.handle(new Event.SlotFree(1, 0));
        assertThat(s.liveRequests()).isZero();
    }

    @Test
    void anEmptyFileCompletesAtOnceAndAFileNobodyListsFails() {
        Scheduler s = new Scheduler(SchedulerConfig.defaults());
        assertThat(s.handle(new Event.AddFile(0, new FileJob(FilePlan.synthetic("e", 0, 100), THREE))))
                .containsExactly(new FileCompleted(0));
        assertThat(s.handle(new Event.AddFile(0, new FileJob(FilePlan.synthetic("n", 10, 100), List.of()))))
                .containsExactly(new FileFailed(1, "no mirror lists this file"));
        assertThat(s.status(0)).isEqualTo(Scheduler.FileStatus.COMPLETE);
        assertThat(s.status(1)).isEqualTo(Scheduler.FileStatus.FAILED);
    }

    @Test
    void eventsThatBreakTheProtocolAreRefused() {
        Scheduler s = new Scheduler(workQueue(1, 100).withConnections(1, 1, 0));
        s.handle(new Event.AddFile(5, new FileJob(FilePlan.synthetic("f", 300, 100), THREE)));
        assertThatThrownBy(() -> s.handle(new Event.Timer(4))).hasMessageContaining("time went backwards");
        assertThatThrownBy(() -> s.handle(new Event.PieceVerified(6, 7, 0))).hasMessageContaining("unknown request 7");
        assertThatThrownBy(() -> s.handle(new Event.PieceVerified(6, 0, 1))).hasMessageContaining("next piece is 0");
        assertThatThrownBy(() -> s.handle(new Event.Timer(Double.NaN))).hasMessageContaining("finite");
        s.handle(new Event.PieceVerified(6, 0, 0));
        s.handle(new Event.SlotFree(6, 0));
        assertThatThrownBy(() -> s.handle(new Event.SlotFree(7, 0))).hasMessageContaining("already ended");
    }

    @Test
    void aCorruptPieceIsRefetchedFromAnotherMirrorAndItsMirrorExcludedForTheDownload() {
        Scheduler s = new Scheduler(workQueue(2, 100).withConnections(1, 1, 0));
        assertThat(firstPieceFailsOnM0(s)).containsExactly(new CancelRequest(0, "mirror excluded: piece hash mismatch"));
        assertThat(s.book().isUsable(0, 1e9)).isFalse();
        assertRefetchedFromM1(s);
    }

    @Test
    void underAHigherBadPieceLimitACorruptPieceBansItsMirror() {
        Scheduler s = new Scheduler(workQueue(2, 100).withConnections(1, 1, 0).withBans(1.0, 300.0, 5, 3));
        assertThat(firstPieceFailsOnM0(s))
                .containsExactly(new CancelRequest(0, "mirror banned: piece hash mismatch"), new WakeAt(2.0));
        assertThat(s.book().isBanned(0, 1)).isTrue();
        assertRefetchedFromM1(s);
    }

    /** One file of three 100-byte pieces on three mirrors; the first piece from m0 fails its hash at t = 1. */
    private static List<Action> firstPieceFailsOnM0(Scheduler s) {
        s.handle(new Event.AddFile(0, new FileJob(FilePlan.synthetic("f", 300, 100), THREE)));
        return s.handle(new Event.PieceFailed(1, 0, 0, FailureReason.HASH_MISMATCH));
    }

    private static void assertRefetchedFromM1(Scheduler s) {
        assertThat(s.file(0).isDone(0)).isFalse();
        List<Action> b = s.handle(new Event.SlotFree(1, 0));
        assertThat(starts(b)).extracting(StartRequest::mirrorId, StartRequest::firstPiece, StartRequest::endPiece)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("m1", 0, 2));
        assertThat(s.stats().wastedBytes()).isEqualTo(100);
        assertThat(s.stats().piecesFailed()).isEqualTo(1);
    }

    @Test
    void aMirrorWithoutTheFileIsDroppedForThatFileOnly() {
        Scheduler s = new Scheduler(workQueue(1, 100).withConnections(1, 1, 0));
        List<Mirror> two = List.of(Mirror.of("m0"), Mirror.of("m1"));
        s.handle(new Event.AddFile(0, new FileJob(FilePlan.synthetic("a", 100, 100), two)));
        s.handle(new Event.AddFile(0, new FileJob(FilePlan.synthetic("b", 100, 100), two)));
        List<Action> a = s.handle(new Event.RequestFailed(1, 0, FailureReason.NOT_FOUND));
        assertThat(s.file(0).isDropped(0)).isTrue();
        assertThat(s.file(1).isDropped(0)).isFalse();
        // The next free slot goes to file "a" on m1: m0 cannot serve it any more, but it is not banned.
        assertThat(starts(a)).extracting(StartRequest::file, StartRequest::mirrorId).containsExactly(
                org.assertj.core.groups.Tuple.tuple(0, "m1"));
        s.handle(new Event.PieceVerified(2, 1, 0));
        List<Action> b = s.handle(new Event.SlotFree(2, 1));
        assertThat(starts(b)).extracting(StartRequest::file, StartRequest::mirrorId).containsExactly(
                org.assertj.core.groups.Tuple.tuple(1, "m0"));
    }

    @Test
    void mirrorsFoundToServeAnotherVersionAreDroppedForThatFileOnly() {
        Scheduler s = new Scheduler(workQueue(1, 100).withConnections(2, 1, 0));
        List<Mirror> two = List.of(Mirror.of("m0"), Mirror.of("m1"));
        List<Action> a = s.handle(new Event.AddFile(0, new FileJob(FilePlan.synthetic("a", 200, 100), two)));
        assertThat(starts(a)).extracting(StartRequest::request, StartRequest::file, StartRequest::mirrorId, StartRequest::firstPiece)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(0, 0, "m0", 0), org.assertj.core.groups.Tuple.tuple(1, 0, "m1", 1));
        s.handle(new Event.AddFile(0, new FileJob(FilePlan.synthetic("b", 300, 100), two)));
        // m0's piece 0 of "a" fails its hash: m0 is excluded, for "b" too ...
        s.handle(new Event.PieceFailed(1, 0, 0, FailureReason.HASH_MISMATCH));
        assertThat(s.book().isExcluded(0)).isTrue();
        s.handle(new Event.SlotFree(1, 0));
        // ... until m1's piece 1 of "a" has the same bad bytes: the shell tells both, and both are dropped for "a"
        // only; m0 takes up "b" at once
        List<Action> b = s.handle(new Event.OtherVersion(2, 0, "m0"));
        assertThat(s.book().isExcluded(0)).isFalse();
        assertThat(s.book().badPieces(0)).isZero();
        assertThat(starts(b)).extracting(StartRequest::file, StartRequest::mirrorId)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1, "m0"));
        s.handle(new Event.PieceFailed(2, 1, 1, FailureReason.STALE));
        List<Action> c = s.handle(new Event.SlotFree(2, 1));
        assertThat(c).contains(new FileFailed(0, "no usable mirror left: m0 dropped (mirror serves a different version); "
                + "m1 dropped (mirror serves a different version)"));
        assertThat(starts(c)).extracting(StartRequest::file, StartRequest::mirrorId)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1, "m1"));
        assertThat(s.file(0).isDropped(0)).isTrue();
        assertThat(s.file(1).isDropped(0)).isFalse();
        assertThatThrownBy(() -> s.handle(new Event.OtherVersion(3, 2, "m0"))).hasMessageContaining("unknown file 2");
        assertThatThrownBy(() -> s.handle(new Event.OtherVersion(3, 0, "m9"))).hasMessageContaining("unknown mirror m9");
    }

    @Test
    void aMirrorServingAnotherVersionOfAThirdFileIsExcluded() {
        Scheduler s = new Scheduler(workQueue(1, 100).withConnections(2, 1, 0));
        List<Mirror> two = List.of(Mirror.of("m0"), Mirror.of("m1"));
        java.util.ArrayDeque<StartRequest> todo = new java.util.ArrayDeque<>();
        for (int f = 0; f < 5; f++) {
            todo.addAll(starts(s.handle(new Event.AddFile(0, new FileJob(FilePlan.synthetic("f" + f, 100, 100), two)))));
        }
        List<Integer> staleOnM0 = new java.util.ArrayList<>();
        double t = 1;
        while (!todo.isEmpty()) {
            StartRequest r = todo.poll();
            t += 0.1;
            if (r.mirrorId().equals("m0")) { // every file m0 is asked for is another version there
                staleOnM0.add(r.file());
                todo.addAll(starts(s.handle(new Event.RequestFailed(t, r.request(), FailureReason.STALE))));
            } else {
                s.handle(new Event.PieceVerified(t, r.request(), r.firstPiece()));
                todo.addAll(starts(s.handle(new Event.SlotFree(t, r.request()))));
            }
        }
        assertThat(staleOnM0).hasSize(MirrorBook.STALE_FILE_LIMIT).doesNotHaveDuplicates();
        assertThat(s.book().isExcluded(0)).isTrue();
        assertThat(s.book().exclusionReason(0)).isEqualTo("3 files in another version than the plan's");
        for (int f = 0; f < 5; f++) {
            assertThat(s.status(f)).isEqualTo(Scheduler.FileStatus.COMPLETE);
        }
    }

    @Test
    void aFileFailsWithEveryMirrorsReasonOnlyWhenNoneMayServeIt() {
        Scheduler s = new Scheduler(workQueue(1, 100).withConnections(1, 1, 0).withBans(1, 10, 2, 3));
        List<Mirror> two = List.of(Mirror.of("m0"), Mirror.of("m1"));
        s.handle(new Event.AddFile(0, new FileJob(FilePlan.synthetic("f", 100, 100), two)));
        s.handle(new Event.RequestFailed(1, 0, FailureReason.NOT_FOUND));       // m0 dropped for the file
        s.handle(new Event.RequestFailed(2, 1, FailureReason.CONNECT_FAILED));  // m1 banned, one strike
        assertThat(s.status(0)).isEqualTo(Scheduler.FileStatus.ACTIVE);
        List<Action> a = s.handle(new Event.Timer(3));                          // ban over: retried
        assertThat(starts(a)).hasSize(1);
        List<Action> b = s.handle(new Event.RequestFailed(4, 2, FailureReason.CONNECT_FAILED));
        assertThat(b).containsExactly(new FileFailed(0, "no usable mirror left: m0 dropped (file not found on mirror); "
                + "m1 excluded (2 failures in a row and never answered, last: connection failed)"));
    }

    @Test
    void onceMeasuredAMirrorsSamplesSpanAtLeastAPieceOr256KiB() {
        // Pieces of 64 KiB: a sample spans 64 KiB. A small file's few bytes read in one clump are no sample.
        Scheduler s = new Scheduler(workQueue(4, 64 << 10).withConnections(1, 1, 0));
        s.handle(new Event.AddFile(0, new FileJob(FilePlan.synthetic("big", 4 << 16, 64 << 10), THREE)));
        s.handle(new Event.AddFile(0, new FileJob(FilePlan.synthetic("small", 3000, 64 << 10), THREE)));
        s.handle(new Event.BytesArrived(0.010, 0, 0));
        s.handle(new Event.PieceVerified(0.020, 0, 0));
        assertThat(s.book().throughputSamples(0)).isEqualTo(1); // a first sample: any span
        s.handle(new Event.PieceVerified(0.030, 0, 1));
        s.handle(new Event.PieceVerified(0.040, 0, 2));
        s.handle(new Event.PieceVerified(0.050, 0, 3));
        s.handle(new Event.SlotFree(0.050, 0));
        assertThat(s.book().throughputSamples(0)).isEqualTo(4);
        assertThat(s.book().throughput(0)).isCloseTo((64 << 10) / 0.010, org.assertj.core.api.Assertions.within(1e-3));
        // The small file: 1,000 bytes with the first report, 2,000 more 0.1 ms later (20 MB/s, twice the link).
        s.handle(new Event.BytesArrived(0.060, 1, 1000));
        s.handle(new Event.BytesArrived(0.0601, 1, 2000));
        s.handle(new Event.PieceVerified(0.0601, 1, 0));
        assertThat(s.book().throughputSamples(0)).isEqualTo(4);
        assertThat(s.book().throughput(0)).isCloseTo((64 << 10) / 0.010, org.assertj.core.api.Assertions.within(1e-3));
    }

    @Test
    void aBannedMirrorIsRetriedWhenItsBanEnds() {
        Scheduler s = new Scheduler(workQueue(1, 100).withConnections(4, 1, 0).withBans(1.5, 10, 5, 3));
        s.handle(new Event.AddFile(0, new FileJob(FilePlan.synthetic("f", 100, 100), List.of(Mirror.of("only")))));
        List<Action> a = s.handle(new Event.RequestFailed(2, 0, FailureReason.TIMEOUT));
        assertThat(a).containsExactly(new WakeAt(3.5));
        assertThat(starts(s.handle(new Event.Timer(3.0)))).isEmpty();
        assertThat(starts(s.handle(new Event.Timer(3.5)))).hasSize(1);
    }

    @Test
    void firstByteGivesLatencyAndPiecesGiveThroughput() {
        Scheduler s = new Scheduler(workQueue(4, 1000).withConnections(1, 1, 0));
        s.handle(new Event.AddFile(0, new FileJob(FilePlan.synthetic("f", 4000, 1000), THREE)));
        s.handle(new Event.BytesArrived(0.25, 0, 0));
        s.handle(new Event.PieceVerified(0.5, 0, 0));
        assertThat(s.book().latency(0, 0.25)).isEqualTo(0.25);
        assertThat(s.book().throughput(0)).isEqualTo(1000 / 0.25);
        s.handle(new Event.PieceVerified(1.0, 0, 1));
        assertThat(s.book().throughput(0)).isEqualTo((4000 + 2000) / 2.0);
    }

    @Test
    void aStrategyThatProposesPiecesInFlightIsStopped() {
        StrategyFactory<ChunkStrategy> broken = new StrategyFactory<>() {
            @Override
            public Family family() {
                return Family.CHUNK;
            }

            @Override
            public String id() {
                return "always-zero";
            }

            @Override
            public String summary() {
                return "proposes piece 0 again and again";
            }

            @Override
            public String origin() {
                return "a test";
            }

            @Override
            public ChunkStrategy create(Params p) {
                return v -> Assignment.fresh(0, v.choose(0, -1), 0, 1);
            }
        };
        Strategies registry = Strategies.of(List.of(broken, new SelectorInOrder.Factory(), new TailNone.Factory(),
                new ChunkSingle.Factory()));
        Scheduler s = new Scheduler(SchedulerConfig.of("always-zero").withConnections(4, 2, 0), registry, TraceSink.NONE);
        assertThatThrownBy(() -> s.handle(new Event.AddFile(0, new FileJob(FilePlan.synthetic("f", 300, 100), THREE))))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("proposed piece 0 of file 0, which is not free");
    }

    @Test
    void piecesHeldWhenAFileIsAddedAreNeverAskedFor() {
        Scheduler s = new Scheduler(workQueue(2, 100).withConnections(1, 1, 0));
        java.util.BitSet have = new java.util.BitSet();
        have.set(0, 2);
        have.set(3);
        List<Action> first = s.handle(new Event.AddFile(0, new FileJob(FilePlan.synthetic("f", 500, 100), THREE, have)));
        assertThat(starts(first)).extracting(StartRequest::firstPiece, StartRequest::endPiece)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(2, 3));
        assertThat(s.stats().obtainedBytes()).isEqualTo(300);
        // A file held whole completes as it is added, asking nothing.
        java.util.BitSet all = new java.util.BitSet();
        all.set(0, 3);
        List<Action> whole = s.handle(new Event.AddFile(1, new FileJob(FilePlan.synthetic("g", 300, 100), THREE, all)));
        assertThat(whole).containsExactly(new FileCompleted(1));
    }

    @Test
    void piecesObtainedElsewhereAreNotFetchedAndCancelTheRequestsHoldingThem() {
        Scheduler s = new Scheduler(workQueue(2, 100).withConnections(1, 1, 0));
        s.handle(new Event.AddFile(0, new FileJob(FilePlan.synthetic("f", 500, 100), THREE)));
        // Request 0 holds pieces 0 and 1; both arrive from a peer.
        assertThat(s.handle(new Event.PieceObtained(1, 0, 0))).isEmpty();
        assertThat(s.handle(new Event.PieceObtained(1, 0, 1)))
                .containsExactly(new CancelRequest(0, "its pieces were verified from another mirror"));
        assertThat(s.handle(new Event.PieceObtained(1, 0, 4))).isEmpty();
        List<Action> next = s.handle(new Event.SlotFree(2, 0));
        assertThat(starts(next)).extracting(StartRequest::firstPiece, StartRequest::endPiece)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(2, 4));
        s.handle(new Event.PieceObtained(3, 0, 2));
        assertThat(s.handle(new Event.PieceObtained(3, 0, 3))).startsWith(new FileCompleted(0));
        assertThat(s.stats().obtainedBytes()).isEqualTo(500);
        assertThat(s.stats().verifiedBytes()).isZero();
        assertThatThrownBy(() -> s.handle(new Event.PieceObtained(4, 0, 5))).hasMessageContaining("piece 5 of 5");
    }

    @Test
    void theTraceRecordsEveryEventAndAction() {
        DecisionTrace t = new DecisionTrace();
        Scheduler s = new Scheduler(workQueue(1, 100).withConnections(1, 1, 0), t);
        s.handle(new Event.AddFile(0, new FileJob(FilePlan.synthetic("f", 100, 100), THREE)));
        s.handle(new Event.PieceVerified(1, 0, 0));
        assertThat(t.events()).hasSize(2);
        assertThat(t.actions()).containsExactly(
                new StartRequest(0, 0, 0, "m0", 0, 1, new ByteRange(0, 100), Action.Purpose.NORMAL),
                new FileCompleted(0));
        assertThat(t.entries()).extracting(DecisionTrace.Entry::time).containsExactly(0.0, 0.0, 1.0, 1.0);
    }
}
