package org.mirrorswarm.strategies;

/**
 * Why a request or a piece failed, as the shell classifies it. The {@link Kind} decides what the
 * scheduler does to the mirror: back off and retry, drop it for this file, or ban it as untrustworthy.
 */
public enum FailureReason {
    /**
     * Connection refused, host unreachable, a connection that timed out (nothing answered its first packet), or a
     * name whose lookup failed for now.
     */
    CONNECT_FAILED(Kind.TRANSIENT, "connection failed"),
    /**
     * The name server says the mirror's host name does not exist (NXDOMAIN, no address for it): not retried, a
     * typo or a mirror gone does not clear up within a download. (A lookup that failed for now, or with no
     * answer, is {@link #CONNECT_FAILED}.)
     */
    NO_SUCH_HOST(Kind.FATAL, "host name not found"),
    /** No response headers, or no first byte, before the timeout. */
    TIMEOUT(Kind.TRANSIENT, "timed out"),
    /** The transfer ran below the low-speed limit for too long. */
    LOW_SPEED(Kind.TRANSIENT, "below the low-speed limit"),
    /** The connection closed before the requested range was complete (includes a short 206). */
    CONNECTION_LOST(Kind.TRANSIENT, "connection lost mid-body"),
    /** An HTTP status that may clear up: 5xx, 429, or 503 busy (BEP 19: a busy web seed is kept). */
    HTTP_ERROR(Kind.TRANSIENT, "HTTP error status"),
    /** The mirror does not hold the file (404, 410). */
    NOT_FOUND(Kind.FILE_FATAL, "file not found on mirror"),
    /** The mirror's copy has another length than the plan (Content-Range complete-length, 416). */
    SIZE_MISMATCH(Kind.FILE_FATAL, "file size differs from the plan"),
    /** The mirror serves another version of the file (validator differs, or its data never verifies). */
    STALE(Kind.FILE_FATAL, "mirror serves a different version"),
    /** The mirror ignores Range and answers 200 with the whole body. */
    RANGE_IGNORED(Kind.FILE_FATAL, "mirror ignores byte ranges"),
    /** A malformed or inconsistent response: bad Content-Range, multipart to one range, oversized headers. */
    BAD_RESPONSE(Kind.MALFORMED, "malformed response"),
    /**
     * The TLS handshake failed: a certificate no trusted authority signed, one for another host, or no
     * protocol version or cipher in common. Not retried: it does not clear up, and it may be an interception.
     * (A handshake cut short by a lost connection is {@link #CONNECTION_LOST}.)
     */
    TLS_FAILED(Kind.FATAL, "TLS handshake failed"),
    /** A piece's bytes did not match its hash. */
    HASH_MISMATCH(Kind.CORRUPT, "piece hash mismatch"),
    /** The shell stopped the request because the scheduler cancelled it: no penalty. */
    CANCELLED(Kind.NONE, "cancelled");

    /** What a failure says about the mirror. */
    public enum Kind {
        /** May clear up: count it, back off exponentially, give up after too many in a row. */
        TRANSIENT,
        /** The mirror cannot serve this file: stop using it for this file only. */
        FILE_FATAL,
        /**
         * The mirror sent data that failed verification: it is not trusted again for the download (excluded at
         * the configured number of bad pieces, by default the first; banned with backoff until then).
         */
        CORRUPT,
        /**
         * The mirror's answer broke the protocol, or a connection failed in a way that looks like it (a TLS
         * record that does not decode): ban it with backoff, exclude it after {@value MirrorBook#MALFORMED_LIMIT}.
         */
        MALFORMED,
        /** The mirror cannot serve this download at all, nor will it soon: exclude it at once. */
        FATAL,
        /** Not the mirror's fault. */
        NONE
    }

    private final Kind kind;
    private final String description;

    FailureReason(Kind kind, String description) {
        this.kind = kind;
        this.description = description;
    }

    public Kind kind() {
        return kind;
    }

    /** A short human-readable description, for messages and reports. */
    public String description() {
        return description;
    }
}
