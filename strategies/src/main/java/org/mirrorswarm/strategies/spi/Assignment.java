package org.mirrorswarm.strategies.spi;

import org.mirrorswarm.strategies.Action.Purpose;

/**
 * A strategy's proposal: fetch pieces {@code [firstPiece, endPiece)} of a file from a mirror. The
 * scheduler checks every proposal against its invariants before it acts on it.
 *
 * @param victim for {@link Purpose#STOLEN}, the request whose range is shrunk to end at {@code firstPiece};
 *               otherwise -1
 */
public record Assignment(int file, int mirror, int firstPiece, int endPiece, Purpose purpose, int victim) {
    public Assignment {
        if (firstPiece < 0 || endPiece <= firstPiece) {
            throw new IllegalArgumentException("empty piece range [" + firstPiece + ", " + endPiece + ")");
        }
        if ((purpose == Purpose.STOLEN) != (victim >= 0)) {
            throw new IllegalArgumentException("a stolen range needs a victim request, and only it");
        }
    }

    /** Fresh pieces nobody holds. */
    public static Assignment fresh(int file, int mirror, int first, int end) {
        return new Assignment(file, mirror, first, end, Purpose.NORMAL, -1);
    }

    /** Pieces taken from the tail of request {@code victim} (and any free pieces right after it). */
    public static Assignment steal(int file, int mirror, int first, int end, int victim) {
        return new Assignment(file, mirror, first, end, Purpose.STOLEN, victim);
    }

    /** A second copy of pieces already in flight. */
    public static Assignment duplicate(int file, int mirror, int first, int end) {
        return new Assignment(file, mirror, first, end, Purpose.DUPLICATE, -1);
    }
}
