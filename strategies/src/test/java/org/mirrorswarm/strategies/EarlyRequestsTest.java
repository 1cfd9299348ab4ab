package org.mirrorswarm.strategies;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mirrorswarm.strategies.Action.StartRequest;
import org.mirrorswarm.strategies.Action.WakeAt;

/**
 * {@link SchedulerConfig#earlyRequests}: a mirror at its connection limit takes the next request when what
 * it was asked for should arrive within its typical latency, so that the next answer follows without a round
 * trip of idle link; and a mirror that turns such requests away is not penalised, then asked no more.
 */
class EarlyRequestsTest {
    private static final List<Mirror> ONE = List.of(Mirror.of("m0"));

    /** One piece per request, one mirror, one connection to it. */
    private static SchedulerConfig config(int pieceLength, boolean early) {
        return SchedulerConfig.of("work-queue")
                .withChunk(StrategySpec.of("work-queue").with("chunk-size", (long) pieceLength))
                .withSelector("in-order").withTail("none").withConnections(16, 1, 0).withEarlyRequests(early ? SchedulerConfig.EARLY_CONNECTIONS : 0);
    }

    private static List<StartRequest> starts(List<Action> actions) {
        return actions.stream().filter(StartRequest.class::isInstance).map(StartRequest.class::cast).toList();
    }

    private static List<WakeAt> wakes(List<Action> actions) {
        return actions.stream().filter(WakeAt.class::isInstance).map(WakeAt.class::cast).toList();
    }

    /**
     * Request 0 measures the mirror: first byte after 10 ms, then its one piece at 10 MB/s. Request 1 starts
     * when its last piece is verified (with early requests: the request has nothing left, though its
     * connection is not free yet) or when its connection is (without). Returns the actions of both events.
     */
    private static List<Action> measured(Scheduler s, int pieceLength) {
        FilePlan plan = FilePlan.synthetic("f", 100L * pieceLength, pieceLength);
        assertThat(starts(s.handle(new Event.AddFile(0, new FileJob(plan, ONE))))).hasSize(1);
        s.handle(new Event.BytesArrived(0.010, 0, 0));
        double verified = 0.010 + pieceLength / 1e7;
        List<Action> a = new java.util.ArrayList<>(s.handle(new Event.PieceVerified(verified, 0, 0)));
        a.addAll(s.handle(new Event.SlotFree(verified, 0)));
        assertThat(s.book().typicalLatency(0)).isCloseTo(0.010, within(1e-12));
        assertThat(s.book().throughput(0)).isCloseTo(1e7, within(1e-3));
        return a;
    }

    private static List<Action> measured(Scheduler s) {
        return measured(s, 100_000);
    }

    @Test
    void theNextRequestStartsOneLatencyBeforeTheLastOneEnds() {
        Scheduler s = new Scheduler(config(100_000, true));
        List<Action> a = measured(s);
        assertThat(starts(a)).singleElement().satisfies(r -> assertThat(r.firstPiece()).isEqualTo(1));
        // Request 1 should end at 0.020 + 10 ms (first byte) + 10 ms (its bytes): wake 10 ms before, at 0.030.
        assertThat(wakes(a)).singleElement().satisfies(w -> assertThat(w.time()).isCloseTo(0.030, within(1e-9)));
        assertThat(starts(s.handle(new Event.Timer(0.029)))).isEmpty();
        List<StartRequest> early = starts(s.handle(new Event.Timer(0.0301)));
        assertThat(early).singleElement().satisfies(r -> {
            assertThat(r.mirrorId()).isEqualTo("m0");
            assertThat(r.firstPiece()).isEqualTo(2);
        });
        assertThat(s.book().inFlight(0)).isEqualTo(2);
        // Request 2 has all its bytes to come: nothing more until request 1 is nearly done with it.
        assertThat(starts(s.handle(new Event.Timer(0.031)))).isEmpty();
    }

    /**
     * Request 1 (early, from {@link #measured}) gets its first byte after the mirror's 10 ms; request 2 is
     * pipelined behind it at 0.0301; request 1's one piece is in at {@code done}, and request 2's first byte
     * comes at {@code first}.
     */
    private static Scheduler queuedBehind(double done, double first) {
        Scheduler s = new Scheduler(config(100_000, true).withEarlyPipelined(true));
        measured(s);
        s.handle(new Event.BytesArrived(0.030, 1, 0));
        assertThat(s.book().typicalLatency(0)).isCloseTo(0.010, within(1e-12)); // a pause of 10 ms: a round trip
        assertThat(starts(s.handle(new Event.Timer(0.0301)))).singleElement()
                .satisfies(r -> assertThat(r.request()).isEqualTo(2));
        s.handle(new Event.PieceVerified(done, 1, 1));
        s.handle(new Event.BytesArrived(first, 2, 0));
        return s;
    }

    @Test
    void anAnswerThatWaitedBehindTheOneAheadOfItDoesNotRaiseTheMirrorsLatency() {
        // Request 1's answer slowed down and ended at 0.080; request 2's followed it at once, 50 ms after it
        // was sent. Taken as a round trip, the 50 ms made the next requests go out 50 ms ahead, so that their
        // waits were as long: the queue grew by what it measured.
        Scheduler s = queuedBehind(0.080, 0.0801);
        assertThat(s.book().typicalLatency(0)).isCloseTo(0.010, within(1e-12));
    }

    @Test
    void anAnswerThatCameAfterAPauseIsARoundTrip() {
        // Request 1's answer ended at 0.040 and request 2's came 30 ms later: the link was idle, request 2
        // reached the mirror after it had sent everything, and its 39.9 ms are what a request now waits.
        Scheduler s = queuedBehind(0.040, 0.070);
        assertThat(s.book().typicalLatency(0)).isCloseTo((0.010 + 0.010 + 0.0399) / 3, within(1e-12));
    }

    /**
     * One mirror answering 200 KB ranges at 1 MB/s, 10 ms away: request 0 measures it, request 1 starts as
     * request 0's piece is in (0.210) and has its first byte at 0.220. Returns the requests started by then and
     * at 0.221.
     */
    private static List<StartRequest> slowShortAnswers(Scheduler s) {
        FilePlan plan = FilePlan.synthetic("f", 100L * 200_000, 200_000);
        assertThat(starts(s.handle(new Event.AddFile(0, new FileJob(plan, ONE))))).hasSize(1);
        s.handle(new Event.BytesArrived(0.010, 0, 0));
        assertThat(starts(s.handle(new Event.PieceVerified(0.210, 0, 0)))).hasSize(1);
        s.handle(new Event.SlotFree(0.210, 0));
        List<Action> a = new java.util.ArrayList<>(s.handle(new Event.BytesArrived(0.220, 1, 0)));
        a.addAll(s.handle(new Event.Timer(0.221)));
        return starts(a);
    }

    @Test
    void oneRequestAlwaysWaitsBehindAShortAnswerInProgressOnAPipelinedConnection() {
        // Answers of 0.2 s against a latency of 10 ms: by the rule alone, the next request would go out 10 ms
        // before the answer's end, and a misjudged answer (a mirror that trickles its last bytes) left the
        // link idle between answers. Pipelined, one request waits behind a short one as soon as it is coming.
        Scheduler s = new Scheduler(config(200_000, true).withEarlyPipelined(true));
        assertThat(slowShortAnswers(s)).singleElement().satisfies(r -> assertThat(r.request()).isEqualTo(2));
        // Only one: the next goes out when all that is asked should be delivered within the latency.
        assertThat(starts(s.handle(new Event.Timer(0.25)))).isEmpty();
        // On connections of their own (not pipelined), the rule alone.
        assertThat(slowShortAnswers(new Scheduler(config(200_000, true)))).isEmpty();
    }

    @Test
    void pipelinedEarlyRequestsHoldNoConnectionOfTheBudgetSoOneMirrorCannotTakeAnothersShare() {
        // 100 files of 4 KiB from four mirrors, one connection each, a budget of six connections. Every first
        // answer comes whole, so each mirror may take eight early requests at once.
        List<Mirror> four = List.of(Mirror.of("m0"), Mirror.of("m1"), Mirror.of("m2"), Mirror.of("m3"));
        for (boolean pipelined : new boolean[] {true, false}) {
            SchedulerConfig c = SchedulerConfig.of("work-queue")
                    .withChunk(StrategySpec.of("work-queue").with("chunk-size", 4096L))
                    .withSelector("in-order").withTail("none").withConnections(6, 1, 0).withEarlyRequests(8)
                    .withEarlyPipelined(pipelined);
            Scheduler s = new Scheduler(c);
            int started = 0;
            for (int f = 0; f < 100; f++) {
                started += starts(s.handle(new Event.AddFile(0, new FileJob(FilePlan.synthetic("f" + f, 4096, 4096), four)))).size();
            }
            assertThat(started).as("one per mirror").isEqualTo(4);
            for (int r = 0; r < 4; r++) {
                s.handle(new Event.BytesArrived(0.020, r, 4096));
                s.handle(new Event.PieceVerified(0.020, r, 0));
            }
            if (pipelined) {
                // Queued on the mirrors' four connections: each takes its eight, the budget's two left unused.
                for (int m = 0; m < 4; m++) {
                    assertThat(s.book().inFlight(m)).as("requests on m%d", m).isEqualTo(1 + 8);
                }
            } else {
                // Each early request may be a connection of its own: six in all, whichever mirrors took them.
                assertThat(s.liveRequests()).isEqualTo(6);
            }
        }
    }

    @Test
    void aMirrorTheShellCannotPipelineHasItsEarlyRequestsCountedAsConnections() {
        // As above, pipelined: four mirrors with one connection and eight early requests each, budget six.
        // Then the shell finds it cannot pipeline to m0 (it dropped pipelined requests): its eight are now
        // connections of their own, twelve of six, so it gets no new one when one of its requests ends; a
        // mirror still pipelined does.
        List<Mirror> four = List.of(Mirror.of("m0"), Mirror.of("m1"), Mirror.of("m2"), Mirror.of("m3"));
        for (boolean told : new boolean[] {false, true}) {
            Scheduler s = new Scheduler(SchedulerConfig.of("work-queue")
                    .withChunk(StrategySpec.of("work-queue").with("chunk-size", 4096L))
                    .withSelector("in-order").withTail("none").withConnections(6, 1, 0).withEarlyRequests(8)
                    .withEarlyPipelined(true));
            for (int f = 0; f < 100; f++) {
                s.handle(new Event.AddFile(0, new FileJob(FilePlan.synthetic("f" + f, 4096, 4096), four)));
            }
            for (int r = 0; r < 4; r++) {
                s.handle(new Event.BytesArrived(0.020, r, 4096));
                s.handle(new Event.PieceVerified(0.020, r, 0));
            }
            assertThat(s.book().inFlight(0)).isEqualTo(9);
            if (told) {
                s.handle(new Event.NotPipelined(0.021, "m0"));
                s.handle(new Event.NotPipelined(0.021, "unknown")); // ignored
            }
            s.handle(new Event.SlotFree(0.030, 0)); // m0's first request ends
            s.handle(new Event.SlotFree(0.030, 1)); // m1's
            assertThat(s.book().inFlight(0)).as("m0, told: %s", told).isEqualTo(told ? 8 : 9);
            assertThat(s.book().inFlight(1)).as("m1, still pipelined").isEqualTo(9);
            assertThat(s.book().notPipelined(0)).isEqualTo(told);
        }
    }

    @Test
    void withoutEarlyRequestsTheMirrorWaitsForTheEnd() {
        Scheduler s = new Scheduler(config(100_000, false));
        List<Action> a = measured(s);
        assertThat(starts(a)).singleElement().satisfies(r -> assertThat(r.firstPiece()).isEqualTo(1));
        assertThat(wakes(a)).isEmpty();
        assertThat(starts(s.handle(new Event.Timer(0.0301)))).isEmpty();
        s.handle(new Event.BytesArrived(0.031, 1, 0));
        assertThat(starts(s.handle(new Event.PieceVerified(0.041, 1, 1)))).isEmpty();
        assertThat(starts(s.handle(new Event.SlotFree(0.041, 1)))).singleElement()
                .satisfies(r -> assertThat(r.firstPiece()).isEqualTo(2));
    }

    @Test
    void atMostTwoRequestsPastTheLimitEvenForAnswersShorterThanARoundTrip() {
        // Pieces of 1,000 bytes take 0.1 ms at the mirror's rate: a round trip's worth is a hundred of them.
        Scheduler s = new Scheduler(config(1_000, true));
        measured(s, 1_000);
        int most = 0;
        for (double t = 0.011; t < 0.1; t += 0.0005) {
            s.handle(new Event.Timer(t));
            most = Math.max(most, s.book().inFlight(0));
        }
        assertThat(most).isEqualTo(1 + SchedulerConfig.EARLY_CONNECTIONS);
    }

    @Test
    void answersThatComeWholeWithTheirFirstBytesNeedNoRateForEarlyRequests() {
        // A live client tells its first bytes at once; a small file comes whole in its first read, so there is
        // no span to measure a rate over. Its answers cost the mirror's latency, not their length: the mirror
        // takes early requests all the same (before, it never did: one small file per round trip).
        Scheduler s = new Scheduler(config(1_000, true));
        FilePlan plan = FilePlan.synthetic("f", 100L * 1_000, 1_000);
        assertThat(starts(s.handle(new Event.AddFile(0, new FileJob(plan, ONE))))).hasSize(1);
        s.handle(new Event.BytesArrived(0.010, 0, 1_000));
        s.handle(new Event.PieceVerified(0.0101, 0, 0));
        s.handle(new Event.SlotFree(0.0101, 0));
        assertThat(s.book().throughput(0)).isNaN();
        assertThat(s.book().answersWhole(0)).isTrue();
        s.handle(new Event.Timer(0.0102));
        assertThat(s.book().inFlight(0)).isEqualTo(1 + SchedulerConfig.EARLY_CONNECTIONS);

        // Without early requests nothing changes; and answers timed over several reports are not "whole".
        Scheduler without = new Scheduler(config(1_000, false));
        without.handle(new Event.AddFile(0, new FileJob(plan, ONE)));
        without.handle(new Event.BytesArrived(0.010, 0, 1_000));
        without.handle(new Event.PieceVerified(0.0101, 0, 0));
        without.handle(new Event.SlotFree(0.0101, 0));
        without.handle(new Event.Timer(0.0102));
        assertThat(without.book().inFlight(0)).isEqualTo(1);
        Scheduler timed = new Scheduler(config(100_000, true));
        measured(timed);
        assertThat(timed.book().answersWhole(0)).isFalse();
    }

    @Test
    void aRefusedEarlyRequestIsNoFaultAndAfterThreeTheMirrorGetsNoMore() {
        Scheduler s = new Scheduler(config(100_000, true));
        measured(s);
        List<StartRequest> started = starts(s.handle(new Event.Timer(0.0301)));
        double t = 0.0301;
        for (int refusal = 1; refusal <= 3; refusal++) {
            assertThat(started).as("early request %d", refusal).singleElement();
            t += 0.001;
            // nginx's limit_conn: 503 to the second connection of a client. The range is free again, and
            // (request 1 still ending) taken by the next early request at once, until the third refusal.
            started = starts(s.handle(new Event.RequestFailed(t, started.get(0).request(), FailureReason.HTTP_ERROR)));
            assertThat(s.book().isBanned(0, t)).isFalse();
            assertThat(s.book().consecutiveFailures(0)).isZero();
            assertThat(s.book().refusesEarly(0)).isEqualTo(refusal == 3);
        }
        assertThat(started).isEmpty();
        assertThat(starts(s.handle(new Event.Timer(t + 0.001)))).isEmpty();
        assertThat(s.book().inFlight(0)).isEqualTo(1);
    }

    @Test
    void aRefusalOfTheOrdinaryRequestItOverlappedIsNoFaultEither() {
        // The early request may reach the server first; then it is the ordinary one that gets the 503.
        Scheduler s = new Scheduler(config(100_000, true));
        measured(s);
        s.handle(new Event.Timer(0.0301)); // request 2, early, while request 1 waits for its first byte
        s.handle(new Event.RequestFailed(0.031, 1, FailureReason.HTTP_ERROR));
        assertThat(s.book().isBanned(0, 0.031)).isFalse();
        assertThat(s.book().consecutiveFailures(0)).isZero();
    }

    @Test
    void aFailureAfterTheFirstByteStillCounts() {
        Scheduler s = new Scheduler(config(100_000, true));
        measured(s);
        s.handle(new Event.Timer(0.0301)); // request 2, early
        s.handle(new Event.BytesArrived(0.0305, 2, 1000));
        s.handle(new Event.RequestFailed(0.031, 2, FailureReason.CONNECTION_LOST));
        assertThat(s.book().consecutiveFailures(0)).isEqualTo(1);
        assertThat(s.book().refusesEarly(0)).isFalse();
    }
}
