package org.mirrorswarm.live;

import org.mirrorswarm.strategies.FailureReason;

/** What workers tell the download's event loop. The loop stamps the time when it hands them on. */
sealed interface Msg {
    /** Response headers arrived (the request is answered). */
    record Headers(int request) implements Msg {
    }

    /** Body bytes arrived. */
    record Bytes(int request, long bytes) implements Msg {
    }

    /** A whole piece arrived and verified (and was written, unless a copy was written first). */
    record PieceOk(int request, int piece, boolean written) implements Msg {
    }

    /** A whole piece arrived and did not verify. */
    record PieceBad(int request, int piece, FailureReason reason) implements Msg {
    }

    /** The request is over: its slot is free. */
    record Done(int request) implements Msg {
    }

    /** The request failed. {@code detail} says what exactly, for the report. */
    record Failed(int request, FailureReason reason, String detail) implements Msg {
    }

    /** Writing to the local disk failed: the download cannot go on. */
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
