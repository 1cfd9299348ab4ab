package org.mirrorswarm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.mirrorswarm.strategies.Units;

/** The plain progress line is built by hand: it must read exactly as the printf it replaces. */
class ProgressLineTest {
    private static String printf(double seconds, long verified, long total, double rate, int done, int files, int mirrors) {
        return String.format(Locale.ROOT, "[%6.1fs] %s / %s (%.0f%%), %s/s, %d/%d files, %d %s in use", seconds,
                Units.formatBytes(verified), Units.formatBytes(total), total == 0 ? 100.0 : 100.0 * verified / total,
                Units.formatBytes((long) rate), done, files, mirrors, mirrors == 1 ? "mirror" : "mirrors");
    }

    private static void same(double seconds, long verified, long total, double rate, int done, int files, int mirrors) {
        assertThat(FetchCommand.Lines.line(seconds, verified, total, rate, done, files, mirrors))
                .isEqualTo(printf(seconds, verified, total, rate, done, files, mirrors));
    }

    @Test
    void readsAsPrintfWould() {
        same(0, 0, 0, 0, 0, 0, 0);
        same(0.05, 0, 1, 0, 0, 1, 0); // rounds half up to 0.1
        same(0.04999, 1, 3, 12.5, 0, 200, 4);
        same(9999.95, 2, 3, 1e6, 1, 2, 3); // wider than six characters
        same(123456.7, 1L << 40, 1L << 41, 3e9, 70, 70, 16);
        same(3.2, 293763624, 293763624, 9.6e7, 200, 200, 0);
        same(1.0, 5, 1000, Double.NaN, 0, 1, 1); // a rate not measured yet prints as 0 B/s
        Random r = new Random(42);
        for (int i = 0; i < 100_000; i++) {
            long total = r.nextInt(4) == 0 ? r.nextInt(5000) : Math.abs(r.nextLong() >> r.nextInt(63));
            long verified = total == 0 ? 0 : Math.floorMod(r.nextLong(), total + 1);
            double seconds = r.nextInt(3) == 0 ? Math.rint(r.nextDouble() * 2000) / 20 + 0.05 : r.nextDouble() * 10_000;
            same(seconds, verified, total, r.nextDouble() * 1e9, r.nextInt(1000), r.nextInt(1000), r.nextInt(64));
        }
    }
}
