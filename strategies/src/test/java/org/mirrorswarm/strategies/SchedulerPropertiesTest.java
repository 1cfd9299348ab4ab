package org.mirrorswarm.strategies;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mirrorswarm.strategies.testing.FakeNetwork;
import org.mirrorswarm.strategies.testing.Property;
import org.mirrorswarm.strategies.testing.RandomCase;

/**
 * Invariants of the scheduler over random files, piece sizes, mirror speeds, stalls, faults and every
 * combination of chunk strategy, selector and tail policy — 1,000 cases each.
 */
class SchedulerPropertiesTest {
    private static final int TRIES = 1_000;
    private static final double FOREVER = 1e9;

    @Test
    void everyFileCompletesWhileOneHonestMirrorRemains() {
        Property.forAll("completes with one honest mirror", TRIES, RandomCase.generator(true), c -> {
            FakeNetwork.Result r = c.network().run(FOREVER);
            assertThat(r.violations()).isEmpty();
            assertThat(r.failures()).as("files that failed").isEmpty();
            assertThat(r.deadlocked()).as("deadlocked").isFalse();
            assertThat(r.allCompleted()).as("all files completed").isTrue();
            assertThat(r.outputsCorrect()).isTrue();
        });
    }

    @Test
    void everyByteOfTheResultIsCoveredExactlyOnceByVerifiedPieces() {
        Property.forAll("bytes covered exactly once", TRIES, RandomCase.generator(false), c -> {
            FakeNetwork.Result r = c.network().run(FOREVER);
            assertThat(r.violations()).isEmpty();
            for (int f = 0; f < c.files().size(); f++) {
                if (Double.isNaN(r.completionTimes()[f])) {
                    continue;
                }
                FilePlan plan = r.scheduler().file(f).plan();
                long next = 0;
                for (int p = 0; p < plan.pieceCount(); p++) {
                    assertThat(plan.pieceStart(p)).as("piece %d starts where the previous ended", p).isEqualTo(next);
                    next += plan.pieceLength(p);
                    assertThat(r.acceptCounts()[f][p]).as("acceptances of piece %d of file %d", p, f).isEqualTo(1);
                }
                assertThat(next).as("pieces cover the file").isEqualTo(plan.size());
            }
            assertThat(r.outputsCorrect()).isTrue();
        });
    }

    @Test
    void noPieceIsAcceptedUnlessItsHashMatched() {
        Property.forAll("no unverified piece accepted", TRIES, RandomCase.generator(false), c -> {
            FakeNetwork.Result r = c.network().run(FOREVER);
            // The network records any piece that became done on an event other than a verified delivery,
            // and any accepted piece whose bytes did not hash right; a completed file must be byte-exact.
            assertThat(r.violations()).isEmpty();
            assertThat(r.outputsCorrect()).isTrue();
            assertThat(r.deadlocked()).as("deadlocked").isFalse();
            for (int f = 0; f < c.files().size(); f++) {
                boolean done = !Double.isNaN(r.completionTimes()[f]);
                assertThat(done || r.failures().containsKey(f)).as("file %d completed or failed", f).isTrue();
            }
        });
    }

    @Test
    void connectionLimitsAreNeverExceeded() {
        Property.forAll("connection limits", TRIES, RandomCase.generator(false), c -> {
            FakeNetwork.Result r = c.network().traced().run(FOREVER);
            SchedulerConfig cfg = c.config();
            Map<Integer, int[]> live = new HashMap<>(); // request -> {file, mirror}
            Map<String, Integer> ownLimit = new HashMap<>();
            c.mirrors().forEach(m -> ownLimit.put(m.id(), m.maxConnections()));
            for (DecisionTrace.Entry e : r.trace().entries()) {
                if (e instanceof DecisionTrace.Out o && o.action() instanceof Action.StartRequest s) {
                    live.put(s.request(), new int[] {s.file(), s.mirror()});
                    assertThat(live.size()).as("connections in total").isLessThanOrEqualTo(cfg.maxConnections());
                    long onMirror = live.values().stream().filter(v -> v[1] == s.mirror()).count();
                    int own = ownLimit.get(s.mirrorId());
                    int limit = own > 0 ? Math.min(own, cfg.maxPerMirror()) : cfg.maxPerMirror();
                    assertThat(onMirror).as("connections to %s", s.mirrorId()).isLessThanOrEqualTo(limit);
                    if (cfg.maxPerFile() > 0) {
                        long onFile = live.values().stream().filter(v -> v[0] == s.file()).count();
                        assertThat(onFile).as("connections for file %d", s.file()).isLessThanOrEqualTo(cfg.maxPerFile());
                    }
                } else if (e instanceof DecisionTrace.In in) {
                    if (in.event() instanceof Event.SlotFree f) {
                        assertThat(live.remove(f.request())).isNotNull();
                    } else if (in.event() instanceof Event.RequestFailed f) {
                        assertThat(live.remove(f.request())).isNotNull();
                    }
                }
            }
        });
    }

    @Test
    void identicalInputsGiveIdenticalDecisions() {
        Property.forAll("deterministic", TRIES, RandomCase.generator(false), c -> {
            FakeNetwork.Result a = c.network().traced().run(FOREVER);
            FakeNetwork.Result b = c.network().traced().run(FOREVER);
            List<String> ta = TraceCodec.format(c.config(), a.trace().entries());
            List<String> tb = TraceCodec.format(c.config(), b.trace().entries());
            assertThat(tb).isEqualTo(ta);

            // Replaying the recorded events, parsed back from text, gives the same actions.
            TraceCodec.Parsed parsed = TraceCodec.parse(ta);
            DecisionTrace replay = new DecisionTrace();
            Scheduler s = new Scheduler(parsed.config(), replay);
            List<Action> actions = new ArrayList<>();
            for (Event e : parsed.events()) {
                s.handle(e, actions::add);
            }
            assertThat(actions).isEqualTo(a.trace().actions());
        });
    }
}
