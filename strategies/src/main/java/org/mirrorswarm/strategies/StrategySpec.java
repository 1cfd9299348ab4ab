package org.mirrorswarm.strategies;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A strategy named by its stable id, with parameter overrides (name to value: a number, a boolean, or
 * text such as {@code "1MiB"} or {@code "500ms"} for sizes and durations). Unset parameters take the
 * defaults the strategy declares. Whole numbers are kept as Long and others as Double, so that equal
 * specs compare equal however they were written.
 */
public record StrategySpec(String id, Map<String, Object> params) {
    public StrategySpec {
        Objects.requireNonNull(id, "id");
        Map<String, Object> canonical = new TreeMap<>();
        params.forEach((k, v) -> canonical.put(Objects.requireNonNull(k, "parameter name"), canonical(v)));
        params = Map.copyOf(canonical);
    }

    private static Object canonical(Object v) {
        Objects.requireNonNull(v, "parameter value");
        if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        return v;
    }

    /** A strategy with all its defaults. */
    public static StrategySpec of(String id) {
        return new StrategySpec(id, Map.of());
    }

    /** A copy with one more parameter set. */
    public StrategySpec with(String param, Object value) {
        Map<String, Object> p = new TreeMap<>(params);
        p.put(param, value);
        return new StrategySpec(id, p);
    }

    @Override
    public String toString() {
        if (params.isEmpty()) {
            return id;
        }
        StringBuilder sb = new StringBuilder(id).append('(');
        new TreeMap<>(params).forEach((k, v) -> sb.append(sb.charAt(sb.length() - 1) == '(' ? "" : ",")
                .append(k).append('=').append(v));
        return sb.append(')').toString();
    }
}
