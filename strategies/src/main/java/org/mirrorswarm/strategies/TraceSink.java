package org.mirrorswarm.strategies;

/** Receives every event a scheduler handles and every action it takes, in order. */
public interface TraceSink {
    /** Records nothing. */
    TraceSink NONE = new TraceSink() {
        @Override
        public void event(Event e) {
        }

        @Override
        public void action(double time, Action a) {
        }
    };

    void event(Event e);

    /** An action taken while handling the event at {@code time}. */
    void action(double time, Action a);
}
