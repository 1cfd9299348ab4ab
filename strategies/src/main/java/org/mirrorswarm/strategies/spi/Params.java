package org.mirrorswarm.strategies.spi;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mirrorswarm.strategies.Names;
import org.mirrorswarm.strategies.Units;

/**
 * The parameter values of one strategy instance: the declared defaults overridden by the user's values,
 * each checked against its {@link ParamSpec}. An unknown name or a value of the wrong type is an
 * {@link IllegalArgumentException} whose message names the parameter and the valid choices.
 */
public final class Params {
    private final Map<String, Object> values;

    private Params(Map<String, Object> values) {
        this.values = Collections.unmodifiableMap(values);
    }

    /** The defaults of {@code specs} overridden by {@code given}; {@code owner} names the strategy in messages. */
    public static Params of(String owner, List<ParamSpec> specs, Map<String, ?> given) {
        Map<String, Object> v = new LinkedHashMap<>();
        Map<String, ParamSpec> byName = new LinkedHashMap<>();
        for (ParamSpec s : specs) {
            byName.put(s.name(), s);
            v.put(s.name(), s.defaultValue());
        }
        for (Map.Entry<String, ?> e : given.entrySet()) {
            ParamSpec s = byName.get(e.getKey());
            if (s == null) {
                if (byName.isEmpty()) {
                    throw new IllegalArgumentException(owner + " takes no parameters, got '" + e.getKey() + "'");
                }
                throw new IllegalArgumentException(Names.unknown("parameter of " + owner, e.getKey(), byName.keySet()));
            }
            v.put(s.name(), convert(owner + " parameter " + s.name(), s.type(), e.getValue()));
        }
        return new Params(v);
    }

    static Object convert(String what, ParamSpec.Type type, Object value) {
        if (value == null) {
            throw new IllegalArgumentException(what + " has no value");
        }
        try {
            return switch (type) {
                case INT -> {
                    long l = asLong(value);
                    if (l != (int) l) {
                        throw new IllegalArgumentException("out of range");
                    }
                    yield (int) l;
                }
                case BYTES -> {
                    long l = value instanceof String s ? Units.parseBytes(s) : asLong(value);
                    if (l < 0) {
                        throw new IllegalArgumentException("negative");
                    }
                    yield l;
                }
                case DOUBLE -> asDouble(value);
                case SECONDS -> {
                    double d = value instanceof String s ? Units.parseSeconds(s) : asDouble(value);
                    if (d < 0) {
                        throw new IllegalArgumentException("negative");
                    }
                    yield d;
                }
                case BOOLEAN -> {
                    if (value instanceof Boolean b) {
                        yield b;
                    }
                    if (value instanceof String s && (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false"))) {
                        yield Boolean.parseBoolean(s);
                    }
                    throw new IllegalArgumentException("not true or false");
                }
            };
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + ": expected " + type.name().toLowerCase(java.util.Locale.ROOT)
                    + ", got '" + value + "' (" + e.getMessage() + ")");
        }
    }

    private static long asLong(Object value) {
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof Number n) {
            double d = n.doubleValue();
            if (d == Math.rint(d) && Math.abs(d) < 0x1p63) {
                return (long) d;
            }
            throw new IllegalArgumentException("not a whole number");
        }
        if (value instanceof String s) {
            return Long.parseLong(s.trim());
        }
        throw new IllegalArgumentException("not a number");
    }

    private static double asDouble(Object value) {
        double d;
        if (value instanceof Number n) {
            d = n.doubleValue();
        } else if (value instanceof String s) {
            d = Double.parseDouble(s.trim());
        } else {
            throw new IllegalArgumentException("not a number");
        }
        if (!Double.isFinite(d)) {
            throw new IllegalArgumentException("not finite");
        }
        return d;
    }

    public int getInt(String name) {
        return (Integer) get(name);
    }

    public long getBytes(String name) {
        return (Long) get(name);
    }

    public double getDouble(String name) {
        return (Double) get(name);
    }

    public double getSeconds(String name) {
        return (Double) get(name);
    }

    public boolean getBoolean(String name) {
        return (Boolean) get(name);
    }

    /** Every value, defaults included, in declaration order. */
    public Map<String, Object> values() {
        return values;
    }

    private Object get(String name) {
        Object v = values.get(name);
        if (v == null) {
            throw new IllegalStateException("undeclared parameter " + name);
        }
        return v;
    }
}
