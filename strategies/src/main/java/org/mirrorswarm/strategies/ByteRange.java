package org.mirrorswarm.strategies;

/**
 * A half-open byte range {@code [start, end)} of a file. HTTP writes ranges with an inclusive last
 * byte; {@link #httpRangeHeader()} converts.
 *
 * @param start first byte, inclusive, {@code >= 0}
 * @param end   one past the last byte, {@code > start}
 */
public record ByteRange(long start, long end) {
    public ByteRange {
        if (start < 0 || end <= start) {
            throw new IllegalArgumentException("invalid byte range [" + start + ", " + end + ")");
        }
    }

    /** Number of bytes in the range. */
    public long length() {
        return end - start;
    }

    /** Last byte, inclusive, as HTTP counts it. */
    public long lastInclusive() {
        return end - 1;
    }

    /** True when {@code other} lies entirely within this range. */
    public boolean contains(ByteRange other) {
        return other.start >= start && other.end <= end;
    }

    /** The value of an HTTP {@code Range} header asking for exactly this range. */
    public String httpRangeHeader() {
        return "bytes=" + start + "-" + lastInclusive();
    }

    @Override
    public String toString() {
        return "[" + start + ", " + end + ")";
    }
}
