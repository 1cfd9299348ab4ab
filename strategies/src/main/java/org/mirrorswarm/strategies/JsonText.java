package org.mirrorswarm.strategies;

/** JSON string literals, for the modules that write small JSON documents by hand (reports, summaries, the tracker). */
public final class JsonText {
    private JsonText() {
    }

    /** {@code s} as a quoted JSON string ({@code null} for null), control characters escaped. */
    public static String quote(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        // Most strings have nothing to escape: one pass to see (the test written out in the loop, which a cold JVM
        // interprets), one copy.
        int plain = 0;
        for (char c; plain < s.length()
                && (c = s.charAt(plain)) >= 0x20 && c != '"' && c != '\\' && c != 0x2028 && c != 0x2029; ) {
            plain++;
        }
        if (plain == s.length()) {
            return sb.append(s).append('"').toString();
        }
        sb.append(s, 0, plain);
        for (int i = plain; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                        sb.append("\\u").append(String.format("%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
