package org.mirrorswarm.live.store;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

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

    /** Writes {@code target} (UTF-8) with {@code body}; its folder must exist. */
    public static void replace(Path target, Body body) throws IOException {
        Path tmp = Files.createTempFile(target.toAbsolutePath().getParent(), target.getFileName() + ".", ".tmp");
        try {
            try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                body.write(w);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp); // gone already unless the write or the move failed
        }
    }
}
