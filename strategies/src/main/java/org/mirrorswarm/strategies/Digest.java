package org.mirrorswarm.strategies;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * An immutable hash value with its algorithm. Equality is by algorithm and bytes; {@link #matches}
 * compares in constant time because the bytes being checked come from an untrusted mirror.
 */
public final class Digest {
    private static final HexFormat HEX = HexFormat.of();

    private final HashAlgorithm algorithm;
    private final byte[] value;

    private Digest(HashAlgorithm algorithm, byte[] value) {
        this.algorithm = Objects.requireNonNull(algorithm, "algorithm");
        if (value.length != algorithm.digestLength()) {
            throw new IllegalArgumentException(algorithm.metalinkName() + " digest must be "
                    + algorithm.digestLength() + " bytes, got " + value.length);
        }
        this.value = value;
    }

    /** A digest from raw bytes (copied). */
    public static Digest of(HashAlgorithm algorithm, byte[] value) {
        return new Digest(algorithm, value.clone());
    }

    /** A digest from hexadecimal text, either case; rejects wrong lengths and non-hex characters. */
    public static Digest ofHex(HashAlgorithm algorithm, String hex) {
        Objects.requireNonNull(hex, "hex");
        String h = hex.trim();
        if (h.length() != 2 * algorithm.digestLength()) {
            throw new IllegalArgumentException(algorithm.metalinkName() + " digest must be "
                    + 2 * algorithm.digestLength() + " hex digits, got " + h.length());
        }
        try {
            return new Digest(algorithm, HEX.parseHex(h));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("not a hexadecimal " + algorithm.metalinkName() + " digest: " + h);
        }
    }

    public HashAlgorithm algorithm() {
        return algorithm;
    }

    /** A copy of the digest bytes. */
    public byte[] bytes() {
        return value.clone();
    }

    /** Lower-case hexadecimal, as Metalink writes it. */
    public String hex() {
        return HEX.formatHex(value);
    }

    /** True when {@code candidate} equals this digest, compared in constant time. */
    public boolean matches(byte[] candidate) {
        return candidate != null && MessageDigest.isEqual(value, candidate);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Digest d && d.algorithm == algorithm && Arrays.equals(d.value, value);
    }

    @Override
    public int hashCode() {
        return 31 * algorithm.hashCode() + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return algorithm.metalinkName() + ":" + hex();
    }
}
