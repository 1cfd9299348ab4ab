package org.mirrorswarm.strategies;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * An in-memory record of a scheduler's inputs and decisions, in order. Its events alone are enough to
 * replay the run: a fresh scheduler with the same config fed {@link #events()} makes the same
 * {@link #actions()}. {@link TraceCodec} writes it as text.
 */
public final class DecisionTrace implements TraceSink {

    /** One line of the trace: an event received or an action taken at {@code time}. */
    public sealed interface Entry {
        double time();
    }

    /** An event the scheduler received. */
    public record In(Event event) implements Entry {
        @Override
        public double time() {
            return event.time();
        }
    }

    /** An action the scheduler took. */
    public record Out(double time, Action action) implements Entry {
    }

    private final List<Entry> entries = new ArrayList<>();

    @Override
    public void event(Event e) {
        entries.add(new In(e));
    }

    @Override
    public void action(double time, Action a) {
        entries.add(new Out(time, a));
    }

    /** Every entry in order. */
    public List<Entry> entries() {
        return Collections.unmodifiableList(entries);
    }

    /** The events only, in order. */
    public List<Event> events() {
        List<Event> out = new ArrayList<>();
        for (Entry e : entries) {
            if (e instanceof In in) {
                out.add(in.event());
            }
        }
        return out;
    }

    /** The actions only, in order. */
    public List<Action> actions() {
        List<Action> out = new ArrayList<>();
        for (Entry e : entries) {
            if (e instanceof Out o) {
                out.add(o.action());
            }
        }
        return out;
    }
}
