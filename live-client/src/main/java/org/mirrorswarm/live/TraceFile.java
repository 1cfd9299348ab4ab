package org.mirrorswarm.live;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
 */
public final class TraceFile implements TraceSink, Closeable {
    private final BufferedWriter out;

    public TraceFile(Path file, SchedulerConfig config) throws IOException {
        out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        for (String l : TraceCodec.preamble(config)) {
            out.write(l);
            out.newLine();
        }
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

    @Override
    public void close() throws IOException {
        out.close();
    }
}
