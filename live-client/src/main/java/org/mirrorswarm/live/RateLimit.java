package org.mirrorswarm.live;

/**
 * A download's rate limit ({@code fetch --limit-rate}): the bytes every transfer of the download reads, over
 * all mirrors and files, at most {@code bytesPerSecond} on average. A transfer reads, then {@linkplain #take
 * pays} for what it read by waiting: its reading pauses, the socket's buffer fills, and TCP holds the mirror
 * back (as curl and wget do it). Payments are reservations on one clock, so transfers that read at once wait
 * in turn, each for its own bytes, and the total keeps to the rate whatever their number.
 *
 * <p>Bytes not taken for a while are lent back, up to {@link #BURST_NANOS} worth: after a pause (a new
 * connection, a mirror that was slow) a read need not wait for bytes the limit would have allowed then.
 * The rest of an answer no longer wanted, read past to keep a connection (for the requests pipelined behind it,
 * or on OkHttp's connections, {@code --no-pipelining} and proxies: {@link Transfer#endUnderLimit}), is paid for
 * too, by the reads after it; under a limit at most a tenth of a second of it is read past ({@link
 * Pipe#skipCap}), a longer rest closes the connection.
 */
final class RateLimit {
    /** The credit an idle limit gives: a tenth of a second of its rate. */
    static final long BURST_NANOS = 100_000_000L;

    private final long bytesPerSecond;
    private final double nanosPerByte;
    /** When the bytes paid so far have been paid for; unset until the first payment. */
    private long paidUntil;
    private boolean started;
    /** Bytes paid for so far. */
    private long paid;

    RateLimit(long bytesPerSecond) {
        if (bytesPerSecond <= 0) {
            throw new IllegalArgumentException("rate limit must be > 0, got " + bytesPerSecond);
        }
        this.bytesPerSecond = bytesPerSecond;
        this.nanosPerByte = 1e9 / bytesPerSecond;
    }

    /**
     * The largest read worth making at once: a tenth of a second of the rate (from 1 KiB to {@code most}), so
     * that a transfer waits often and briefly rather than seldom and long — a mirror whose connection is not
     * read for a minute may close it (nginx's {@code send_timeout}).
     */
    int readSize(int most) {
        return (int) Math.max(Math.min(most, 1024), Math.min(most, bytesPerSecond / 10));
    }

    /**
     * Pays for {@code n} bytes just read at {@code now} (nanoseconds, {@link System#nanoTime} or a test's
     * clock): how long the reader must now wait, in nanoseconds (0 when the credit covers them).
     */
    synchronized long take(long n, long now) {
        long from = started ? Math.max(paidUntil, now - BURST_NANOS) : now - BURST_NANOS;
        started = true;
        paid += n;
        paidUntil = from + (long) Math.ceil(n * nanosPerByte);
        return Math.max(0, paidUntil - now);
    }

    /** Bytes paid for so far. */
    synchronized long paid() {
        return paid;
    }
}
