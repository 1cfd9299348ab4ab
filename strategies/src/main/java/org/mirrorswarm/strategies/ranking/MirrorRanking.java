package org.mirrorswarm.strategies.ranking;

import java.util.Arrays;
import java.util.List;
import java.util.function.IntConsumer;
import org.mirrorswarm.strategies.Names;

/**
 * The tracker-side policy that picks which mirrors an answer lists, best first — the same code in the
 * simulator's tracker and in the real {@code mirrorswarm tracker}.
 *
 * <ul>
 *   <li>{@code weighted}: a random draw without replacement, each mirror with probability proportional
 *       to its weight (capacity × score), as MirrorBrain and MirrorManager spread clients.</li>
 *   <li>{@code nearest}: the same draw among the mirrors of the client's region first, then among all
 *       (MirrorBrain's "same country, then same continent, then the world", with regions for places).</li>
 *   <li>{@code least-loaded}: ascending reported utilisation (load ÷ weight, from the mirrors' own
 *       reports); mirrors that report the same utilisation (all of them before the first report) are
 *       ordered by the weighted draw. Every client asking between two reports gets the same head of the
 *       list, which is the herding a stale load signal causes.</li>
 *   <li>{@code two-choices}: for each place in the list, two mirrors drawn by weight and the one that
 *       reported the lower utilisation taken (Mitzenmacher's power of two choices): load reports steer
 *       the draw without sending every client to the same mirror.</li>
 * </ul>
 *
 * <p>An instance is a snapshot of the listed mirrors; build a new one when the list, the weights or the
 * reported loads change. Answers then cost O(mirrors per answer) draws, not O(all mirrors). Randomness
 * comes from the caller's {@link Uniforms}, so the simulator keys draws by client and file (compared
 * strategies see the same lists) and the server uses its own generator.
 */
public final class MirrorRanking {
    public static final List<String> IDS = List.of("weighted", "nearest", "least-loaded", "two-choices");

    /** A source of uniforms in [0, 1), indexed by draw number (0, 1, 2, … within one answer). */
    @FunctionalInterface
    public interface Uniforms {
        double unit(long draw);
    }

    private final String policy;
    private final int[] ids;
    private final AliasTable all;
    private final AliasTable[] byRegion;
    /** The same mirrors by descending weight: what completes an answer when the draws give up. */
    private final int[] allByWeight;
    /** two-choices: each listed mirror's reported utilisation, by id. */
    private final double[] utilById;
    private final int[][] regionByWeight;
    /** least-loaded: mirror ids by ascending utilisation, and where each group of equal utilisation starts. */
    private final int[] byLoad;
    private final int[] groupStart;
    private final AliasTable[] groupTables;
    private final int maxId;

    /**
     * A snapshot.
     *
     * @param policy  one of {@link #IDS}
     * @param ids     the listed mirrors' ids (any non-negative ints, distinct)
     * @param regions each listed mirror's region (0 … regionCount−1), or null when regions are unknown
     * @param weights each listed mirror's positive weight
     * @param loads   each listed mirror's reported load in the same unit as its weight (e.g. bytes/s served
     *                against bytes/s of capacity), or null when nobody reported; used by {@code least-loaded}
     */
    public MirrorRanking(String policy, int[] ids, int[] regions, int regionCount, double[] weights, double[] loads) {
        if (!IDS.contains(policy)) {
            throw new IllegalArgumentException(Names.unknown("ranking", policy, IDS));
        }
        int n = ids.length;
        if (weights.length != n || (regions != null && regions.length != n) || (loads != null && loads.length != n)) {
            throw new IllegalArgumentException("ranking: one weight, region and load per mirror");
        }
        this.policy = policy;
        this.ids = ids.clone();
        int max = -1;
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            if (ids[i] < 0) {
                throw new IllegalArgumentException("ranking: mirror ids are non-negative, got " + ids[i]);
            }
            max = Math.max(max, ids[i]);
            w[i] = weights[i] > 0 && Double.isFinite(weights[i]) ? weights[i] : 1;
        }
        this.maxId = max;
        if (policy.equals("two-choices")) {
            utilById = new double[max + 1];
            for (int i = 0; i < n; i++) {
                double l = loads == null ? 0 : loads[i];
                utilById[ids[i]] = Double.isNaN(l) || l <= 0 ? 0 : l / w[i];
            }
        } else {
            utilById = null;
        }
        this.all = n == 0 ? null : new AliasTable(this.ids, w);
        this.allByWeight = byWeight(this.ids, w);
        if (policy.equals("nearest") && regions != null) {
            byRegion = new AliasTable[regionCount];
            regionByWeight = new int[regionCount][];
            for (int r = 0; r < regionCount; r++) {
                int count = 0;
                for (int reg : regions) {
                    if (reg == r) {
                        count++;
                    }
                }
                if (count == 0) {
                    continue;
                }
                int[] in = new int[count];
                double[] iw = new double[count];
                int k = 0;
                for (int i = 0; i < n; i++) {
                    if (regions[i] == r) {
                        in[k] = ids[i];
                        iw[k++] = w[i];
                    }
                }
                byRegion[r] = new AliasTable(in, iw);
                regionByWeight[r] = byWeight(in, iw);
            }
        } else {
            byRegion = null;
            regionByWeight = null;
        }
        if (policy.equals("least-loaded") && n > 0) {
            double[] util = new double[n];
            for (int i = 0; i < n; i++) {
                double l = loads == null ? 0 : loads[i];
                util[i] = Double.isNaN(l) || l <= 0 ? 0 : l / w[i]; // +Infinity: did not report, last
            }
            Integer[] order = new Integer[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (a, b) -> Double.compare(util[a], util[b]));
            byLoad = new int[n];
            int[] starts = new int[n + 1];
            int groups = 0;
            for (int i = 0; i < n; i++) {
                byLoad[i] = order[i];
                if (i == 0 || util[order[i]] != util[order[i - 1]]) {
                    starts[groups++] = i;
                }
            }
            starts[groups] = n;
            groupStart = Arrays.copyOf(starts, groups + 1);
            groupTables = new AliasTable[groups];
            for (int g = 0; g < groups; g++) {
                int from = groupStart[g];
                int to = groupStart[g + 1];
                int[] in = new int[to - from];
                double[] iw = new double[to - from];
                for (int i = from; i < to; i++) {
                    in[i - from] = this.ids[byLoad[i]];
                    iw[i - from] = w[byLoad[i]];
                }
                groupTables[g] = new AliasTable(in, iw);
            }
        } else {
            byLoad = null;
            groupStart = null;
            groupTables = null;
        }
    }

    public String policy() {
        return policy;
    }

    /** How many mirrors are listed. */
    public int size() {
        return ids.length;
    }

    /**
     * Hands {@code out} up to {@code n} distinct mirror ids, best first, for a client in
     * {@code clientRegion} (−1 when unknown).
     */
    public void pick(int clientRegion, int n, Uniforms u, IntConsumer out) {
        if (all == null || n <= 0) {
            return;
        }
        boolean[] taken = new boolean[maxId + 1];
        int[] count = {0};
        IntConsumer take = id -> {
            taken[id] = true;
            count[0]++;
            out.accept(id);
        };
        long draw = 0;
        switch (policy) {
            case "nearest" -> {
                if (clientRegion >= 0 && byRegion != null && clientRegion < byRegion.length
                        && byRegion[clientRegion] != null) {
                    draw = fill(byRegion[clientRegion], n, u, taken, count, take, draw);
                    complete(regionByWeight[clientRegion], n, taken, count, take);
                }
                fill(all, n, u, taken, count, take, draw);
                complete(allByWeight, n, taken, count, take);
            }
            case "weighted" -> {
                fill(all, n, u, taken, count, take, draw);
                complete(allByWeight, n, taken, count, take);
            }
            case "two-choices" -> {
                int tries = 0;
                int maxTries = 20 * all.size() + 20;
                while (count[0] < n && tries++ < maxTries) {
                    int a = all.draw(u.unit(4 * draw), u.unit(4 * draw + 1));
                    int b = all.draw(u.unit(4 * draw + 2), u.unit(4 * draw + 3));
                    draw++;
                    int pick = taken[a] ? b : taken[b] ? a : utilById[b] < utilById[a] ? b : a;
                    if (!taken[pick]) {
                        take.accept(pick);
                    }
                }
                complete(allByWeight, n, taken, count, take);
            }
            default -> {
                for (int g = 0; g < groupTables.length && count[0] < n; g++) {
                    int from = groupStart[g];
                    int to = groupStart[g + 1];
                    if (to - from <= n - count[0] && to - from == 1) {
                        take.accept(ids[byLoad[from]]);
                        continue;
                    }
                    draw = fill(groupTables[g], Math.min(n, count[0] + (to - from)), u, taken, count, take, draw);
                    // The draw may give up before it has the whole group: add the rest in weight order.
                    for (int i = from; i < to && count[0] < n; i++) {
                        int id = ids[byLoad[i]];
                        if (!taken[id]) {
                            take.accept(id);
                        }
                    }
                }
            }
        }
    }

    /** Adds untaken mirrors in descending weight until the answer has {@code n} (draws gave up on small weights). */
    private static void complete(int[] byWeight, int n, boolean[] taken, int[] count, IntConsumer take) {
        for (int i = 0; i < byWeight.length && count[0] < n; i++) {
            if (!taken[byWeight[i]]) {
                take.accept(byWeight[i]);
            }
        }
    }

    private static int[] byWeight(int[] ids, double[] w) {
        Integer[] order = new Integer[ids.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(w[b], w[a]));
        int[] out = new int[ids.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = ids[order[i]];
        }
        return out;
    }

    /** Draws with replacement and skips repeats; gives up after enough tries (the table is then used up). */
    private static long fill(AliasTable table, int n, Uniforms u, boolean[] taken, int[] count, IntConsumer take,
                             long draw) {
        int tries = 0;
        int maxTries = 20 * table.size() + 20;
        while (count[0] < n && tries++ < maxTries) {
            double u1 = u.unit(2 * draw);
            double u2 = u.unit(2 * draw + 1);
            draw++;
            int id = table.draw(u1, u2);
            if (!taken[id]) {
                take.accept(id);
            }
        }
        return draw;
    }
}
