package org.mirrorswarm.live.http;

/**
 * A parsed {@code Content-Range} header of a 206 (RFC 9110 §14.4): {@code bytes FIRST-LAST/COMPLETE},
 * COMPLETE possibly {@code *}. Parsing is strict and cannot overflow: numbers are at most 18 digits
 * (below 2^63), LAST is at least FIRST and below COMPLETE.
 *
 * @param first    first byte position
 * @param last     last byte position, inclusive
 * @param complete the representation's length, or -1 for {@code *}
 */
public record ContentRange(long first, long last, long complete) {
    /** The number of bytes the range covers. */
    public long length() {
        return last - first + 1;
    }

    /** Parses a header value; null when it is malformed (missing unit, bad numbers, last before first, …). */
    public static ContentRange parse(String value) {
        if (value == null) {
            return null;
        }
        String v = value.strip();
        if (!v.regionMatches(true, 0, "bytes ", 0, 6)) {
            return null;
        }
        v = v.substring(6).strip();
        int dash = v.indexOf('-');
        int slash = v.indexOf('/');
        if (dash <= 0 || slash <= dash + 1 || slash == v.length() - 1) {
            return null;
        }
        long first = number(v.substring(0, dash));
        long last = number(v.substring(dash + 1, slash));
        String c = v.substring(slash + 1);
        long complete = c.equals("*") ? -1 : number(c);
        if (first < 0 || last < 0 || (complete < 0 && !c.equals("*")) || last < first) {
            return null;
        }
        if (complete >= 0 && last >= complete) {
            return null;
        }
        return new ContentRange(first, last, complete);
    }

    /** The complete length of an unsatisfied-range answer ({@code bytes *}/COMPLETE, as a 416 sends), or -1. */
    public static long unsatisfiedLength(String value) {
        if (value == null) {
            return -1;
        }
        String v = value.strip();
        if (!v.regionMatches(true, 0, "bytes */", 0, 8)) {
            return -1;
        }
        return number(v.substring(8));
    }

    /** A non-negative decimal of at most 18 digits, or -1. */
    public static long number(String s) {
        if (s.isEmpty() || s.length() > 18) {
            return -1;
        }
        long n = 0;
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch < '0' || ch > '9') {
                return -1;
            }
            n = n * 10 + (ch - '0');
        }
        return n;
    }
}
