package org.mirrorswarm.strategies;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One file to download: its plan and the mirrors that claim to hold it, most preferred first
 * (Metalink priority order, or the order a tracker ranked them).
 */
public record FileJob(FilePlan plan, List<Mirror> mirrors) {
    public FileJob {
        Objects.requireNonNull(plan, "plan");
        mirrors = List.copyOf(mirrors);
        Set<String> seen = new HashSet<>();
        for (Mirror m : mirrors) {
            if (!seen.add(m.id())) {
                throw new IllegalArgumentException(plan.name() + ": mirror " + m.id() + " listed twice");
            }
        }
    }
}
