package org.mirrorswarm.live.metalink;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import org.mirrorswarm.strategies.Digest;
import org.mirrorswarm.strategies.HashAlgorithm;

/**
 * A local file's size, SHA-256 and SHA-256 of every {@code pieceLength} bytes (the last piece possibly
 * shorter), read once. What {@code mirrorswarm metalink}, {@code sign} and the tracker publish.
 */
public record FileHashes(long size, Digest sha256, int pieceLength, List<Digest> pieces) {
    public FileHashes {
        pieces = List.copyOf(pieces);
    }

    public static FileHashes of(Path f, int pieceLength) throws IOException {
        if (pieceLength <= 0) {
            throw new IllegalArgumentException("piece length must be positive");
        }
        MessageDigest whole = newDigest();
        MessageDigest piece = newDigest();
        List<Digest> pieces = new ArrayList<>();
        long size = 0;
        long inPiece = 0;
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(f)) {
            int n;
            while ((n = in.read(buf)) > 0) {
                int off = 0;
                while (off < n) {
                    int take = (int) Math.min(n - off, pieceLength - inPiece);
                    piece.update(buf, off, take);
                    whole.update(buf, off, take);
                    inPiece += take;
                    off += take;
                    if (inPiece == pieceLength) {
                        pieces.add(Digest.of(HashAlgorithm.SHA_256, piece.digest()));
                        inPiece = 0;
                    }
                }
                size += n;
            }
        }
        if (inPiece > 0) {
            pieces.add(Digest.of(HashAlgorithm.SHA_256, piece.digest()));
        }
        return new FileHashes(size, Digest.of(HashAlgorithm.SHA_256, whole.digest()), pieceLength, pieces);
    }

    /** As Metalink pieces. */
    public MetalinkFile.Pieces metalinkPieces() {
        return new MetalinkFile.Pieces(HashAlgorithm.SHA_256, pieceLength, pieces);
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }
}
