package org.mirrorswarm.strategies;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses and prints the sizes and durations users write: {@code 1MiB}, {@code 256k}, {@code 1.5G},
 * {@code 500ms}, {@code 2s}, {@code 1m}. Binary multiples for sizes (k = KiB), as aria2 reads {@code -k1M}.
 */
public final class Units {
    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([kmgt]?)(i?b?)", Pattern.CASE_INSENSITIVE);
    private static final Pattern TIME = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|min|h|)", Pattern.CASE_INSENSITIVE);

    private Units() {
    }

    /** Bytes from text such as {@code 1048576}, {@code 1MiB}, {@code 1M}, {@code 512k}, {@code 1.5GiB}. */
    public static long parseBytes(String text) {
        Matcher m = SIZE.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("not a size: '" + text + "' (examples: 1048576, 512KiB, 1M, 1.5GiB)");
        }
        double v = Double.parseDouble(m.group(1));
        int shift = switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "" -> 0;
            case "k" -> 10;
            case "m" -> 20;
            case "g" -> 30;
            case "t" -> 40;
            default -> throw new AssertionError();
        };
        double bytes = v * (1L << shift);
        if (bytes >= 0x1p63 || bytes != Math.floor(bytes)) {
            throw new IllegalArgumentException("not a whole number of bytes: '" + text + "'");
        }
        return (long) bytes;
    }

    /** Seconds from text such as {@code 2}, {@code 2s}, {@code 500ms}, {@code 1.5m}, {@code 1h}. */
    public static double parseSeconds(String text) {
        Matcher m = TIME.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("not a duration: '" + text + "' (examples: 2, 2s, 500ms, 1.5m, 1h)");
        }
        double v = Double.parseDouble(m.group(1));
        return switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "ms" -> v / 1000;
            case "", "s" -> v;
            case "m", "min" -> v * 60;
            case "h" -> v * 3600;
            default -> throw new AssertionError();
        };
    }

    /** A byte count the way people read it: {@code 1.5 MiB}, {@code 512 B}. */
    public static String formatBytes(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return appendFixed(new StringBuilder(12), v, v >= 100 ? 0 : v >= 10 ? 1 : 2).append(' ').append(units[u]).toString();
    }

    private static final double[] POW10 = {1, 10, 100, 1000};

    /**
     * Appends {@code v} with {@code decimals} (0–6) digits after the point exactly as {@code String.format}'s
     * {@code %.Nf} prints it (half up, from the shortest decimal that reads back as {@code v}), without a
     * {@link java.util.Formatter}: printing hundreds of numbers on a cold JVM costs tens of milliseconds.
     */
    public static StringBuilder appendFixed(StringBuilder sb, double v, int decimals) {
        if (decimals < 0 || decimals > 6) {
            throw new IllegalArgumentException("decimals: 0–6, got " + decimals);
        }
        if (!Double.isFinite(v) || Math.abs(v) >= 1e15) {
            return sb.append(String.format(Locale.ROOT, "%." + decimals + "f", v));
        }
        // Most values without BigDecimal, whose parse and rescale cost a cold JVM microseconds each (a fetch's
        // summary prints hundreds, after the last byte): below 1e9 and at three decimals at most, v scaled
        // is within 3e-4 of its shortest decimal scaled, so one clear of a tie rounds the same from either.
        double a = Math.abs(v);
        if (a < 1e9 && decimals <= 3) {
            double scaled = a * POW10[decimals];
            double whole = Math.floor(scaled);
            double frac = scaled - whole;
            if (Math.abs(frac - 0.5) > 1e-3) {
                long r = (long) whole + (frac > 0.5 ? 1 : 0);
                if (v < 0 || 1 / v < 0) {
                    sb.append('-');
                }
                if (decimals == 0) {
                    return sb.append(r);
                }
                long unit = (long) POW10[decimals];
                long f = r % unit;
                sb.append(r / unit).append('.');
                for (long q = unit / 10; q > f && q > 1; q /= 10) {
                    sb.append('0');
                }
                return sb.append(f);
            }
        }
        java.math.BigDecimal d = java.math.BigDecimal.valueOf(v).setScale(decimals, java.math.RoundingMode.HALF_UP);
        if (d.signum() < 0 || v < 0 || 1 / v < 0) {
            sb.append('-'); // %f keeps the sign of a negative number even when it rounds to zero
        }
        return sb.append(d.abs().toPlainString());
    }
}
