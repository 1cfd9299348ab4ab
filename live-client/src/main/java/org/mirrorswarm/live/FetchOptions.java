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
 */
public record FetchOptions(SchedulerConfig scheduler, Duration connectTimeout, Duration headerTimeout,
                           Duration firstByteTimeout, long lowSpeedLimit, Duration lowSpeedTime, int maxRedirects,
                           int pieceLength, long bufferBudget, boolean overwrite, boolean allowUnverified,
                           String userAgent) {
    public FetchOptions {
        if (maxRedirects < 0 || maxRedirects > 20) {
            throw new IllegalArgumentException("max redirects must be 0–20, got " + maxRedirects);
        }
        if (pieceLength < 16 << 10 || pieceLength > 64 << 20) {
            throw new IllegalArgumentException("piece length must be 16 KiB–64 MiB, got " + pieceLength);
        }
        if (lowSpeedLimit < 0) {
            throw new IllegalArgumentException("low-speed limit must be >= 0");
        }
    }

    /**
     * Defaults: the {@code adaptive} scheduler with 16 connections, one per mirror (and up to two early
     * requests per mirror as its answers end, see {@link SchedulerConfig#earlyRequests}); 1 MiB pieces.
     */
    public static FetchOptions defaults() {
        return new FetchOptions(SchedulerConfig.defaults().withEarlyRequests(true), Duration.ofSeconds(5), Duration.ofSeconds(15),
                Duration.ofSeconds(15), 1024, Duration.ofSeconds(20), 5, 1 << 20, 96L << 20, false, false,
                "mirrorswarm");
    }

    public FetchOptions withScheduler(SchedulerConfig c) {
        return new FetchOptions(c, connectTimeout, headerTimeout, firstByteTimeout, lowSpeedLimit, lowSpeedTime,
                maxRedirects, pieceLength, bufferBudget, overwrite, allowUnverified, userAgent);
    }

    public FetchOptions withTimeouts(Duration connect, Duration header, Duration firstByte) {
        return new FetchOptions(scheduler, connect, header, firstByte, lowSpeedLimit, lowSpeedTime, maxRedirects,
                pieceLength, bufferBudget, overwrite, allowUnverified, userAgent);
    }

    public FetchOptions withLowSpeed(long bytesPerSecond, Duration time) {
        return new FetchOptions(scheduler, connectTimeout, headerTimeout, firstByteTimeout, bytesPerSecond, time,
                maxRedirects, pieceLength, bufferBudget, overwrite, allowUnverified, userAgent);
    }

    public FetchOptions withPieceLength(int bytes) {
        return new FetchOptions(scheduler, connectTimeout, headerTimeout, firstByteTimeout, lowSpeedLimit, lowSpeedTime,
                maxRedirects, bytes, bufferBudget, overwrite, allowUnverified, userAgent);
    }

    public FetchOptions withOverwrite(boolean v) {
        return new FetchOptions(scheduler, connectTimeout, headerTimeout, firstByteTimeout, lowSpeedLimit, lowSpeedTime,
                maxRedirects, pieceLength, bufferBudget, v, allowUnverified, userAgent);
    }

    public FetchOptions withAllowUnverified(boolean v) {
        return new FetchOptions(scheduler, connectTimeout, headerTimeout, firstByteTimeout, lowSpeedLimit, lowSpeedTime,
                maxRedirects, pieceLength, bufferBudget, overwrite, v, userAgent);
    }

    public FetchOptions withMaxRedirects(int v) {
        return new FetchOptions(scheduler, connectTimeout, headerTimeout, firstByteTimeout, lowSpeedLimit, lowSpeedTime,
                v, pieceLength, bufferBudget, overwrite, allowUnverified, userAgent);
    }

    public FetchOptions withUserAgent(String v) {
        return new FetchOptions(scheduler, connectTimeout, headerTimeout, firstByteTimeout, lowSpeedLimit, lowSpeedTime,
                maxRedirects, pieceLength, bufferBudget, overwrite, allowUnverified, v);
    }
}
