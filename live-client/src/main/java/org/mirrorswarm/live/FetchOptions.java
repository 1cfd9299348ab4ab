package org.mirrorswarm.live;

import java.time.Duration;
import org.mirrorswarm.strategies.SchedulerConfig;

/**
 * How the live client downloads.
 *
 * @param scheduler        the shared scheduler's configuration: strategies, connection limits, bans
 * @param connectTimeout   TCP (and TLS) connect timeout per request
 * @param headerTimeout    from sending a request to its response headers, redirects included
 * @param firstByteTimeout from the response headers to the first body byte, and between reads
 * @param lowSpeedLimit    bytes per second a transfer must exceed over {@code lowSpeedTime} …
 * @param lowSpeedTime     … or it is given up ({@link org.mirrorswarm.strategies.FailureReason#LOW_SPEED})
 * @param maxRedirects     redirects followed per request
 * @param pieceLength      piece length of files whose source gives no piece hashes (only a whole-file hash)
 * @param bufferBudget     bytes of piece buffers at most: fewer connections when pieces are large
 * @param overwrite        replace an existing file of the same name that does not match the plan
 * @param allowUnverified  download files that come without any hash (they are then not verified)
 * @param userAgent        the User-Agent header
 * @param pipelining       http and https mirrors are asked over the client's own
 *                         HTTP/1.1 connections, on which an early request is pipelined behind the answer in
 *                         progress instead of opening another connection (see {@link Pipes})
 * @param proxies          the environment's proxies ({@link Proxies}), or null: then the JVM's (none unless its
 *                         {@code http.proxyHost}-style properties say)
 * @param rateLimit        bytes per second the whole download reads at most, over all mirrors and files
 *                         ({@link RateLimit}); 0 for no limit
 */
public record FetchOptions(SchedulerConfig scheduler, Duration connectTimeout, Duration headerTimeout,
                           Duration firstByteTimeout, long lowSpeedLimit, Duration lowSpeedTime, int maxRedirects,
                           int pieceLength, long bufferBudget, boolean overwrite, boolean allowUnverified,
                           String userAgent, boolean pipelining, Proxies proxies, long rateLimit) {
    public FetchOptions {
        // Pipelined early requests hold no connection of the budget. (Where a mirror turns out to need the general
        // client on HTTP/1.1, the scheduler is told, and counts its early requests as the connections they are.)
        scheduler = scheduler.withEarlyPipelined(pipelining);
        if (maxRedirects < 0 || maxRedirects > 20) {
            throw new IllegalArgumentException("max redirects must be 0–20, got " + maxRedirects);
        }
        if (pieceLength < 16 << 10 || pieceLength > 64 << 20) {
            throw new IllegalArgumentException("piece length must be 16 KiB–64 MiB, got " + pieceLength);
        }
        if (lowSpeedLimit < 0) {
            throw new IllegalArgumentException("low-speed limit must be >= 0");
        }
        if (rateLimit < 0) {
            throw new IllegalArgumentException("rate limit must be >= 0 (0: none), got " + rateLimit);
        }
    }

    /**
     * Early requests per mirror when they are pipelined ({@link SchedulerConfig#earlyRequests}): 200
     * packages from four mirrors 100 ms away took 4.75 s with two, 3.70 s with eight; 20 ms away 3.39 and
     * 3.28 s. Eight bound tiny files far away: 200 files of 4 KiB from four mirrors 100 ms away took 1.135 s
     * with eight, 0.93 s with sixteen, 0.91 s with 24 (medians of 9), while 20 ms away (0.598 / 0.601 s), the
     * 200 packages 20 and 100 ms away (3.269 / 3.258 s, 3.568 / 3.538 s) and loopback did not move. A
     * pipelined request costs the mirror no connection; apt pipelines too (Acquire::http::Pipeline-Depth,
     * 10 by default). A server that closes a connection after so many answers (Apache's
     * MaxKeepAliveRequests, 100 by default) loses what was queued behind the last, which is asked again.
     */
    public static final int PIPELINE_DEPTH = 16;

    /**
     * Defaults: the {@code adaptive} scheduler with 16 connections, one per mirror, and up to {@link
     * #PIPELINE_DEPTH} early requests per mirror as its answers end, pipelined on its connection (at most
     * {@link SchedulerConfig#EARLY_CONNECTIONS} more connections where they cannot be); 1 MiB pieces; piece
     * buffers within {@link #defaultBufferBudget()}.
     */
    public static FetchOptions defaults() {
        return new FetchOptions(SchedulerConfig.defaults().withEarlyRequests(PIPELINE_DEPTH), Duration.ofSeconds(5), Duration.ofSeconds(15),
                Duration.ofSeconds(15), 1024, Duration.ofSeconds(20), 5, 1 << 20, defaultBufferBudget(), false, false,
                "mirrorswarm", true, null, 0);
    }

    /**
     * 96 MiB of piece buffers, or half of what the heap may grow to when that is less: with pieces of 16 MiB, a
     * 96 MiB budget in a 96 MiB heap ran out of memory; half leaves the rest (connections, TLS, the whole-file
     * hash's read-back buffers) room. One buffer is always granted, so a piece larger than the budget is still
     * fetched, on one connection.
     */
    static long defaultBufferBudget() {
        return Math.min(96L << 20, Runtime.getRuntime().maxMemory() / 2);
    }

    public FetchOptions withScheduler(SchedulerConfig c) {
        Copy o = new Copy(this);
        o.scheduler = c;
        return o.build();
    }

    public FetchOptions withTimeouts(Duration connect, Duration header, Duration firstByte) {
        Copy o = new Copy(this);
        o.connectTimeout = connect;
        o.headerTimeout = header;
        o.firstByteTimeout = firstByte;
        return o.build();
    }

    public FetchOptions withLowSpeed(long bytesPerSecond, Duration time) {
        Copy o = new Copy(this);
        o.lowSpeedLimit = bytesPerSecond;
        o.lowSpeedTime = time;
        return o.build();
    }

    public FetchOptions withPieceLength(int bytes) {
        Copy o = new Copy(this);
        o.pieceLength = bytes;
        return o.build();
    }

    public FetchOptions withOverwrite(boolean v) {
        Copy o = new Copy(this);
        o.overwrite = v;
        return o.build();
    }

    public FetchOptions withAllowUnverified(boolean v) {
        Copy o = new Copy(this);
        o.allowUnverified = v;
        return o.build();
    }

    public FetchOptions withMaxRedirects(int v) {
        Copy o = new Copy(this);
        o.maxRedirects = v;
        return o.build();
    }

    public FetchOptions withUserAgent(String v) {
        Copy o = new Copy(this);
        o.userAgent = v;
        return o.build();
    }

    public FetchOptions withPipelining(boolean v) {
        Copy o = new Copy(this);
        o.pipelining = v;
        return o.build();
    }

    /** At most {@code bytesPerSecond} for the whole download (0: no limit). */
    public FetchOptions withRateLimit(long bytesPerSecond) {
        Copy o = new Copy(this);
        o.rateLimit = bytesPerSecond;
        return o.build();
    }

    public FetchOptions withProxies(Proxies v) {
        Copy o = new Copy(this);
        o.proxies = v;
        return o.build();
    }

    /** The options as fields to change one or two of (the withers), then made a record again (and checked). */
    private static final class Copy {
        SchedulerConfig scheduler;
        Duration connectTimeout;
        Duration headerTimeout;
        Duration firstByteTimeout;
        long lowSpeedLimit;
        Duration lowSpeedTime;
        int maxRedirects;
        int pieceLength;
        long bufferBudget;
        boolean overwrite;
        boolean allowUnverified;
        String userAgent;
        boolean pipelining;
        Proxies proxies;
        long rateLimit;

        Copy(FetchOptions o) {
            scheduler = o.scheduler;
            connectTimeout = o.connectTimeout;
            headerTimeout = o.headerTimeout;
            firstByteTimeout = o.firstByteTimeout;
            lowSpeedLimit = o.lowSpeedLimit;
            lowSpeedTime = o.lowSpeedTime;
            maxRedirects = o.maxRedirects;
            pieceLength = o.pieceLength;
            bufferBudget = o.bufferBudget;
            overwrite = o.overwrite;
            allowUnverified = o.allowUnverified;
            userAgent = o.userAgent;
            pipelining = o.pipelining;
            proxies = o.proxies;
            rateLimit = o.rateLimit;
        }

        FetchOptions build() {
            return new FetchOptions(scheduler, connectTimeout, headerTimeout, firstByteTimeout, lowSpeedLimit,
                    lowSpeedTime, maxRedirects, pieceLength, bufferBudget, overwrite, allowUnverified, userAgent,
                    pipelining, proxies, rateLimit);
        }
    }
}
