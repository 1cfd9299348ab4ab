package org.mirrorswarm.strategies;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class UnitsAndNamesTest {
    @Test
    void sizesUseBinaryMultiplesAsAria2Does() {
        assertThat(Units.parseBytes("1048576")).isEqualTo(1L << 20);
        assertThat(Units.parseBytes("1M")).isEqualTo(1L << 20);
        assertThat(Units.parseBytes("1MiB")).isEqualTo(1L << 20);
        assertThat(Units.parseBytes("512k")).isEqualTo(512L << 10);
        assertThat(Units.parseBytes("1.5GiB")).isEqualTo(3L << 29);
        assertThat(Units.parseBytes(" 20 M ")).isEqualTo(20L << 20);
        assertThatThrownBy(() -> Units.parseBytes("1.5")).hasMessageContaining("whole number");
        assertThatThrownBy(() -> Units.parseBytes("ten")).hasMessageContaining("not a size");
        assertThatThrownBy(() -> Units.parseBytes("9999999T")).hasMessageContaining("whole number");
    }

    @Test
    void durations() {
        assertThat(Units.parseSeconds("2")).isEqualTo(2.0);
        assertThat(Units.parseSeconds("500ms")).isEqualTo(0.5);
        assertThat(Units.parseSeconds("1.5m")).isEqualTo(90.0);
        assertThat(Units.parseSeconds("1h")).isEqualTo(3600.0);
        assertThatThrownBy(() -> Units.parseSeconds("soon")).hasMessageContaining("not a duration");
    }

    @Test
    void formatsBytes() {
        assertThat(Units.formatBytes(512)).isEqualTo("512 B");
        assertThat(Units.formatBytes(1536)).isEqualTo("1.50 KiB");
        assertThat(Units.formatBytes(96L << 20)).isEqualTo("96.0 MiB");
    }

    @Test
    void suggestsTheClosestNameOnlyWhenClose() {
        List<String> ids = List.of("adaptive", "aria2", "work-queue", "static-split");
        assertThat(Names.suggest("adaptiv", ids)).contains("adaptive");
        assertThat(Names.suggest("workqueue", ids)).contains("work-queue");
        assertThat(Names.suggest("aira2", ids)).contains("aria2");
        assertThat(Names.suggest("bittorrent", ids)).isEmpty();
        assertThat(Names.unknown("chunk strategy", "adaptiv", ids))
                .isEqualTo("unknown chunk strategy 'adaptiv' (did you mean 'adaptive'?); valid: adaptive, aria2, work-queue, static-split");
    }

    @Test
    void jsonStringsEscapeQuotesBackslashesAndControlCharacters() {
        assertThat(JsonText.quote("a\"b\\c\nd\te\u0001\u2028")).isEqualTo("\"a\\\"b\\\\c\\nd\\te\\u0001\\u2028\"");
        assertThat(JsonText.quote(null)).isEqualTo("null");
        assertThat(JsonText.quote("plain é")).isEqualTo("\"plain é\"");
        assertThat(JsonText.quote("plain then \"")).isEqualTo("\"plain then \\\"\"");
        assertThat(JsonText.quote("")).isEqualTo("\"\"");
    }

    private static final double[] POWERS = {1, 10, 1e3, 1e6, 1e9, 1.2e9, 1e12};

    @Test
    void fixedPointNumbersReadExactlyAsTheFormatterPrintsThem() {
        double[] edges = {0, -0.0, 1.0005, 0.0005, 2.5, 3.5, -2.5, 1e-9, -1e-9, 0.9995, 999.9995, 123456.7895, 1e14, 3e15,
            Double.NaN, Double.POSITIVE_INFINITY, 12.3456e6, 0.1 + 0.2, 99.995, 9.995};
        java.util.SplittableRandom r = new java.util.SplittableRandom(7);
        for (int i = 0; i < 100_000 + edges.length; i++) {
            double v = i < edges.length ? edges[i]
                    : i % 3 == 0 ? r.nextInt(1_000_000) / 2000.0
                    : i % 3 == 1 ? (r.nextDouble() - 0.1) * POWERS[r.nextInt(POWERS.length)] // all digits, around 1e9 too
                    : Math.scalb(r.nextDouble(), r.nextInt(40)) - 3;
            for (int decimals = 0; decimals <= 3; decimals++) {
                assertThat(Units.appendFixed(new StringBuilder(), v, decimals).toString()).as("%s, %d decimals", v, decimals)
                        .isEqualTo(String.format(java.util.Locale.ROOT, "%." + decimals + "f", v));
            }
        }
        for (long b : new long[] {0, 1023, 1024, 1536, 10 * 1024 - 1, 99_999_999, 104_857_599, Long.MAX_VALUE}) {
            double v = b;
            int u = -1;
            while (v >= 1024 && u < 5) {
                v /= 1024;
                u++;
            }
            String old = b < 1024 ? b + " B" : String.format(java.util.Locale.ROOT, v >= 100 ? "%.0f %s" : v >= 10
                    ? "%.1f %s" : "%.2f %s", v, new String[] {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"}[u]);
            assertThat(Units.formatBytes(b)).isEqualTo(old);
        }
    }
}
