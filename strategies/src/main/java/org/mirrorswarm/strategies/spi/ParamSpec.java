package org.mirrorswarm.strategies.spi;

import java.util.Objects;

/**
 * One tunable number of a strategy: its name as scenario files write it, its type, default and meaning.
 *
 * @param name         lower-case, dash-separated, e.g. {@code chunk-size}
 * @param type         how a value is read
 * @param defaultValue the default, already of the type's Java class (Integer, Long, Double or Boolean)
 * @param description  one line, shown by {@code mirrorswarm strategies}
 */
public record ParamSpec(String name, Type type, Object defaultValue, String description) {

    /** Value types; sizes and durations accept unit suffixes when written as text. */
    public enum Type {
        INT, DOUBLE, BOOLEAN,
        /** A byte count (Long); text such as {@code 1MiB} is accepted. */
        BYTES,
        /** A duration in seconds (Double); text such as {@code 500ms} is accepted. */
        SECONDS
    }

    public ParamSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(defaultValue, "defaultValue");
        Objects.requireNonNull(description, "description");
        Object checked = Params.convert(name, type, defaultValue);
        if (!checked.equals(defaultValue)) {
            throw new IllegalArgumentException("default of " + name + " must be a " + type + " value");
        }
    }

    public static ParamSpec ofInt(String name, int def, String description) {
        return new ParamSpec(name, Type.INT, def, description);
    }

    public static ParamSpec ofDouble(String name, double def, String description) {
        return new ParamSpec(name, Type.DOUBLE, def, description);
    }

    public static ParamSpec ofBoolean(String name, boolean def, String description) {
        return new ParamSpec(name, Type.BOOLEAN, def, description);
    }

    public static ParamSpec ofBytes(String name, long def, String description) {
        return new ParamSpec(name, Type.BYTES, def, description);
    }

    public static ParamSpec ofSeconds(String name, double def, String description) {
        return new ParamSpec(name, Type.SECONDS, def, description);
    }
}
