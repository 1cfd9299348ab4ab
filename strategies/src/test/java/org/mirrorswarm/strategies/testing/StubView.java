package org.mirrorswarm.strategies.testing;

import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.mirrorswarm.strategies.BookFixture;
import org.mirrorswarm.strategies.FilePlan;
import org.mirrorswarm.strategies.Mirror;
import org.mirrorswarm.strategies.MirrorBook;
import org.mirrorswarm.strategies.SchedulerConfig;
import org.mirrorswarm.strategies.spi.FileView;
import org.mirrorswarm.strategies.spi.RequestView;
import org.mirrorswarm.strategies.spi.SchedulerView;

/**
 * A scheduler view over a hand-made mirror book and one file, for testing selectors in isolation: set
 * each mirror's statistics directly, then ask the selector.
 */
public final class StubView implements SchedulerView {
    private final SchedulerConfig config;
    private final MirrorBook book;
    private final SplittableRandom random;
    private final FilePlan plan;
    private double now;

    public StubView(long seed, int pieceLength) {
        this(seed, pieceLength, SchedulerConfig.defaults().withConnections(1 << 20, 1 << 20, 0));
    }

    /** A view whose scheduler limits are {@code config}'s. */
    public StubView(long seed, int pieceLength, SchedulerConfig config) {
        this.config = config;
        this.book = BookFixture.book(config);
        this.random = new SplittableRandom(seed);
        this.plan = FilePlan.synthetic("f", (long) pieceLength * 1000, pieceLength);
    }

    /** Adds mirrors m0…m(n-1) of weight 1 and returns their numbers. */
    public int[] mirrors(int n) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = BookFixture.add(book, Mirror.of("m" + i));
        }
        return out;
    }

    public int mirror(Mirror m) {
        return BookFixture.add(book, m);
    }

    public StubView at(double time) {
        this.now = time;
        return this;
    }

    public void throughput(int m, double bytesPerSecond) {
        BookFixture.throughput(book, m, bytesPerSecond);
    }

    public void latency(int m, double seconds) {
        BookFixture.latency(book, m, seconds, now);
    }

    public void busy(int m, int requests) {
        for (int i = 0; i < requests; i++) {
            BookFixture.started(book, m);
        }
    }

    public void fail(int m) {
        BookFixture.fail(book, m, org.mirrorswarm.strategies.FailureReason.HTTP_ERROR, now);
    }

    @Override
    public double now() {
        return now;
    }

    @Override
    public SchedulerConfig config() {
        return config;
    }

    @Override
    public MirrorBook book() {
        return book;
    }

    @Override
    public RandomGenerator random() {
        return random;
    }

    @Override
    public int fileCount() {
        return 1;
    }

    @Override
    public FileView file(int file) {
        return new FileView() {
            @Override
            public int index() {
                return 0;
            }

            @Override
            public FilePlan plan() {
                return plan;
            }

            @Override
            public boolean isActive() {
                return true;
            }

            @Override
            public boolean isDone(int piece) {
                return false;
            }

            @Override
            public int holders(int piece) {
                return 0;
            }

            @Override
            public int owner(int piece) {
                return -1;
            }

            @Override
            public int doneCount() {
                return 0;
            }

            @Override
            public long doneBytes() {
                return 0;
            }

            @Override
            public int freeCount() {
                return plan.pieceCount();
            }

            @Override
            public long freeBytes() {
                return plan.size();
            }

            @Override
            public int nextFree(int from) {
                return from;
            }

            @Override
            public int freeRunEnd(int start) {
                return plan.pieceCount();
            }

            @Override
            public int activeRequests() {
                return 0;
            }

            @Override
            public int mirrorCount() {
                return book.size();
            }

            @Override
            public int mirror(int k) {
                return k;
            }

            @Override
            public boolean isDropped(int mirror) {
                return false;
            }
        };
    }

    @Override
    public int freeSlots() {
        return Integer.MAX_VALUE;
    }

    @Override
    public int requestsStarted() {
        return 0;
    }

    @Override
    public int liveCount() {
        return 0;
    }

    @Override
    public RequestView live(int i) {
        throw new IndexOutOfBoundsException();
    }

    @Override
    public RequestView request(int id) {
        return null;
    }

    @Override
    public boolean canStart(int file, int mirror) {
        return true;
    }

    @Override
    public boolean mayServe(int file, int mirror) {
        return true;
    }

    @Override
    public int candidates(int file, int exclude, int[] out) {
        throw new UnsupportedOperationException();
    }

    @Override
    public int choose(int file, int exclude) {
        throw new UnsupportedOperationException();
    }

    @Override
    public int select(int file, int[] candidates, int count) {
        throw new UnsupportedOperationException();
    }

    @Override
    public double pieceTimeQuantile(double q, int minSamples) {
        return Double.NaN;
    }

    @Override
    public void wakeAt(double time) {
    }
}
