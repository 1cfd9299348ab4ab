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

    /**
     * Reads the form {@link #toString()} writes: {@code id} or {@code id(name=value,name=value)}, e.g.
     * {@code adaptive(target-duration=1s,gate=false)}. Values stay text; the strategy's parameter types
     * read them (sizes such as {@code 1MiB}, durations such as {@code 500ms}, numbers, true or false).
     *
     * @throws IllegalArgumentException naming what is wrong with {@code text}
     */
    public static StrategySpec parse(String text) {
        String t = text.strip();
        int open = t.indexOf('(');
        String id = (open < 0 ? t : t.substring(0, open)).strip();
        if (id.isEmpty() || !id.chars().allMatch(c -> c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-')) {
            throw new IllegalArgumentException("'" + text + "': a strategy id is lower-case letters, digits and '-'");
        }
        if (open < 0) {
            return of(id);
        }
        if (!t.endsWith(")")) {
            throw new IllegalArgumentException("'" + text + "': parameters end with ')'");
        }
        Map<String, Object> params = new TreeMap<>();
        String inside = t.substring(open + 1, t.length() - 1);
        if (inside.isBlank()) {
            return of(id);
        }
        for (String pair : inside.split(",", -1)) {
            int eq = pair.indexOf('=');
            String name = eq < 0 ? "" : pair.substring(0, eq).strip();
            String value = eq < 0 ? "" : pair.substring(eq + 1).strip();
            if (name.isEmpty() || value.isEmpty() || value.indexOf('(') >= 0 || value.indexOf(')') >= 0) {
                throw new IllegalArgumentException("'" + text + "': expected name=value, got '" + pair.strip() + "'");
            }
            if (params.put(name, value) != null) {
                throw new IllegalArgumentException("'" + text + "': " + name + " is set twice");
            }
        }
        return new StrategySpec(id, params);
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
