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

    /**
     * Plain lines (not a terminal): every 2 s and when all known is verified, but none before any file is known
     * (it printed "0 B / 0 B (100%), … 0/0 files" while a Metalink was still being read) and never the same
     * finished line twice.
     */
    @Test
    void plainLinesSkipTheEmptyStartAndRepeatsOfTheEnd() {
        java.io.StringWriter w = new java.io.StringWriter();
        FetchCommand.Lines lines = new FetchCommand.Lines(new java.io.PrintWriter(w, true));
        java.util.function.Function<double[], org.mirrorswarm.live.FetchListener.Progress> at = v ->
                new org.mirrorswarm.live.FetchListener.Progress((long) v[1], (long) v[2], (int) v[3], 0, (int) v[4], 0, 1,
                        v[0], java.util.List.of());
        lines.progress(at.apply(new double[] {0.0, 0, 0, 0, 0}));      // nothing known yet
        lines.progress(at.apply(new double[] {0.2, 0, 0, 0, 0}));
        lines.progress(at.apply(new double[] {0.4, 0, 100, 0, 1}));    // the first file: printed
        lines.progress(at.apply(new double[] {0.6, 50, 100, 0, 1}));   // within 2 s: not
        lines.progress(at.apply(new double[] {2.5, 60, 100, 0, 1}));   // 2 s on: printed
        lines.progress(at.apply(new double[] {2.7, 100, 100, 1, 1}));  // all verified: printed
        lines.progress(at.apply(new double[] {2.9, 100, 100, 1, 1}));  // the same again: not
        lines.progress(at.apply(new double[] {3.1, 100, 200, 1, 2}));  // another file known: after 2 s
        lines.progress(at.apply(new double[] {3.3, 200, 200, 2, 2}));  // all verified again: printed
        assertThat(w.toString().lines().map(l -> l.substring(0, l.indexOf(',')))).containsExactly(
                "[   0.4s] 0 B / 100 B (0%)", "[   2.5s] 60 B / 100 B (60%)", "[   2.7s] 100 B / 100 B (100%)",
                "[   3.3s] 200 B / 200 B (100%)");
    }

    /** Nothing in flight, mirrors banned after failures: the line says what it waits for. */
    @Test
    void aLineSaysWhatADownloadWithNothingInFlightWaitsFor() {
        java.io.StringWriter w = new java.io.StringWriter();
        FetchCommand.Lines lines = new FetchCommand.Lines(new java.io.PrintWriter(w, true));
        lines.progress(new org.mirrorswarm.live.FetchListener.Progress(0, 1000, 0, 0, 1, 0, 0, 4.2, java.util.List.of(),
                new org.mirrorswarm.live.FetchListener.Waiting(1, 2.84, "connection failed")));
        lines.progress(new org.mirrorswarm.live.FetchListener.Progress(0, 1000, 0, 0, 1, 0, 0, 6.2, java.util.List.of(),
                new org.mirrorswarm.live.FetchListener.Waiting(3, 0.04, "timed out")));
        assertThat(w.toString().lines()).containsExactly(
                "[   4.2s] 0 B / 1000 B (0%), 0 B/s, 0/1 files, 0 mirrors in use; waiting for 1 banned mirror, asked "
                        + "again in 2.8 s (last: connection failed)",
                "[   6.2s] 0 B / 1000 B (0%), 0 B/s, 0/1 files, 0 mirrors in use; waiting for 3 banned mirrors, the "
                        + "first asked again in 0.0 s (last: timed out)");
    }
}
