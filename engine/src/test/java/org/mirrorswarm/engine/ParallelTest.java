package org.mirrorswarm.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.mirrorswarm.engine.sim.HeapEventList;
import umontreal.ssj.simevents.Event;
import umontreal.ssj.simevents.Simulator;

class ParallelTest {

    @Test
    void resultsComeInTaskOrderWhateverOrderTheyEndIn() {
        List<Callable<Integer>> tasks = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            int k = i;
            tasks.add(() -> {
                Thread.sleep((8 - k) * 5L);
                return k;
            });
        }
        List<Integer> heard = new ArrayList<>();
        assertThat(Parallel.run(3, tasks, heard::add)).containsExactly(0, 1, 2, 3, 4, 5, 6, 7);
        assertThat(heard).containsExactlyInAnyOrder(0, 1, 2, 3, 4, 5, 6, 7);
    }

    /**
     * A failed task's error reaches the caller only once the other runs have stopped: an out-of-memory error is
     * reported by the caller, which needs what the other runs held to be garbage by then.
     */
    @Test
    void aFailureIsRethrownOnlyAfterTheOtherRunsHaveStopped() {
        CountDownLatch simulating = new CountDownLatch(1);
        AtomicBoolean ended = new AtomicBoolean();
        Callable<Integer> endless = () -> {
            try {
                Simulator sim = new Simulator(new HeapEventList());
                new Event(sim) {
                    @Override
                    public void actions() {
                        simulating.countDown();
                        schedule(1); // forever
                    }
                }.schedule(0);
                sim.start();
                return 0;
            } finally {
                ended.set(true);
            }
        };
        Callable<Integer> failing = () -> {
            simulating.await();
            throw new OutOfMemoryError("Java heap space");
        };
        assertThatThrownBy(() -> Parallel.run(2, List.of(endless, failing), r -> { }))
                .isInstanceOf(OutOfMemoryError.class).hasMessage("Java heap space");
        assertThat(ended).isTrue();
    }

    @Test
    void aCheckedExceptionComesWrappedAndNoTasksMeanNoResults() {
        Callable<Integer> failing = () -> {
            throw new java.io.IOException("disk");
        };
        assertThatThrownBy(() -> Parallel.run(2, List.of(() -> 1, failing), r -> { }))
                .isInstanceOf(IllegalStateException.class).hasRootCauseMessage("disk");
        assertThat(Parallel.<Integer>run(2, List.of(), r -> { })).isEmpty();
    }
}
