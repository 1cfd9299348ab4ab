package org.mirrorswarm.live;

import org.mirrorswarm.strategies.FailureReason;

/**
 * What workers tell the download's event loop. The loop stamps the time when it hands them on, except for
 * arrivals, which carry when the worker saw them: the scheduler's rate and latency samples must not
 * include how long a message waited in the inbox (a turn of the loop, a busy core).
 */
sealed interface Msg {
    /** Body bytes arrived; the last of them at {@code nanos} ({@link System#nanoTime()}). */
    record Bytes(int request, long bytes, long nanos) implements Msg {
    }

    /**
     * A whole piece arrived and verified (and was written, unless a copy was written first); its last byte
     * came in at {@code nanos} ({@link System#nanoTime()}).
     */
    record PieceOk(int request, int piece, boolean written, long nanos) implements Msg {
    }

    /** A whole piece arrived and did not verify; {@code digest} is what its bytes hash to (the plan's algorithm). */
    record PieceBad(int request, int piece, FailureReason reason, byte[] digest) implements Msg {
    }

    /** The request is over: its slot is free. */
    record Done(int request) implements Msg {
    }

    /** The request failed. {@code detail} says what exactly, for the report. */
    record Failed(int request, FailureReason reason, String detail) implements Msg {
    }

    /**
     * Requests to {@code mirror} go through the general client on connections of their own, not pipelined:
     * its early requests are connections of the budget ({@link org.mirrorswarm.strategies.Event.NotPipelined}).
     */
    record NotPipelined(String mirror) implements Msg {
    }

    /**
     * The download cannot go on: writing to the local disk failed, or it was interrupted
     * ({@link LiveDownload#interrupt}). {@code message} is each unfinished file's outcome.
     */
    record LocalError(String message) implements Msg {
    }

    /** Something else for the loop to look at (a file from the feed). */
    enum Wake implements Msg {
        INSTANCE
    }

    /** A completed file was checked and moved into place, or not. */
    record Finalized(int file, boolean ok, boolean wholeFileMismatch, String detail) implements Msg {
    }
}
