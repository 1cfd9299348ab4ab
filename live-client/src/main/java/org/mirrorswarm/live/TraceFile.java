package org.mirrorswarm.live;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
            part = Files.createTempFile(abs.getParent(), "." + abs.getFileName() + ".", ".part");
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
