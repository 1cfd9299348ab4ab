package org.mirrorswarm.strategies;

import java.util.List;
import java.util.Objects;

/**
 * What a client knows about one file before it downloads it: its name, size, piece length, the hash of
 * every piece and of the whole file. Pieces are the unit of verification and of scheduling: every
 * request covers whole pieces, so every piece can be verified on its own. The last piece may be shorter.
 *
 * @param name        the file's name as the plan gives it (a relative path; shells check it is safe)
 * @param size        the file size in bytes, {@code >= 0}
 * @param pieceLength bytes per piece, {@code > 0}
 * @param pieceHashes one digest per piece, all of one algorithm, or empty when the source gives none
 * @param fileHash    the whole-file digest, or {@code null} when unknown (synthetic plans of the simulator)
 */
public record FilePlan(String name, long size, int pieceLength, List<Digest> pieceHashes, Digest fileHash) {

    public FilePlan {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty()) {
            throw new IllegalArgumentException("file name is empty");
        }
        if (size < 0) {
            throw new IllegalArgumentException(name + ": negative size " + size);
        }
        if (pieceLength <= 0) {
            throw new IllegalArgumentException(name + ": piece length must be positive, got " + pieceLength);
        }
        long pieces = pieceCount(size, pieceLength);
        if (pieces > Integer.MAX_VALUE - 1) {
            throw new IllegalArgumentException(name + ": " + pieces + " pieces is too many; use a longer piece length");
        }
        pieceHashes = List.copyOf(pieceHashes);
        if (!pieceHashes.isEmpty()) {
            if (pieceHashes.size() != pieces) {
                throw new IllegalArgumentException(name + ": " + pieces + " pieces of " + pieceLength
                        + " bytes but " + pieceHashes.size() + " piece hashes");
            }
            HashAlgorithm a = pieceHashes.get(0).algorithm();
            for (Digest d : pieceHashes) {
                if (d.algorithm() != a) {
                    throw new IllegalArgumentException(name + ": piece hashes mix " + a.metalinkName()
                            + " and " + d.algorithm().metalinkName());
                }
            }
        }
    }

    /** A plan without any hashes: what the simulator uses, where content is not real bytes. */
    public static FilePlan synthetic(String name, long size, int pieceLength) {
        return new FilePlan(name, size, pieceLength, List.of(), null);
    }

    private static long pieceCount(long size, int pieceLength) {
        return size == 0 ? 0 : (size - 1) / pieceLength + 1;
    }

    /** Number of pieces; zero for an empty file. */
    public int pieceCount() {
        return (int) pieceCount(size, pieceLength);
    }

    /** Offset of the first byte of piece {@code i}. */
    public long pieceStart(int i) {
        checkPiece(i);
        return (long) i * pieceLength;
    }

    /** Length of piece {@code i}: {@link #pieceLength()} except possibly for the last piece. */
    public int pieceLength(int i) {
        checkPiece(i);
        return (int) Math.min(pieceLength, size - (long) i * pieceLength);
    }

    /** The byte range of piece {@code i}. */
    public ByteRange pieceRange(int i) {
        long start = pieceStart(i);
        return new ByteRange(start, start + pieceLength(i));
    }

    /** The byte range covering pieces {@code [first, end)}. */
    public ByteRange range(int first, int end) {
        checkSpan(first, end);
        return new ByteRange((long) first * pieceLength, Math.min(size, (long) end * pieceLength));
    }

    /**
     * Bytes in pieces {@code [first, end)}: {@link #range}'s length, without making one (the scheduler asks
     * this for every request in flight at every decision).
     */
    public long bytes(int first, int end) {
        if (first >= end) {
            return 0;
        }
        checkSpan(first, end);
        return Math.min(size, (long) end * pieceLength) - (long) first * pieceLength;
    }

    private void checkSpan(int first, int end) {
        if (first < 0 || end <= first || end > pieceCount()) {
            throw new IndexOutOfBoundsException("pieces [" + first + ", " + end + ") of " + pieceCount());
        }
    }

    /** True when every piece has its own hash. */
    public boolean hasPieceHashes() {
        return !pieceHashes.isEmpty() || size == 0;
    }

    /** The hash of piece {@code i}, or {@code null} when the plan has no piece hashes. */
    public Digest pieceHash(int i) {
        checkPiece(i);
        return pieceHashes.isEmpty() ? null : pieceHashes.get(i);
    }

    private void checkPiece(int i) {
        if (i < 0 || i >= pieceCount()) {
            throw new IndexOutOfBoundsException("piece " + i + " of " + pieceCount() + " in " + name);
        }
    }

    @Override
    public String toString() {
        return "FilePlan[" + name + ", " + size + " bytes, " + pieceCount() + " x " + pieceLength + "]";
    }
}
