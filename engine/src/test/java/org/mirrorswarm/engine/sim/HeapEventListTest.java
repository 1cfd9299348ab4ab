package org.mirrorswarm.engine.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import umontreal.ssj.simevents.Event;
import umontreal.ssj.simevents.Simulator;
import umontreal.ssj.simevents.eventlist.SplayTree;

class HeapEventListTest {

    /** Records its name when it runs. */
    static final class Named extends Event {
        final String name;
        final List<String> log;

        Named(Simulator sim, String name, List<String> log) {
            super(sim);
            this.name = name;
            this.log = log;
        }

        @Override
        public void actions() {
            log.add(name + "@" + simulator().time());
        }
    }

    @Test
    void runsByTimeThenPriorityThenInsertionOrder() {
        Simulator sim = new Simulator(new HeapEventList());
        List<String> log = new ArrayList<>();
        new Named(sim, "c", log).schedule(2);
        new Named(sim, "a1", log).schedule(1);
        Named low = new Named(sim, "p0", log);
        low.setPriority(0.5);
        low.schedule(1);
        new Named(sim, "a2", log).schedule(1);
        new Named(sim, "a3", log).schedule(1);
        sim.start();
        assertThat(log).containsExactly("p0@1.0", "a1@1.0", "a2@1.0", "a3@1.0", "c@2.0");
    }

    @Test
    void cancelAndRescheduleFindTheEventDirectly() {
        Simulator sim = new Simulator(new HeapEventList());
        List<String> log = new ArrayList<>();
        Named x = new Named(sim, "x", log);
        Named y = new Named(sim, "y", log);
        Named z = new Named(sim, "z", log);
        x.schedule(1);
        y.schedule(2);
        z.schedule(3);
        assertThat(y.cancel()).isTrue();
        z.reschedule(0.5);
        sim.start();
        assertThat(log).containsExactly("z@0.5", "x@1.0");
        assertThat(x.getRa()).isEqualTo(-1);
    }

    @Test
    void scheduleNextGoesBeforeEventsDueNow() {
        Simulator sim = new Simulator(new HeapEventList());
        List<String> log = new ArrayList<>();
        Event first = new Event(sim) {
            @Override
            public void actions() {
                new Named(sim, "later", log).schedule(0);
                new Named(sim, "next", log).scheduleNext();
            }
        };
        first.schedule(1);
        sim.start();
        assertThat(log).containsExactly("next@1.0", "later@1.0");
    }

    @Test
    void agreesWithSsjsSplayTreeOnARandomHoldModel() {
        // Same random schedule/cancel/run sequence on both lists: identical order of execution
        // (SSJ's lists also break ties first in, first out).
        assertThat(run(new HeapEventList())).isEqualTo(run(new SplayTree()));
    }

    private static List<String> run(umontreal.ssj.simevents.eventlist.EventList list) {
        Simulator sim = new Simulator(list);
        List<String> log = new ArrayList<>();
        SplittableRandom r = new SplittableRandom(99);
        List<Named> pending = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            Named e = new Named(sim, "e" + i, log);
            // Coarse times make many ties.
            e.schedule(r.nextInt(50));
            pending.add(e);
        }
        for (int i = 0; i < 300; i++) {
            pending.get(r.nextInt(pending.size())).cancel();
        }
        sim.start();
        return log;
    }

    /** An interrupt ends a run within a few thousand events, with the interrupt status left set. */
    @Test
    void anInterruptEndsTheRun() {
        HeapEventList list = new HeapEventList();
        Simulator sim = new Simulator(list);
        new Event(sim) {
            @Override
            public void actions() {
                if (list.executed() == 10) {
                    Thread.currentThread().interrupt();
                }
                if (list.executed() < 100L * HeapEventList.CHECK_EVERY) {
                    schedule(1);
                }
            }
        }.schedule(0);
        try {
            assertThatThrownBy(sim::start).isInstanceOf(java.util.concurrent.CancellationException.class);
            assertThat(list.executed()).isBetween(11L, 10L + HeapEventList.CHECK_EVERY);
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }
}
