package org.mirrorswarm.strategies;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/** "Did you mean" for ids and keys users type: the closest known name by edit distance, if close enough. */
public final class Names {
    private Names() {
    }

    /**
     * The known name closest to {@code typed}, if within a third of its length (at least 2 edits); else the
     * known name sharing the longest common prefix with it, if that prefix is at least 3 characters and
     * half the shorter name ({@code p2c} for {@code p2c-peak-ewma}, {@code hedging} for {@code hedge}).
     */
    public static Optional<String> suggest(String typed, Collection<String> known) {
        String t = typed.toLowerCase(Locale.ROOT);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : known) {
            int d = distance(t, k.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                bestDistance = d;
                best = k;
            }
        }
        int allowed = Math.max(2, t.length() / 3);
        if (best != null && bestDistance <= allowed) {
            return Optional.of(best);
        }
        String byPrefix = null;
        int longest = 0;
        for (String k : known) {
            String kl = k.toLowerCase(Locale.ROOT);
            int n = 0;
            while (n < kl.length() && n < t.length() && kl.charAt(n) == t.charAt(n)) {
                n++;
            }
            if (n >= 3 && 2 * n >= Math.min(kl.length(), t.length()) && n > longest) {
                longest = n;
                byPrefix = k;
            }
        }
        return Optional.ofNullable(byPrefix);
    }

    /** Damerau-Levenshtein distance (optimal string alignment): insertions, deletions, substitutions, swaps. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }

    /** "unknown X 'y' (did you mean 'z'?); valid: a, b, c" */
    public static String unknown(String what, String typed, Collection<String> known) {
        StringBuilder sb = new StringBuilder("unknown ").append(what).append(" '").append(typed).append('\'');
        suggest(typed, known).ifPresent(s -> sb.append(" (did you mean '").append(s).append("'?)"));
        return sb.append("; valid: ").append(String.join(", ", known)).toString();
    }
}
