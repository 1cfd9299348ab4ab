package org.mirrorswarm.live.manifest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Ed25519 keys in PEM files (PKCS#8 private keys, X.509 SubjectPublicKeyInfo public keys), as OpenSSL
 * writes them; the JDK's own Ed25519, no extra library.
 */
public final class Keys {
    private static final String PRIVATE = "PRIVATE KEY";
    private static final String PUBLIC = "PUBLIC KEY";

    private Keys() {
    }

    public static KeyPair generate() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM has no Ed25519", e);
        }
    }

    /** Writes {@code base.key} (owner-only where the file system allows) and {@code base.pub}; never overwrites. */
    public static void write(KeyPair pair, Path key, Path pub) throws IOException {
        if (Files.exists(key) || Files.exists(pub)) {
            throw new IOException((Files.exists(key) ? key : pub) + ": exists; not overwriting a key");
        }
        Path tmp = key.resolveSibling(key.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        try {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(tmp);
        }
        Files.writeString(tmp, pem(PRIVATE, pair.getPrivate().getEncoded()), StandardCharsets.US_ASCII,
                StandardOpenOption.TRUNCATE_EXISTING);
        Files.writeString(pub, pem(PUBLIC, pair.getPublic().getEncoded()), StandardCharsets.US_ASCII,
                StandardOpenOption.CREATE_NEW);
        Files.move(tmp, key, StandardCopyOption.ATOMIC_MOVE);
    }

    public static PrivateKey readPrivate(Path f) throws IOException, ManifestException {
        try {
            return KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(unpem(f, PRIVATE)));
        } catch (GeneralSecurityException e) {
            throw new ManifestException(f + ": not an Ed25519 private key");
        }
    }

    public static PublicKey readPublic(Path f) throws IOException, ManifestException {
        try {
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(unpem(f, PUBLIC)));
        } catch (GeneralSecurityException e) {
            throw new ManifestException(f + ": not an Ed25519 public key");
        }
    }

    /** A short fingerprint of a public key: the first 16 hex digits of the SHA-256 of its encoding. */
    public static String fingerprint(PublicKey k) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(k.getEncoded());
            return HexFormat.of().formatHex(h, 0, 8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static byte[] unpem(Path f, String type) throws IOException, ManifestException {
        if (Files.size(f) > 64 << 10) {
            throw new ManifestException(f + ": too large for a key file");
        }
        String s = Files.readString(f, StandardCharsets.US_ASCII).strip();
        String begin = "-----BEGIN " + type + "-----";
        String end = "-----END " + type + "-----";
        int a = s.indexOf(begin);
        int b = s.indexOf(end);
        if (a < 0 || b < a) {
            throw new ManifestException(f + ": expected a PEM '" + type + "' block");
        }
        try {
            return Base64.getMimeDecoder().decode(s.substring(a + begin.length(), b));
        } catch (IllegalArgumentException e) {
            throw new ManifestException(f + ": the PEM block is not base64");
        }
    }
}
