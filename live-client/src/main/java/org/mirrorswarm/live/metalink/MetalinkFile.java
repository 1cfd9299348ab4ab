package org.mirrorswarm.live.metalink;

import java.util.List;
import java.util.Map;
import org.mirrorswarm.strategies.Digest;
import org.mirrorswarm.strategies.HashAlgorithm;

/**
 * One {@code file} of a Metalink.
 *
 * @param name    the relative path it is to be saved under, already checked by {@link SafeNames}
 * @param size    its size in bytes, or -1 when the document does not say
 * @param hashes  whole-file hashes of the algorithms this client knows, by algorithm
 * @param pieces  the strongest piece hashes given, or null
 * @param urls    HTTP(S) URLs, most preferred first (v4 priority ascending, v3 preference descending;
 *                ties in document order)
 */
public record MetalinkFile(String name, long size, Map<HashAlgorithm, Digest> hashes, Pieces pieces,
                           List<MetalinkUrl> urls) {
    public MetalinkFile {
        hashes = Map.copyOf(hashes);
        urls = List.copyOf(urls);
    }

    /** Piece hashes: one per {@code length} bytes, the last piece possibly shorter. */
    public record Pieces(HashAlgorithm type, int length, List<Digest> hashes) {
        public Pieces {
            hashes = List.copyOf(hashes);
        }
    }

    /** The strongest whole-file hash (sha-512 > … > sha-256 > sha-1 > md5), or null when there is none. */
    public Digest strongestHash() {
        Digest best = null;
        for (Digest d : hashes.values()) {
            if (best == null || d.algorithm().compareTo(best.algorithm()) > 0) {
                best = d;
            }
        }
        return best;
    }
}
