package org.mirrorswarm.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Means and Student-t confidence intervals, checked against values worked by hand. */
class StatsTest {
    @Test
    void meanAndSampleStandardDeviation() {
        double[] xs = {1, 2, 3, 4, 5};
        assertThat(Stats.mean(xs)).isEqualTo(3.0);
        assertThat(Stats.stddev(xs)).isCloseTo(Math.sqrt(2.5), within(1e-12));
    }

    @Test
    void ciHalfWidthUsesStudentTWithNMinusOneDegreesOfFreedom() {
        // t(0.975, 4) = 2.7764451, s = sqrt(2.5), n = 5: 2.7764451 * 1.5811388 / 2.2360680 = 1.9632432
        assertThat(Stats.ciHalfWidth(new double[] {1, 2, 3, 4, 5}, 0.95)).isCloseTo(1.9632432, within(1e-6));
        // Two values: t(0.975, 1) = 12.7062047, s = sqrt(2) * 0.5 = 0.7071068 for {1, 2}; / sqrt(2)
        assertThat(Stats.ciHalfWidth(new double[] {1, 2}, 0.95)).isCloseTo(12.7062047 * 0.5, within(1e-6));
        // 90%: t(0.95, 4) = 2.1318468
        assertThat(Stats.ciHalfWidth(new double[] {1, 2, 3, 4, 5}, 0.90))
                .isCloseTo(2.1318468 * Math.sqrt(2.5) / Math.sqrt(5), within(1e-6));
    }

    @Test
    void fewerThanTwoNumbersHaveNoInterval() {
        assertThat(Stats.ciHalfWidth(new double[] {4}, 0.95)).isNaN();
        assertThat(Stats.ciHalfWidth(new double[] {4, Double.NaN}, 0.95)).isNaN();
        assertThat(Stats.mean(new double[] {})).isNaN();
        assertThat(Stats.mean(new double[] {Double.NaN, 2})).isEqualTo(2.0);
    }

    @Test
    void equalValuesHaveAZeroWidthInterval() {
        assertThat(Stats.ciHalfWidth(new double[] {7, 7, 7}, 0.95)).isZero();
    }

    @Test
    void pairedDifferencesSkipReplicationsWithoutANumber() {
        double[] a = {10, 12, Double.NaN, 15};
        double[] b = {9, 10, 11, 15};
        assertThat(Stats.differences(a, b)).containsExactly(1, 2, 0);
        // With common random numbers the paired interval is far tighter than the unpaired ones.
        double[] x = {10, 20, 30, 40};
        double[] y = {11, 21, 31, 41.5};
        assertThat(Stats.ciHalfWidth(Stats.differences(y, x), 0.95)).isLessThan(Stats.ciHalfWidth(x, 0.95) / 10);
    }
}
