package org.mirrorswarm.strategies.spi;

import org.mirrorswarm.strategies.FilePlan;

/**
 * Read-only state of one file in a scheduler. A piece is <em>done</em> once verified, <em>held</em> by
 * every live request whose remaining range covers it, and <em>free</em> when neither.
 */
public interface FileView {
    int index();

    FilePlan plan();

    /** True until the file completes or fails. */
    boolean isActive();

    boolean isDone(int piece);

    /** Live requests whose remaining range covers the piece. */
    int holders(int piece);

    /** The most recent live request holding the piece, or -1. */
    int owner(int piece);

    int doneCount();

    long doneBytes();

    /** Pieces neither done nor held. */
    int freeCount();

    /** Bytes in free pieces. */
    long freeBytes();

    /** The first free piece at or after {@code from}, or -1. */
    int nextFree(int from);

    /** One past the last piece of the run of free pieces starting at {@code start}. */
    int freeRunEnd(int start);

    /** Live requests for this file. */
    int activeRequests();

    /** Number of mirrors listed for this file. */
    int mirrorCount();

    /** The mirror number of the {@code k}-th listed mirror, in preference order. */
    int mirror(int k);

    /** True when the mirror was dropped for this file (it lacks it, has another size or version). */
    boolean isDropped(int mirror);
}
