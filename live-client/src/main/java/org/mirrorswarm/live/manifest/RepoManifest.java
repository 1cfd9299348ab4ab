package org.mirrorswarm.live.manifest;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.mirrorswarm.live.metalink.SafeNames;
import org.mirrorswarm.strategies.Digest;
import org.mirrorswarm.strategies.HashAlgorithm;

/**
 * One manifest for a whole repository snapshot: every file's size, SHA-256 and piece hashes, signed
 * offline with Ed25519 at publish time (the simulator's {@code repo-manifest}, made real).
 *
 * <p>The format is plain UTF-8 lines, so that the signed bytes are exactly the bytes served and no
 * canonical form is needed:
 * <pre>
 * mirrorswarm-manifest 1
 * published 2026-11-26T12:00:00Z
 * expires 2026-12-03T12:00:00Z
 * piece-length 1048576
 * file SIZE SHA256-HEX URL-ENCODED-PATH
 * pieces HEX HEX …             (one line per file, its pieces in order; absent for an empty file)
 * signature ed25519 BASE64     (last line: signs every byte before it)
 * </pre>
 * Mirror lists are never in it: integrity comes from these hashes, mirrors are hints.
 */
public final class RepoManifest {
    public static final String MAGIC = "mirrorswarm-manifest 1";
    /** Manifests larger than this are refused before parsing (a repository of ~200,000 files fits). */
    public static final int MAX_BYTES = 256 << 20;

    /** One file of the snapshot. */
    public record Entry(String name, long size, Digest sha256, List<Digest> pieces) {
        public Entry {
            pieces = List.copyOf(pieces);
        }
    }

    private final Instant published;
    private final Instant expires;
    private final int pieceLength;
    private final List<Entry> entries;

    public RepoManifest(Instant published, Instant expires, int pieceLength, List<Entry> entries) {
        this.published = published.truncatedTo(ChronoUnit.SECONDS);
        this.expires = expires == null ? null : expires.truncatedTo(ChronoUnit.SECONDS);
        this.pieceLength = pieceLength;
        this.entries = List.copyOf(entries);
    }

    public Instant published() {
        return published;
    }

    public Instant expires() {
        return expires;
    }

    public int pieceLength() {
        return pieceLength;
    }

    public List<Entry> entries() {
        return entries;
    }

    public Entry entry(String name) {
        for (Entry e : entries) {
            if (e.name().equals(name)) {
                return e;
            }
        }
        return null;
    }

    /** The unsigned text. */
    public String body() {
        StringBuilder sb = new StringBuilder(64 + entries.size() * 200);
        sb.append(MAGIC).append('\n');
        sb.append("published ").append(published).append('\n');
        if (expires != null) {
            sb.append("expires ").append(expires).append('\n');
        }
        sb.append("piece-length ").append(pieceLength).append('\n');
        for (Entry e : entries) {
            sb.append("file ").append(e.size()).append(' ').append(e.sha256().hex()).append(' ')
                    .append(SafeNames.urlPath(e.name())).append('\n');
            if (!e.pieces().isEmpty()) {
                sb.append("pieces");
                for (Digest d : e.pieces()) {
                    sb.append(' ').append(d.hex());
                }
                sb.append('\n');
            }
        }
        return sb.toString();
    }

    /** The text signed with {@code key} (Ed25519). */
    public byte[] signed(PrivateKey key) throws GeneralSecurityException {
        byte[] body = body().getBytes(StandardCharsets.UTF_8);
        Signature s = Signature.getInstance("Ed25519");
        s.initSign(key);
        s.update(body);
        String line = "signature ed25519 " + Base64.getEncoder().encodeToString(s.sign()) + "\n";
        byte[] sig = line.getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[body.length + sig.length];
        System.arraycopy(body, 0, out, 0, body.length);
        System.arraycopy(sig, 0, out, body.length, sig.length);
        return out;
    }

    /**
     * Checks the signature of {@code bytes} with {@code key} and parses them. Throws with a one-line reason
     * (naming {@code source} and the line) when the signature is missing or wrong, or the text is malformed.
     */
    public static RepoManifest verify(byte[] bytes, PublicKey key, String source) throws ManifestException {
        int cut = lastLineStart(bytes);
        String last = new String(bytes, cut, bytes.length - cut, StandardCharsets.UTF_8).strip();
        if (!last.startsWith("signature ")) {
            throw new ManifestException(source + ": not signed (no 'signature' line at the end)");
        }
        String[] f = last.split(" ");
        if (f.length != 3 || !f[1].equals("ed25519")) {
            throw new ManifestException(source + ": unknown signature line '" + SafeNames.printable(last) + "'");
        }
        byte[] sig;
        try {
            sig = Base64.getDecoder().decode(f[2]);
        } catch (IllegalArgumentException e) {
            throw new ManifestException(source + ": the signature is not base64");
        }
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initVerify(key);
            s.update(bytes, 0, cut);
            if (!s.verify(sig)) {
                throw new ManifestException(source + ": bad signature (tampered, or signed with another key)");
            }
        } catch (java.security.SignatureException | java.security.InvalidKeyException e) {
            throw new ManifestException(source + ": bad signature (" + e.getMessage() + ")");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no Ed25519", e);
        }
        return parse(new String(bytes, 0, cut, StandardCharsets.UTF_8), source);
    }

    /** Parses the text of a manifest (a trailing signature line is ignored — use {@link #verify} to check it). */
    public static RepoManifest parse(String text, String source) throws ManifestException {
        String[] lines = text.split("\n", -1);
        int n = lines.length;
        if (n > 0 && lines[n - 1].isEmpty()) {
            n--;
        }
        if (n > 0 && lines[n - 1].startsWith("signature ")) {
            n--;
        }
        if (n == 0 || !lines[0].equals(MAGIC)) {
            throw new ManifestException(source + ":1: not a mirrorswarm manifest (expected '" + MAGIC + "')");
        }
        Instant published = null;
        Instant expires = null;
        int pieceLength = -1;
        List<Entry> entries = new ArrayList<>();
        Set<String> names = new HashSet<>();
        String name = null;
        long size = 0;
        Digest sha = null;
        for (int i = 1; i < n; i++) {
            String where = source + ":" + (i + 1) + ": ";
            String line = lines[i];
            int sp = line.indexOf(' ');
            String key = sp < 0 ? line : line.substring(0, sp);
            String rest = sp < 0 ? "" : line.substring(sp + 1);
            switch (key) {
                case "published", "expires" -> {
                    if (!entries.isEmpty() || name != null) {
                        throw new ManifestException(where + key + " after the first file");
                    }
                    Instant t;
                    try {
                        t = Instant.parse(rest);
                    } catch (DateTimeParseException e) {
                        throw new ManifestException(where + key + ": not a UTC time like 2026-11-26T12:00:00Z");
                    }
                    if (key.equals("published")) {
                        published = t;
                    } else {
                        expires = t;
                    }
                }
                case "piece-length" -> {
                    try {
                        pieceLength = Integer.parseInt(rest);
                    } catch (NumberFormatException e) {
                        pieceLength = -1;
                    }
                    if (pieceLength < 1024) {
                        throw new ManifestException(where + "piece-length: a whole number of bytes, at least 1024");
                    }
                }
                case "file" -> {
                    if (pieceLength < 0) {
                        throw new ManifestException(where + "file before piece-length");
                    }
                    if (name != null) {
                        entries.add(entry(name, size, sha, List.of(), pieceLength, where));
                    }
                    String[] f = rest.split(" ");
                    if (f.length != 3) {
                        throw new ManifestException(where + "expected 'file SIZE SHA256 PATH'");
                    }
                    try {
                        size = Long.parseLong(f[0]);
                    } catch (NumberFormatException e) {
                        size = -1;
                    }
                    if (size < 0) {
                        throw new ManifestException(where + "size: not a whole number of bytes");
                    }
                    sha = hex(f[1], where);
                    try {
                        name = java.net.URLDecoder.decode(f[2].replace("+", "%2B"), StandardCharsets.UTF_8);
                    } catch (IllegalArgumentException e) {
                        throw new ManifestException(where + "path: bad percent-encoding");
                    }
                    String problem = SafeNames.problem(name);
                    if (problem != null) {
                        throw new ManifestException(where + SafeNames.printable(name) + ": " + problem);
                    }
                    if (!names.add(name)) {
                        throw new ManifestException(where + name + ": listed twice");
                    }
                }
                case "pieces" -> {
                    if (name == null) {
                        throw new ManifestException(where + "pieces without a file");
                    }
                    String[] f = rest.split(" ");
                    List<Digest> pieces = new ArrayList<>(f.length);
                    for (String h : f) {
                        pieces.add(hex(h, where));
                    }
                    entries.add(entry(name, size, sha, pieces, pieceLength, where));
                    name = null;
                }
                default -> throw new ManifestException(where + "unknown line '" + SafeNames.printable(
                        line.length() > 40 ? line.substring(0, 40) + "…" : line) + "'");
            }
        }
        if (name != null) {
            entries.add(entry(name, size, sha, List.of(), pieceLength, source + ":" + n + ": "));
        }
        if (published == null) {
            throw new ManifestException(source + ": no 'published' line");
        }
        if (pieceLength < 0) {
            throw new ManifestException(source + ": no 'piece-length' line");
        }
        return new RepoManifest(published, expires, pieceLength, entries);
    }

    private static Entry entry(String name, long size, Digest sha, List<Digest> pieces, int pieceLength, String where)
            throws ManifestException {
        long expected = (size + pieceLength - 1) / pieceLength;
        if (pieces.size() != expected) {
            throw new ManifestException(where + name + ": " + pieces.size() + " piece hashes for " + expected + " pieces");
        }
        return new Entry(name, size, sha, pieces);
    }

    private static Digest hex(String s, String where) throws ManifestException {
        if (s.length() != 64) {
            throw new ManifestException(where + "expected a SHA-256 in 64 hex digits");
        }
        try {
            return Digest.of(HashAlgorithm.SHA_256, HexFormat.of().parseHex(s));
        } catch (IllegalArgumentException e) {
            throw new ManifestException(where + "expected a SHA-256 in 64 hex digits");
        }
    }

    private static int lastLineStart(byte[] b) {
        int end = b.length;
        if (end > 0 && b[end - 1] == '\n') {
            end--;
        }
        int i = end;
        while (i > 0 && b[i - 1] != '\n') {
            i--;
        }
        return i;
    }
}
