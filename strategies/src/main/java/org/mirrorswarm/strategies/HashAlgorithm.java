package org.mirrorswarm.strategies;

import java.util.Locale;
import java.util.Optional;

/**
 * Hash algorithms a plan can carry, named as Metalink (RFC 5854, IANA hash names) and the JDK name them.
 * Declared from weakest to strongest so that {@link #compareTo} orders by strength.
 */
public enum HashAlgorithm {
    MD5("md5", "MD5", 16),
    SHA_1("sha-1", "SHA-1", 20),
    SHA_256("sha-256", "SHA-256", 32),
    SHA_384("sha-384", "SHA-384", 48),
    SHA_512("sha-512", "SHA-512", 64);

    /** The constants in declaration order, for lookups without {@link #values()}'s copy. */
    private static final HashAlgorithm[] ALL = values();

    private final String metalinkName;
    /** {@link #metalinkName} without its hyphen ({@code sha256}), a spelling some documents use. */
    private final String compactName;
    private final String jdkName;
    private final int digestLength;

    HashAlgorithm(String metalinkName, String jdkName, int digestLength) {
        this.metalinkName = metalinkName;
        this.compactName = metalinkName.replace("-", "");
        this.jdkName = jdkName;
        this.digestLength = digestLength;
    }

    /** The name used in Metalink {@code hash@type} and RFC 3230 {@code Digest} headers, lower case. */
    public String metalinkName() {
        return metalinkName;
    }

    /** The algorithm name understood by {@code java.security.MessageDigest}. */
    public String jdkName() {
        return jdkName;
    }

    /** Length of a digest in bytes. */
    public int digestLength() {
        return digestLength;
    }

    /** Looks an algorithm up by its Metalink name ({@code sha-256}), case-insensitively; also accepts {@code sha256}. */
    public static Optional<HashAlgorithm> byName(String name) {
        if (name == null) {
            return Optional.empty();
        }
        String n = name.trim().toLowerCase(Locale.ROOT);
        for (HashAlgorithm a : ALL) {
            if (a.metalinkName.equals(n) || a.compactName.equals(n)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }
}
