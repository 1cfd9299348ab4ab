package org.mirrorswarm.live.http;

import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.mirrorswarm.strategies.Digest;
import org.mirrorswarm.strategies.HashAlgorithm;

/**
 * RFC 3230 {@code Digest} headers as RFC 6249 uses them: {@code SHA-256=<base64>} (also {@code SHA=} for
 * SHA-1, {@code MD5=}). Returns the strongest well-formed one.
 */
public final class DigestHeaders {
    private DigestHeaders() {
    }

    public static Optional<Digest> strongest(List<String> values) {
        Digest best = null;
        for (String value : values) {
            for (String part : value.split(",")) {
                int eq = part.indexOf('=');
                if (eq <= 0) {
                    continue;
                }
                String name = part.substring(0, eq).strip();
                String b64 = part.substring(eq + 1).strip();
                Optional<HashAlgorithm> a = name.equalsIgnoreCase("SHA") ? Optional.of(HashAlgorithm.SHA_1)
                        : HashAlgorithm.byName(name);
                if (a.isEmpty()) {
                    continue;
                }
                try {
                    Digest d = Digest.of(a.get(), Base64.getDecoder().decode(b64));
                    if (best == null || d.algorithm().compareTo(best.algorithm()) > 0) {
                        best = d;
                    }
                } catch (IllegalArgumentException e) {
                    // wrong length or not base64: ignored
                }
            }
        }
        return Optional.ofNullable(best);
    }
}
