package org.mirrorswarm.strategies;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A strategy named by its stable id, with parameter overrides (name to value: a number, a boolean, or
 * text such as {@code "1MiB"} or {@code "500ms"} for sizes and durations). Unset parameters take the
 * defaults the strategy declares.
 */
public record StrategySpec(String id, Map<String, Object> params) {
    public StrategySpec {
        Objects.requireNonNull(id, "id");
        params = Map.copyOf(params);
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
