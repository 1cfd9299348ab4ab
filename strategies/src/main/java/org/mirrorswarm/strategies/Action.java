package org.mirrorswarm.strategies;

import java.util.Objects;

/** What the {@link Scheduler} asks its shell to do, or tells it has happened. */
public sealed interface Action {

    /** Why a request was started. */
    enum Purpose {
        /** Fresh work from the pool. */
        NORMAL,
        /** The tail of another request's range, which was shrunk to make room. */
        STOLEN,
        /** A second copy of pieces already in flight elsewhere (endgame or hedge); the first to verify wins. */
        DUPLICATE
    }

    /**
     * Fetch pieces {@code [firstPiece, endPiece)} of a file from a mirror: the byte {@code range}.
     * The shell reports each piece in order with {@link Event.PieceVerified} or {@link Event.PieceFailed}
     * and ends the request with {@link Event.SlotFree} or {@link Event.RequestFailed}.
     */
    record StartRequest(int request, int file, int mirror, String mirrorId, int firstPiece, int endPiece,
                        ByteRange range, Purpose purpose) implements Action {
        public StartRequest {
            Objects.requireNonNull(mirrorId, "mirrorId");
            Objects.requireNonNull(range, "range");
            Objects.requireNonNull(purpose, "purpose");
        }
    }

    /** Stop a request as soon as possible and report {@link Event.SlotFree}; pieces it still verifies are welcome. */
    record CancelRequest(int request, String why) implements Action {
    }

    /**
     * A request must now stop before piece {@code newEndPiece}, i.e. at byte {@code newEndByte}
     * (exclusive): the pieces after it were given to another request.
     */
    record ShrinkRequest(int request, int newEndPiece, long newEndByte) implements Action {
    }

    /**
     * Deliver an {@link Event.Timer} at this time (or later). The scheduler keeps one timer: each WakeAt
     * replaces the one before it, which the shell drops — even when the earlier time has already come.
     */
    record WakeAt(double time) implements Action {
    }

    /** Every piece of the file is verified: the shell may check the whole-file hash and move it into place. */
    record FileCompleted(int file) implements Action {
    }

    /** The file cannot be completed: no usable mirror remains. The reason names every mirror's fate. */
    record FileFailed(int file, String reason) implements Action {
    }
}
