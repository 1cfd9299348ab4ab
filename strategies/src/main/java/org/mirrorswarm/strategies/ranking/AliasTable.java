package org.mirrorswarm.strategies.ranking;

/**
 * Walker's alias method (Vose's construction): draws one of n items with given weights in O(1) after
 * O(n) set-up. The tracker ranks mirrors with it, so an answer costs O(mirrors per answer), not
 * O(all mirrors).
 */
public final class AliasTable {
    private final int[] items;
    private final double[] prob;
    private final int[] alias;

    /** A table over {@code items} with the given positive weights. */
    public AliasTable(int[] items, double[] weights) {
        int n = items.length;
        if (n == 0 || weights.length != n) {
            throw new IllegalArgumentException("an alias table needs one weight per item, and at least one item");
        }
        this.items = items.clone();
        this.prob = new double[n];
        this.alias = new int[n];
        double sum = 0;
        for (double w : weights) {
            if (!(w > 0)) {
                throw new IllegalArgumentException("alias weights must be positive, got " + w);
            }
            sum += w;
        }
        double[] scaled = new double[n];
        int[] small = new int[n];
        int[] large = new int[n];
        int ns = 0;
        int nl = 0;
        for (int i = 0; i < n; i++) {
            scaled[i] = weights[i] * n / sum;
            if (scaled[i] < 1) {
                small[ns++] = i;
            } else {
                large[nl++] = i;
            }
        }
        while (ns > 0 && nl > 0) {
            int s = small[--ns];
            int l = large[--nl];
            prob[s] = scaled[s];
            alias[s] = l;
            scaled[l] = scaled[l] + scaled[s] - 1;
            if (scaled[l] < 1) {
                small[ns++] = l;
            } else {
                large[nl++] = l;
            }
        }
        while (nl > 0) {
            prob[large[--nl]] = 1;
        }
        while (ns > 0) {
            prob[small[--ns]] = 1;
        }
    }

    public int size() {
        return items.length;
    }

    /** The item drawn by two uniforms in [0, 1). */
    public int draw(double u1, double u2) {
        int i = Math.min(items.length - 1, (int) (u1 * items.length));
        return u2 < prob[i] ? items[i] : items[alias[i]];
    }
}
