package org.mirrorswarm.live;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The trace's hidden file: it takes the trace's name when kept, and one a killed process left is swept. */
class TraceFileTest {
    @TempDir
    Path dir;

    private static long deadPid() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        long pid = p.pid();
        assertThat(ProcessHandle.of(pid)).isEmpty();
        return pid;
    }

    private String[] listing() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toArray(String[]::new);
        }
    }

    @Test
    void aHiddenTraceOfAProcessThatIsGoneAndUntouchedForAnHourIsSweptAndNothingElse() throws Exception {
        long dead = deadPid();
        long alive = ProcessHandle.current().pid();
        String[] others = {
            ".t.trace." + alive + ".12345.part", // a trace this process is writing
            ".t.trace.notes.part", ".t.trace." + dead + ".x.part", // not names a trace file makes
            ".u.trace." + dead + ".12345.part", // another trace's
            "t.trace." + dead + ".12345.part"};
        FileTime longAgo = FileTime.fromMillis(System.currentTimeMillis() - TraceFile.SWEEP_AFTER.toMillis() - 60_000);
        for (String n : others) {
            Files.setLastModifiedTime(Files.writeString(dir.resolve(n), "keep"), longAgo);
        }
        // Of a process that is gone, but written to lately: perhaps a process this one cannot see.
        String recent = ".t.trace." + dead + ".55555.part";
        Files.writeString(dir.resolve(recent), "keep");
        Files.setLastModifiedTime(Files.writeString(dir.resolve(".t.trace." + dead + ".987654321.part"),
                "left by kill -9"), longAgo);
        try (TraceFile t = new TraceFile(dir.resolve("t.trace"), Fixture.options().scheduler())) {
            t.keep();
        }
        String[] expected = Stream.concat(Stream.of(others), Stream.of("t.trace", recent)).sorted()
                .toArray(String[]::new);
        assertThat(listing()).containsExactly(expected);
        assertThat(Files.readString(dir.resolve("t.trace"))).startsWith("# mirrorswarm trace");
    }

    @Test
    void aTraceNotKeptLeavesNothing() throws Exception {
        try (TraceFile t = new TraceFile(dir.resolve("t.trace"), Fixture.options().scheduler())) {
            assertThat(listing()).hasSize(1).allSatisfy(n -> assertThat(n).startsWith(".t.trace."
                    + ProcessHandle.current().pid() + ".").endsWith(".part"));
        }
        assertThat(listing()).isEmpty();
    }
}
