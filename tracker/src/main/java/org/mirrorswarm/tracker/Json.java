package org.mirrorswarm.tracker;

/** The few JSON values the tracker writes. */
final class Json {
    private Json() {
    }

    static String number(double v) {
        if (!Double.isFinite(v)) {
            return "null";
        }
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
