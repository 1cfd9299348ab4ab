package org.mirrorswarm.strategies;

import java.util.Objects;

/**
 * What a shell tells the {@link Scheduler}. Every event carries the shell's current time in seconds
 * (simulated or wall clock); times never decrease. Every request the scheduler starts ends with exactly
 * one {@link SlotFree} or {@link RequestFailed}: that is when its connection slot is free again.
 */
public sealed interface Event {
    /** The shell's time of this event, in seconds. */
    double time();

    /** A new file to download. Files are numbered 0, 1, 2… in the order they are added. */
    record AddFile(double time, FileJob job) implements Event {
        public AddFile {
            Objects.requireNonNull(job, "job");
        }
    }

    /** A timer the scheduler asked for with {@link Action.WakeAt}, or any moment the shell chooses to poll. */
    record Timer(double time) implements Event {
    }

    /** Bytes of a request's body arrived. The first such event gives the request's time to first byte. */
    record BytesArrived(double time, int request, long bytes) implements Event {
        public BytesArrived {
            if (bytes < 0) {
                throw new IllegalArgumentException("negative byte count " + bytes);
            }
        }
    }

    /** A piece of a request arrived complete and its hash matched (or the plan has no piece hashes). */
    record PieceVerified(double time, int request, int piece) implements Event {
    }

    /** A piece of a request arrived complete but is unusable; the request goes on unless cancelled. */
    record PieceFailed(double time, int request, int piece, FailureReason reason) implements Event {
        public PieceFailed {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * A piece of a file arrived, verified, by another route than this scheduler's requests: from a peer
     * of a swarm, or already on disk when a download resumes. Requests holding only pieces that are now
     * done are cancelled.
     */
    record PieceObtained(double time, int file, int piece) implements Event {
    }

    /** A request ended in failure; its connection slot is free. */
    record RequestFailed(double time, int request, FailureReason reason) implements Event {
        public RequestFailed {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /**
     * The shell cannot pipeline requests to mirror {@code mirror} (an id it was given with a file): from now
     * on each request there beyond its connection limit (an early request) holds a connection of its own,
     * counted against {@link SchedulerConfig#maxConnections}. Meaningful only with {@link
     * SchedulerConfig#earlyPipelined}; a mirror not known yet is ignored.
     */
    record NotPipelined(double time, String mirror) implements Event {
        public NotPipelined {
            Objects.requireNonNull(mirror, "mirror");
        }
    }

    /**
     * The shell found that mirror {@code mirror} serves another version of file {@code file} than the plan: its
     * piece that failed the plan's hash had the same bytes as one another mirror served there. Mirrors that
     * agree on the bytes are more likely out of date together (or the plan is) than corrupt, so the mirror is
     * dropped for that file only, and that piece no longer counts against it: an exclusion it caused is lifted
     * (a mirror found in another version of {@link MirrorBook#STALE_FILE_LIMIT} files is excluded all the same).
     * (The other mirror's piece is told as a {@link PieceFailed} with {@link FailureReason#STALE}.)
     */
    record OtherVersion(double time, int file, String mirror) implements Event {
        public OtherVersion {
            Objects.requireNonNull(mirror, "mirror");
        }
    }

    /** A request ended (completed, cancelled, or shrunk and finished) and its connection slot is free. */
    record SlotFree(double time, int request) implements Event {
    }
}
