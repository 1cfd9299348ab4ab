package org.mirrorswarm.engine.scenario;

/** A scenario file or override is wrong; the message starts with where ({@code file:line:column}). */
public final class ScenarioException extends IllegalArgumentException {
    public ScenarioException(String message) {
        super(message);
    }

    public ScenarioException(Node.Where where, String message) {
        super(where + ": " + message);
    }
}
