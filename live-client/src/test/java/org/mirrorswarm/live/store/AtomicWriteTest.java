package org.mirrorswarm.live.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rollback registries are rewritten whole; two fetches writing at once (one then refused) never mix. */
class AtomicWriteTest {
    @TempDir
    Path dir;

    @Test
    void concurrentWritersLeaveOneWholeVersionAndNoTemporaryFile() throws Exception {
        Path target = dir.resolve(".registry");
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        List<Thread> writers = new ArrayList<>();
        for (int t = 0; t < 6; t++) {
            String line = ("writer " + t + " ").repeat(2000) + "\n"; // bigger than one buffer
            writers.add(new Thread(() -> {
                for (int i = 0; i < 100; i++) {
                    try {
                        AtomicWrite.replace(target, w -> w.write(line));
                        String seen = Files.readString(target);
                        assertThat(seen).matches("(writer [0-5] ){2000}\n");
                        assertThat(seen.substring(0, 9).repeat(2000) + "\n").isEqualTo(seen);
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                }
            }));
        }
        writers.forEach(Thread::start);
        for (Thread w : writers) {
            w.join();
        }
        assertThat(failures).isEmpty();
        try (Stream<Path> s = Files.list(dir)) {
            assertThat(s).containsExactly(target);
        }
        // Made as any file is (the umask decides), not owner-only as a temporary file: a Metalink written so is
        // published by a web server.
        Path plain = Files.writeString(dir.resolve("plain"), "x");
        assertThat(Files.getPosixFilePermissions(target)).isEqualTo(Files.getPosixFilePermissions(plain));
    }

    @Test
    void aFailedWriteLeavesTheOldFileAndNothingElse() throws Exception {
        Path target = dir.resolve(".registry");
        Files.writeString(target, "old\n");
        assertThatThrownBy(() -> AtomicWrite.replace(target, w -> {
            w.write("half");
            throw new IOException("disk full");
        })).hasMessage("disk full");
        assertThat(Files.readString(target)).isEqualTo("old\n");
        try (Stream<Path> s = Files.list(dir)) {
            assertThat(s).containsExactly(target);
        }
    }
}
