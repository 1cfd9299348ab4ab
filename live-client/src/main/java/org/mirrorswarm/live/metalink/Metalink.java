package org.mirrorswarm.live.metalink;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A parsed Metalink document (RFC 5854 v4, or the older v3 that MirrorManager writes).
 *
 * @param version   4 or 3
 * @param files     the files it describes, in document order
 * @param published when the document says it was published ({@code published}, or v3 {@code pubdate}), or null
 * @param updated   when it was last updated ({@code updated}), or null
 * @param expires   after this instant it must not be used (the mirrorswarm extension element
 *                  {@code expires} in {@link MetalinkReader#MIRRORSWARM_NS}), or null
 * @param origin    the {@code origin} URL it says it can be fetched again from, or null
 * @param notes     what was skipped and why (unsupported URL schemes, unknown hash types, …)
 */
public record Metalink(int version, List<MetalinkFile> files, Instant published, Instant updated, Instant expires,
                       String origin, List<String> notes) {
    public Metalink {
        files = List.copyOf(files);
        notes = List.copyOf(notes);
    }

    /** The newest of {@code updated} and {@code published}, or null when the document gives neither. */
    public Instant freshness() {
        if (updated == null) {
            return published;
        }
        return published == null || updated.isAfter(published) ? updated : published;
    }

    /** The file of that name, or null. */
    public MetalinkFile file(String name) {
        for (MetalinkFile f : files) {
            if (Objects.equals(f.name(), name)) {
                return f;
            }
        }
        return null;
    }
}
