package org.mirrorswarm.strategies.tail;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mirrorswarm.strategies.Action;
import org.mirrorswarm.strategies.Event;
import org.mirrorswarm.strategies.FileJob;
import org.mirrorswarm.strategies.FilePlan;
import org.mirrorswarm.strategies.Mirror;
import org.mirrorswarm.strategies.Scheduler;
import org.mirrorswarm.strategies.SchedulerConfig;
import org.mirrorswarm.strategies.StrategySpec;
import org.mirrorswarm.strategies.testing.FakeMirror;
import org.mirrorswarm.strategies.testing.FakeNetwork;

/** What each tail policy does once nothing is left to assign, on static-split (which never rebalances). */
class TailPoliciesTest {
    private static final int MIB = 1 << 20;
    private static final double LATENCY = 0.02;

    private static FakeNetwork.Result run(String tail, List<FakeMirror> mirrors, long size, int piece, double timeout) {
        FakeNetwork.Result r = new FakeNetwork(SchedulerConfig.of("static-split").withTail(tail), mirrors, 9)
                .lowSpeedTimeout(timeout).traced().addFile("f", size, piece).run(1e6);
        assertThat(r.violations()).isEmpty();
        assertThat(r.allCompleted()).isTrue();
        return r;
    }

    private static long count(FakeNetwork.Result r, Class<? extends Action> type) {
        return r.trace().actions().stream().filter(type::isInstance).count();
    }

    private static final List<FakeMirror> FAST_SLOW = List.of(
            FakeMirror.honest("fast", 4 * MIB, LATENCY), FakeMirror.honest("slow", MIB / 2, LATENCY));

    @Test
    void endgameCopiesTheRemainingRangeAndCancelsTheLoser() {
        FakeNetwork.Result none = run("none", FAST_SLOW, 8L * MIB, 256 << 10, 30);
        FakeNetwork.Result endgame = run("endgame", FAST_SLOW, 8L * MIB, 256 << 10, 30);
        assertThat(none.makespan()).isGreaterThan(8.0);
        assertThat(endgame.makespan()).isLessThan(0.4 * none.makespan());
        assertThat(endgame.stats().duplicatesStarted()).isEqualTo(1);
        // The copy on the fast mirror wins; the slow original is cancelled instead of finishing.
        assertThat(endgame.trace().actions()).anySatisfy(a -> {
            assertThat(a).isInstanceOf(Action.CancelRequest.class);
            assertThat(((Action.CancelRequest) a).request()).isEqualTo(1);
        });
        assertThat(endgame.stats().wastedBytes()).isPositive();
    }

    @Test
    void stealSplitsTheSlowRangeWithoutFetchingAnyByteTwice() {
        FakeNetwork.Result steal = run("steal", FAST_SLOW, 8L * MIB, 256 << 10, 30);
        double ideal = 8.0 / 4.5;
        assertThat(steal.makespan()).isLessThan(1.25 * ideal);
        assertThat(steal.stats().wastedBytes()).isZero();
        assertThat(steal.stats().duplicatesStarted()).isZero();
        assertThat(count(steal, Action.ShrinkRequest.class)).isPositive();
    }

    @Test
    void stealTakesABackPartFromAThiefThatOnlyBeatsTheVictimOnItsLastPieces() {
        // m0 holds all 16 pieces of file a (10 MB/s, 100,000-byte pieces); m1, as fast but 45 ms away, ends
        // file b. With 12 pieces (0.12 s) left on m0, m1 could not deliver all 11 after the current one
        // before m0 (0.045 + 0.11 s); it can deliver the last ones sooner (0.045 s + 0.01 s a piece).
        Scheduler s = new Scheduler(SchedulerConfig.of("work-queue")
                .withChunk(StrategySpec.of("work-queue").with("chunk-size", 1_600_000L))
                .withSelector("in-order").withTail("steal"));
        List<Mirror> two = List.of(Mirror.of("m0"), Mirror.of("m1"));
        s.handle(new Event.AddFile(0, new FileJob(FilePlan.synthetic("a", 1_600_000, 100_000), two)));
        s.handle(new Event.AddFile(0, new FileJob(FilePlan.synthetic("b", 100_000, 100_000), two)));
        s.handle(new Event.BytesArrived(0.010, 0, 0));
        for (int p = 0; p < 3; p++) {
            s.handle(new Event.PieceVerified(0.020 + 0.010 * p, 0, p));
        }
        s.handle(new Event.BytesArrived(0.045, 1, 0));
        s.handle(new Event.PieceVerified(0.050, 0, 3));
        s.handle(new Event.PieceVerified(0.055, 1, 0)); // file b done; m1 measured
        List<Action> a = s.handle(new Event.SlotFree(0.055, 1));
        // Both finish together: m0 keeps pieces 4-11 (0.08 s), m1 takes 12-15 (0.045 + 0.04 s).
        assertThat(a).anySatisfy(x -> assertThat(x).isEqualTo(new Action.ShrinkRequest(0, 12, 1_200_000)));
        assertThat(a).filteredOn(Action.StartRequest.class::isInstance).singleElement().satisfies(x -> {
            Action.StartRequest r = (Action.StartRequest) x;
            assertThat(r.mirrorId()).isEqualTo("m1");
            assertThat(r.firstPiece()).isEqualTo(12);
            assertThat(r.endPiece()).isEqualTo(16);
            assertThat(r.purpose()).isEqualTo(Action.Purpose.STOLEN);
        });
    }

    @Test
    void hedgeCopiesAStalledRequestLongBeforeTheLowSpeedTimeout() {
        List<FakeMirror> ms = List.of(FakeMirror.honest("a", 4 * MIB, LATENCY), FakeMirror.honest("b", 4 * MIB, LATENCY),
                FakeMirror.honest("stuck", 4 * MIB, LATENCY).stallAfter(MIB / 2));
        FakeNetwork.Result none = run("none", ms, 12L * MIB, 128 << 10, 60);
        FakeNetwork.Result hedge = run("hedge", ms, 12L * MIB, 128 << 10, 60);
        assertThat(none.makespan()).isGreaterThan(60);
        assertThat(hedge.makespan()).isLessThan(2.5);
        // Within budget: 5% of requests started, plus one.
        assertThat(hedge.stats().duplicatesStarted())
                .isLessThanOrEqualTo((int) Math.floor(0.05 * hedge.stats().requestsStarted()) + 1);
    }

    @Test
    void hedgeNoticesAStallThroughItsOwnTimerWhenNothingElseHappens() {
        // "a" finishes its share early and idles; "b" stalls later, when no other event is due before
        // the 60 s low-speed timeout: only the hedge's timer can notice.
        List<FakeMirror> ms = List.of(FakeMirror.honest("a", 4 * MIB, LATENCY),
                FakeMirror.honest("b", MIB, LATENCY).stallAfter(3L * MIB));
        FakeNetwork.Result hedge = run("hedge", ms, 8L * MIB, 128 << 10, 60);
        assertThat(hedge.trace().actions()).anySatisfy(a -> assertThat(a).isInstanceOf(Action.WakeAt.class));
        assertThat(hedge.makespan()).isLessThan(5.0);
        assertThat(run("none", ms, 8L * MIB, 128 << 10, 60).makespan()).isGreaterThan(60);
    }
}
