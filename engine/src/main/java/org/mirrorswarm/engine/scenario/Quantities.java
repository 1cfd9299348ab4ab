package org.mirrorswarm.engine.scenario;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Numbers as scenario files write them: plain, or with a unit of size, rate or time. */
final class Quantities {
    /** What a number measures, which decides the units it may carry. */
    enum Kind {
        COUNT("a whole number"),
        NUMBER("a number"),
        BYTES("a size (e.g. 59164, 512KiB, 1MiB, 1.5GB)"),
        RATE("a rate (e.g. 12500000, 10MB/s, 12MiB/s, 100Mbit/s, 1Gbit)"),
        SECONDS("a time (e.g. 0.5, 500ms, 30s, 5m, 2h)");

        final String description;

        Kind(String description) {
            this.description = description;
        }
    }

    private static final Pattern SIZE = Pattern.compile(
            "([0-9]+(?:\\.[0-9]+)?(?:[eE][+-]?[0-9]+)?)\\s*(B|KiB|MiB|GiB|TiB|kB|KB|MB|GB|TB|K|k|M|G|T)?(/s|ps)?");
    private static final Pattern BITS = Pattern.compile(
            "([0-9]+(?:\\.[0-9]+)?)\\s*(bit|kbit|Kbit|Mbit|Gbit|bps|kbps|Kbps|Mbps|Gbps)(/s)?");
    private static final Pattern TIME = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)\\s*(ms|s|m|min|h|d)?");

    private Quantities() {
    }

    /** The value of a scalar node, in bytes, bytes per second or seconds. */
    static double parse(Node n, Kind kind, String field) {
        if (!(n instanceof Node.Scalar s) || s.value == null || s.value instanceof Boolean) {
            throw new ScenarioException(n.where, field + ": expected " + kind.description + ", got " + n.kind());
        }
        double v;
        if (s.value instanceof Number num) {
            v = num.doubleValue();
        } else {
            String text = ((String) s.value).trim();
            String lower = text.toLowerCase(Locale.ROOT);
            if (lower.equals("infinity") || lower.equals("inf") || lower.equals(".inf") || lower.equals("unlimited")) {
                if (kind == Kind.COUNT) {
                    throw new ScenarioException(n.where, field + ": expected " + kind.description + ", got '" + text + "'");
                }
                return Double.POSITIVE_INFINITY;
            }
            Double parsed = switch (kind) {
                case BYTES -> size(text, false);
                case RATE -> rate(text);
                case SECONDS -> time(text);
                case COUNT, NUMBER -> plain(text);
            };
            if (parsed == null) {
                throw new ScenarioException(n.where, field + ": expected " + kind.description + ", got '" + text + "'");
            }
            v = parsed;
        }
        if (Double.isNaN(v)) {
            throw new ScenarioException(n.where, field + ": not a number");
        }
        if (kind == Kind.COUNT && (v != Math.rint(v) || Math.abs(v) > Integer.MAX_VALUE)) {
            throw new ScenarioException(n.where, field + ": expected " + kind.description + ", got " + s.value);
        }
        return v;
    }

    private static Double plain(String text) {
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Binary units with an i (KiB), decimal without (kB, MB); a lone K/M/G is binary, as aria2 reads -k1M. */
    private static Double size(String text, boolean rate) {
        Matcher m = SIZE.matcher(text);
        if (!m.matches() || (m.group(3) != null && !rate)) {
            return null;
        }
        double v = Double.parseDouble(m.group(1));
        String u = m.group(2) == null ? "B" : m.group(2);
        double factor = switch (u) {
            case "B" -> 1;
            case "KiB", "K", "k" -> 1024;
            case "MiB", "M" -> 1024 * 1024;
            case "GiB", "G" -> 1024.0 * 1024 * 1024;
            case "TiB", "T" -> 1024.0 * 1024 * 1024 * 1024;
            case "kB", "KB" -> 1e3;
            case "MB" -> 1e6;
            case "GB" -> 1e9;
            case "TB" -> 1e12;
            default -> Double.NaN;
        };
        return v * factor;
    }

    private static Double rate(String text) {
        Double bytes = size(text, true);
        if (bytes != null) {
            return bytes;
        }
        Matcher m = BITS.matcher(text);
        if (!m.matches()) {
            return null;
        }
        double v = Double.parseDouble(m.group(1));
        double bits = switch (m.group(2)) {
            case "bit", "bps" -> 1;
            case "kbit", "Kbit", "kbps", "Kbps" -> 1e3;
            case "Mbit", "Mbps" -> 1e6;
            case "Gbit", "Gbps" -> 1e9;
            default -> Double.NaN;
        };
        return v * bits / 8;
    }

    private static Double time(String text) {
        Matcher m = TIME.matcher(text);
        if (!m.matches()) {
            return null;
        }
        double v = Double.parseDouble(m.group(1));
        String u = m.group(2) == null ? "s" : m.group(2);
        return switch (u) {
            case "ms" -> v / 1000;
            case "s" -> v;
            case "m", "min" -> v * 60;
            case "h" -> v * 3600;
            case "d" -> v * 86400;
            default -> null;
        };
    }
}
