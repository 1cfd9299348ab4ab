package org.mirrorswarm.strategies;

import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One file to download: its plan, the mirrors that claim to hold it, most preferred first (Metalink priority
 * order, or the order a tracker ranked them), and the pieces the client holds already ({@code have}: verified
 * on disk by an earlier run), which the scheduler never asks for. Telling them with the file, rather than as
 * {@link Event.PieceObtained} after it, matters: the scheduler starts requests as soon as it hears of a file.
 */
public record FileJob(FilePlan plan, List<Mirror> mirrors, BitSet have) {
    public FileJob {
        Objects.requireNonNull(plan, "plan");
        mirrors = List.copyOf(mirrors);
        Set<String> seen = new HashSet<>();
        for (Mirror m : mirrors) {
            if (!seen.add(m.id())) {
                throw new IllegalArgumentException(plan.name() + ": mirror " + m.id() + " listed twice");
            }
        }
        have = (BitSet) have.clone();
        if (have.length() > plan.pieceCount()) {
            throw new IllegalArgumentException(plan.name() + ": piece " + (have.length() - 1) + " held of "
                    + plan.pieceCount());
        }
    }

    /** A file none of whose pieces the client holds. */
    public FileJob(FilePlan plan, List<Mirror> mirrors) {
        this(plan, mirrors, new BitSet());
    }

    /** The pieces held already (a copy). */
    @Override
    public BitSet have() {
        return (BitSet) have.clone();
    }
}
