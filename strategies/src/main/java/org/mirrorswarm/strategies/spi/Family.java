package org.mirrorswarm.strategies.spi;

/** The three kinds of pluggable strategy, each with its own id namespace. */
public enum Family {
    CHUNK("chunk strategy", "chunk strategies", "chunk"),
    SELECTOR("mirror selector", "mirror selectors", "selector"),
    TAIL("tail policy", "tail policies", "tail");

    private final String label;
    private final String plural;
    private final String key;

    Family(String label, String plural, String key) {
        this.label = label;
        this.plural = plural;
        this.key = key;
    }

    /** Human-readable plural, e.g. "chunk strategies". */
    public String plural() {
        return plural;
    }

    /** Human-readable name, e.g. "chunk strategy". */
    public String label() {
        return label;
    }

    /** The key naming this family in scenario files, e.g. "chunk". */
    public String key() {
        return key;
    }
}
