package org.mirrorswarm.live;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.mirrorswarm.strategies.Action;
import org.mirrorswarm.strategies.DecisionTrace;
import org.mirrorswarm.strategies.Event;
import org.mirrorswarm.strategies.SchedulerConfig;
import org.mirrorswarm.strategies.TraceCodec;
import org.mirrorswarm.strategies.TraceSink;

/**
 * The scheduler's decision trace written as it happens, in {@link TraceCodec}'s text format: every event
 * the live client fed the scheduler and every action it got back, with times. The same format replays in
 * the simulator's tests and is drawn by {@code mirrorswarm report}.
 *
 * <p>It is written to a hidden file beside its name, and takes that name at {@link #close} only if {@link
 * #keep} was called: a download refused (a stale or unsafe source, found while it is read) leaves no trace.
 * The hidden file's name carries the process's id ({@code .NAME.PID.RANDOM.part}): one left behind by a
 * process that no longer runs (killed with SIGKILL, which no code outlives) and untouched for an hour is
 * deleted by the next trace of the same name. (The hour spares a trace being written by a process this one
 * cannot see: another container's, in a shared folder.)
 */
public final class TraceFile implements TraceSink, Closeable {
    private final Path file;
    private final Path part;
    private final BufferedWriter out;
    private boolean keep;

    public TraceFile(Path file, SchedulerConfig config) throws IOException {
        this.file = file;
        Path abs = file.toAbsolutePath();
        try {
            String prefix = "." + abs.getFileName() + ".";
            sweep(abs.getParent(), prefix);
            part = Files.createTempFile(abs.getParent(), prefix + ProcessHandle.current().pid() + ".", ".part");
        } catch (IOException e) {
            throw new IOException(file + ": cannot write the trace there (" + e.getMessage() + ")", e);
        }
        BufferedWriter w = null;
        try {
            w = Files.newBufferedWriter(part, StandardCharsets.UTF_8);
            for (String l : TraceCodec.preamble(config)) {
                w.write(l);
                w.newLine();
            }
        } catch (IOException | RuntimeException e) {
            if (w != null) {
                w.close();
            }
            Files.deleteIfExists(part);
            throw e;
        }
        out = w;
    }

    /** How long a hidden trace of a process that is gone stays untouched before it is swept. */
    static final Duration SWEEP_AFTER = Duration.ofHours(1);

    /**
     * Deletes the hidden files {@code prefix + PID.RANDOM.part} in {@code folder} of processes that no longer
     * run, untouched for {@link #SWEEP_AFTER}. Best effort: a folder that cannot be listed keeps them.
     */
    static void sweep(Path folder, String prefix) {
        long before = System.currentTimeMillis() - SWEEP_AFTER.toMillis();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(folder, p -> {
            String n = p.getFileName().toString();
            return n.startsWith(prefix) && n.endsWith(".part");
        })) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                String rest = n.substring(prefix.length(), n.length() - ".part".length());
                int dot = rest.indexOf('.');
                if (dot < 1 || dot > 18 || !digits(rest, 0, dot) || !digits(rest, dot + 1, rest.length())) {
                    continue; // not a name this class makes
                }
                long pid = Long.parseLong(rest, 0, dot, 10);
                if (ProcessHandle.of(pid).isEmpty() && Files.getLastModifiedTime(p).toMillis() < before) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException | RuntimeException e) {
            // best effort: a leftover trace is litter, not a danger
        }
    }

    private static boolean digits(String s, int from, int to) {
        if (from >= to) {
            return false;
        }
        for (int i = from; i < to; i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /** The trace is to take its name when closed (the download was accepted, whatever its outcome). */
    public void keep() {
        keep = true;
    }

    @Override
    public void event(Event e) {
        line(TraceCodec.format(new DecisionTrace.In(e)));
    }

    @Override
    public void action(double time, Action a) {
        line(TraceCodec.format(new DecisionTrace.Out(time, a)));
    }

    private void line(String s) {
        try {
            out.write(s);
            out.newLine();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Closes the trace: it takes its name if {@link #keep} was called, else it is deleted. */
    @Override
    public void close() throws IOException {
        try {
            out.close();
        } catch (IOException e) {
            Files.deleteIfExists(part);
            throw e;
        }
        if (keep) {
            try {
                Files.move(part, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                Files.deleteIfExists(part);
                throw e;
            }
        } else {
            Files.deleteIfExists(part);
        }
    }
}
