package org.mirrorswarm.live.store;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Replaces a small text file whole: written to a temporary file of its own beside it, then renamed over it.
 * A reader sees the old file or the new one, never half of either; two writers at once never write into
 * the same temporary file (the last rename wins); a failed write leaves nothing behind.
 */
public final class AtomicWrite {
    private AtomicWrite() {
    }

    /** What goes into the file. */
    public interface Body {
        void write(Writer w) throws IOException;
    }

    /**
     * Writes {@code target} (UTF-8) with {@code body}; its folder must exist. The file is made as any other
     * (the umask decides its mode: a Metalink published from it must stay readable by the web server), not
     * as {@link Files#createTempFile} makes its own, readable by the owner only.
     */
    public static void replace(Path target, Body body) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + "." + Long.toHexString(
                ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE) + ".tmp");
        Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE); // throws before the name is ours if it was taken
        try {
            try (w) {
                body.write(w);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp); // gone already unless the write or the move failed
        }
    }
}
