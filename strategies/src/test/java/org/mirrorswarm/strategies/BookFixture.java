package org.mirrorswarm.strategies;

/** Test access to the mirror book's updates, which only the scheduler makes in production. */
public final class BookFixture {
    private BookFixture() {
    }

    public static MirrorBook book(SchedulerConfig c) {
        return new MirrorBook(c);
    }

    public static int add(MirrorBook b, Mirror m) {
        return b.add(m);
    }

    public static void throughput(MirrorBook b, int m, double bytesPerSecond) {
        b.recordThroughput(m, bytesPerSecond);
    }

    public static void latency(MirrorBook b, int m, double seconds, double now) {
        b.recordLatency(m, seconds, now);
    }

    public static void latencyBound(MirrorBook b, int m, double seconds, double now) {
        b.recordLatencyBound(m, seconds, now);
    }

    public static void started(MirrorBook b, int m) {
        b.started(m);
    }

    public static void ended(MirrorBook b, int m) {
        b.ended(m);
    }

    public static void addBytes(MirrorBook b, int m, long n) {
        b.addBytes(m, n);
    }

    public static void success(MirrorBook b, int m) {
        b.recordSuccess(m);
    }

    public static MirrorBook.Outcome fail(MirrorBook b, int m, FailureReason r, double now) {
        return b.recordFailure(m, r, now);
    }
}
