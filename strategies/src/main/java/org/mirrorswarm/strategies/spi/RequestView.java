package org.mirrorswarm.strategies.spi;

import org.mirrorswarm.strategies.Action.Purpose;

/** Read-only state of one request. Its remaining range is {@code [position, endPiece)}. */
public interface RequestView {
    int id();

    int file();

    int mirror();

    int firstPiece();

    /** One past the last piece this request is still responsible for (shrinks when stolen from or cancelled). */
    int endPiece();

    /** The next piece the request will deliver. */
    int position();

    Purpose purpose();

    /** True until the shell reports the request ended. */
    boolean isLive();

    /** True once the scheduler cancelled it. */
    boolean isCancelled();

    double startTime();

    /** Time of the first body byte, or NaN when not reported. */
    double firstByteTime();

    /** Time the last piece was delivered, or the start time before the first. */
    double lastPieceTime();

    /** Body bytes received so far. */
    long bytesReceived();

    /** Bytes received of the piece at {@link #position()} (0 when the shell does not report bytes). */
    long partialBytes();

    /** Bytes still to come for the remaining range. */
    long remainingBytes();
}
