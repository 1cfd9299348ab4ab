package org.mirrorswarm.strategies.ranking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.mirrorswarm.strategies.testing.Property;

class MirrorRankingTest {
    private static List<Integer> pick(MirrorRanking r, int region, int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Integer> out = new ArrayList<>();
        r.pick(region, n, d -> random.nextDouble(), out::add);
        return out;
    }

    @Test
    void answersAreDistinctListedAndAsLongAsPossible() {
        Property.forAll("ranking answers", 200, (random, size) -> {
            int m = 1 + random.nextInt(Math.max(1, size));
            int[] ids = new int[m];
            int[] regions = new int[m];
            double[] w = new double[m];
            double[] loads = new double[m];
            for (int i = 0; i < m; i++) {
                ids[i] = 3 * i + random.nextInt(3);
                regions[i] = random.nextInt(3);
                w[i] = random.nextInt(4) == 0 ? 1e-9 : 1 + random.nextDouble() * 1e8;
                loads[i] = random.nextInt(3) == 0 ? 0 : random.nextDouble() * 1e8;
            }
            String policy = MirrorRanking.IDS.get(random.nextInt(MirrorRanking.IDS.size()));
            return new Object[] {new MirrorRanking(policy, ids, regions, 3, w, loads), ids, random.nextInt(4) - 1,
                    1 + random.nextInt(m + 2), random.nextLong()};
        }, c -> {
            MirrorRanking r = (MirrorRanking) c[0];
            int[] ids = (int[]) c[1];
            int n = (int) c[3];
            List<Integer> got = pick(r, (int) c[2], n, (long) c[4]);
            assertThat(new HashSet<>(got)).hasSameSizeAs(got);
            assertThat(got).allMatch(id -> java.util.Arrays.stream(ids).anyMatch(x -> x == id));
            // Draws that give up on tiny weights are completed by weight: answers are always full.
            assertThat(got).hasSize(Math.min(n, ids.length));
        });
    }

    @Test
    void weightedDrawsFollowCapacity() {
        MirrorRanking r = new MirrorRanking("weighted", new int[] {0, 1}, null, 0, new double[] {3, 1}, null);
        SplittableRandom random = new SplittableRandom(7);
        int first = 0;
        for (int i = 0; i < 20_000; i++) {
            int[] head = {-1};
            r.pick(-1, 1, d -> random.nextDouble(), id -> head[0] = id);
            first += head[0] == 0 ? 1 : 0;
        }
        assertThat(first / 20_000.0).isBetween(0.73, 0.77);
    }

    @Test
    void nearestListsTheClientsRegionFirst() {
        int[] ids = {0, 1, 2, 3, 4, 5};
        int[] regions = {0, 0, 1, 1, 2, 2};
        double[] w = {1, 1, 100, 100, 1, 1};
        MirrorRanking r = new MirrorRanking("nearest", ids, regions, 3, w, null);
        for (long seed = 0; seed < 50; seed++) {
            List<Integer> got = pick(r, 2, 4, seed);
            assertThat(got.subList(0, 2)).containsExactlyInAnyOrder(4, 5);
            assertThat(got).hasSize(4);
        }
        // An unknown region falls back to the weighted draw over all.
        assertThat(pick(r, -1, 6, 1)).hasSize(6);
    }

    @Test
    void leastLoadedOrdersByReportedUtilisation() {
        int[] ids = {10, 11, 12, 13};
        double[] w = {100, 100, 10, 1000};
        double[] loads = {90, 10, 5, 500}; // utilisation .9, .1, .5, .5
        MirrorRanking r = new MirrorRanking("least-loaded", ids, null, 0, w, loads);
        for (long seed = 0; seed < 20; seed++) {
            List<Integer> got = pick(r, -1, 4, seed);
            assertThat(got.get(0)).isEqualTo(11);
            assertThat(got.subList(1, 3)).containsExactlyInAnyOrder(12, 13);
            assertThat(got.get(3)).isEqualTo(10);
        }
        // Before any report every mirror ties: the answer is the weighted draw, so it varies.
        MirrorRanking fresh = new MirrorRanking("least-loaded", ids, null, 0, w, null);
        HashSet<Integer> heads = new HashSet<>();
        for (long seed = 0; seed < 200; seed++) {
            heads.add(pick(fresh, -1, 2, seed).get(0));
        }
        assertThat(heads).contains(10, 11, 13);
    }

    @Test
    void rejectsUnknownPoliciesAndMismatchedArrays() {
        assertThatThrownBy(() -> new MirrorRanking("closest", new int[] {0}, null, 0, new double[] {1}, null))
                .hasMessageContaining("closest").hasMessageContaining("nearest");
        assertThatThrownBy(() -> new MirrorRanking("weighted", new int[] {0, 1}, null, 0, new double[] {1}, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(pick(new MirrorRanking("nearest", new int[0], new int[0], 2, new double[0], null), 0, 3, 1))
                .isEmpty();
    }

    @Test
    void twoChoicesPrefersTheLessLoadedWithoutHerding() {
        int[] ids = {0, 1, 2, 3};
        double[] w = {1, 1, 1, 1};
        double[] loads = {0.9, 0.1, 0.5, 0.5};
        MirrorRanking r = new MirrorRanking("two-choices", ids, null, 0, w, loads);
        int[] head = new int[4];
        for (long seed = 0; seed < 4000; seed++) {
            head[pick(r, -1, 1, seed).get(0)]++;
        }
        // The least loaded heads the list most often (7 of 16 draws), the most loaded least (1 of 16), and
        // every mirror still gets some clients.
        assertThat(head[1]).isGreaterThan(head[2]).isGreaterThan(head[0]);
        assertThat(head[1] / 4000.0).isBetween(0.40, 0.48);
        assertThat(head[0] / 4000.0).isBetween(0.04, 0.09);
    }
}
