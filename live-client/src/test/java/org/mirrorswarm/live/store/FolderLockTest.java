package org.mirrorswarm.live.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One fetch at a time in a folder: a second one, in another process or this one, is told who holds it. */
class FolderLockTest {
    @TempDir
    Path dir;

    private Process holder() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), FolderLockChild.class.getName(),
                dir.toString()).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        assertThat(out.readLine()).isEqualTo("locked");
        return p;
    }

    private void assertFolderEmpty() throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            assertThat(s).isEmpty();
        }
    }

    @Test
    void anotherProcessHoldingTheFolderIsNamedAndOnceItLetsGoTheFolderIsLeftAsItWas() throws Exception {
        Process p = holder();
        assertThatThrownBy(() -> FolderLock.take(dir)).isInstanceOf(FolderLock.Busy.class)
                .hasMessage(dir + ": another mirrorswarm fetch is downloading into this folder (process " + p.pid()
                        + "); run this one when it ends, or use another folder (-d)");
        p.getOutputStream().close();
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        assertFolderEmpty();
        try (FolderLock mine = FolderLock.take(dir)) {
            assertThat(mine).isNotNull();
            assertThat(Files.readString(dir.resolve(FolderLock.NAME)).strip())
                    .isEqualTo(Long.toString(ProcessHandle.current().pid()));
        }
        assertFolderEmpty();
    }

    @Test
    void aHolderKilledWithSigkillLeavesAFileThatHoldsNothing() throws Exception {
        Process p = holder();
        p.destroyForcibly();
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(dir.resolve(FolderLock.NAME)).exists(); // no chance to delete it
        FolderLock.take(dir).close();
        assertFolderEmpty();
    }

    @Test
    void aSecondDownloadInThisProcessIsBusyToo() throws Exception {
        try (FolderLock first = FolderLock.take(dir)) {
            assertThatThrownBy(() -> FolderLock.take(dir)).isInstanceOf(FolderLock.Busy.class)
                    .hasMessageContaining("process " + ProcessHandle.current().pid());
        }
        assertFolderEmpty();
    }
}
