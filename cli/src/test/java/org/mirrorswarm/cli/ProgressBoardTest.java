package org.mirrorswarm.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.mirrorswarm.live.FetchListener;

/** The terminal's progress board: what its lines say, that none is wider than the terminal, and the redraw. */
class ProgressBoardTest {
    private static final long MIB = 1 << 20;

    private static FetchListener.Progress snapshot(double seconds, long verified, List<FetchListener.FileProgress> active) {
        return new FetchListener.Progress(verified, 10 * MIB, 1, 0, 3, 4, 2, seconds, active);
    }

    @Test
    void aLineForTheDownloadAndOnePerFileInFlightWithBytesSpeedEtaAndMirrors() {
        ProgressBoard.Rates rates = new ProgressBoard.Rates();
        for (int t = 0; t <= 4; t++) { // 1 MiB/s in all, 0.5 MiB/s arriving for a.deb (half of it verified)
            rates.add(snapshot(t, t * MIB, List.of(new FetchListener.FileProgress("pool/a.deb", t * MIB / 4, t * MIB / 2, 4 * MIB, 2),
                    new FetchListener.FileProgress("pool/b.deb", 0, 0, MIB, 1))));
        }
        List<String> lines = ProgressBoard.render(snapshot(4, 4 * MIB, List.of(
                new FetchListener.FileProgress("pool/a.deb", MIB, 2 * MIB, 4 * MIB, 2),
                new FetchListener.FileProgress("pool/b.deb", 0, 0, MIB, 1))), rates, 160);
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).startsWith(" 40% [").contains("4.00 MiB / 10.0 MiB  1.00 MiB/s  ETA 0:06  1/3 files  "
                + "2 mirrors  4 requests");
        assertThat(lines.get(1)).isEqualTo("  pool/a.deb  2.00 MiB / 4.00 MiB  512 KiB/s  ETA 0:04  2 mirrors");
        assertThat(lines.get(2)).isEqualTo("  pool/b.deb  0 B / 1.00 MiB  0 B/s  ETA --:--  1 mirror");
    }

    @Test
    void withNothingInFlightALineSaysWhatTheDownloadWaitsFor() {
        FetchListener.Progress p = new FetchListener.Progress(0, 10 * MIB, 0, 0, 3, 0, 0, 4, List.of(),
                new FetchListener.Waiting(2, 3.75, "connection failed"));
        List<String> lines = ProgressBoard.render(p, new ProgressBoard.Rates(), 160);
        assertThat(lines).hasSize(2);
        assertThat(lines.get(1)).isEqualTo("  waiting for 2 banned mirrors, the first asked again in 3.8 s (last: "
                + "connection failed)");
        assertThat(ProgressBoard.render(p, new ProgressBoard.Rates(), 40)).allSatisfy(l -> assertThat(l).hasSizeLessThan(40));
    }

    @Test
    void moreFilesThanItShowsAreCountedOnOneLine() {
        List<FetchListener.FileProgress> active = new ArrayList<>();
        for (int i = 0; i < ProgressBoard.MAX_FILES + 3; i++) {
            active.add(new FetchListener.FileProgress("f" + i, 0, 0, MIB, 1));
        }
        List<String> lines = ProgressBoard.render(snapshot(1, 0, active), new ProgressBoard.Rates(), 120);
        assertThat(lines).hasSize(ProgressBoard.MAX_FILES + 2).last().isEqualTo("  and 3 more files in flight");
    }

    @Test
    void noLineIsAsWideAsTheTerminalAndANameKeepsItsEnd() {
        Random r = new Random(7);
        for (int i = 0; i < 2000; i++) {
            int width = 20 + r.nextInt(200);
            String name = "dists/bookworm/main/" + "x".repeat(r.nextInt(150)) + "_" + i + ".deb";
            List<String> lines = ProgressBoard.render(snapshot(r.nextDouble() * 1e5, Math.abs(r.nextLong()) % (10 * MIB),
                    List.of(new FetchListener.FileProgress(name, 0, r.nextInt(1000), 1L << r.nextInt(50), r.nextInt(99)))),
                    new ProgressBoard.Rates(), width);
            assertThat(lines).allSatisfy(l -> assertThat(l.length()).isLessThan(width));
            if (width >= 100) {
                assertThat(lines.get(1)).contains("_" + i + ".deb");
            }
        }
        List<String> narrow = ProgressBoard.render(snapshot(1, MIB, List.of()), new ProgressBoard.Rates(), 90);
        assertThat(narrow.get(0)).doesNotContain("request").contains("2 mirrors"); // the bar keeps some room
    }

    @Test
    void etaIsMinutesAndSecondsOrHoursOrUnknown() {
        assertThat(ProgressBoard.eta(0, 0)).isEqualTo("0:00");
        assertThat(ProgressBoard.eta(90, 1)).isEqualTo("1:30");
        assertThat(ProgressBoard.eta(601, 10)).isEqualTo("1:01");
        assertThat(ProgressBoard.eta(3661, 1)).isEqualTo("1:01:01");
        assertThat(ProgressBoard.eta(36_000, 1)).isEqualTo("10:00:00");
        assertThat(ProgressBoard.eta(10, 0)).isEqualTo("--:--");
        assertThat(ProgressBoard.eta(10, Double.NaN)).isEqualTo("--:--");
        assertThat(ProgressBoard.eta(Long.MAX_VALUE, 1)).isEqualTo("--:--");
    }

    @Test
    void speedsSpanTheLastThreeSecondsAndAFileBackInFlightStartsAfresh() {
        ProgressBoard.Rates rates = new ProgressBoard.Rates();
        List<FetchListener.FileProgress> a = List.of(new FetchListener.FileProgress("a", 0, 0, MIB, 1));
        rates.add(snapshot(0, 0, a));
        rates.add(snapshot(1, 10 * MIB / 10, a)); // 1 MiB/s for a second, then 0.25 MiB/s
        for (int t = 2; t <= 8; t++) {
            rates.add(snapshot(t, MIB + (t - 1) * MIB / 4, a));
        }
        assertThat(rates.total()).isEqualTo(MIB / 4.0);
        rates.add(snapshot(9, 3 * MIB, List.of()));
        rates.add(snapshot(10, 3 * MIB, a));
        assertThat(rates.file("a")).isZero();
    }

    @Test
    void theSimulationsBarSaysRunsElapsedAndEta() {
        assertThat(SimulateCommand.barLine("bogus-mirrors", 34, 84, 21, "adaptive")).isEqualTo("bogus-mirrors  40% ["
                + "=".repeat(12) + ">" + " ".repeat(17) + "] 34/84 runs  0:21 elapsed  ETA 0:31  adaptive");
        assertThat(SimulateCommand.barLine("x", 0, 84, 0.2, "")).isEqualTo("x   0% [>" + " ".repeat(29)
                + "] 0/84 runs  0:01 elapsed  ETA --:--  ");
        assertThat(SimulateCommand.barLine("x", 84, 84, 60, "single")).contains("100% [" + "=".repeat(30) + "] 84/84 runs  "
                + "1:00 elapsed  ETA 0:00");
    }

    @Test
    void theRedrawReplacesWhatItDrewAndKeptLinesStayAbove() {
        StringWriter sw = new StringWriter();
        InPlace screen = InPlace.ofWidth(new PrintWriter(sw), 24);
        screen.draw(List.of("one", "two"));
        assertThat(sw.toString()).isEqualTo("\r\033[2Kone\n\r\033[2Ktwo\n");
        sw.getBuffer().setLength(0);
        screen.keep("failed: a rather long line that may wrap");
        screen.draw(List.of("three is longer than twenty-four columns"));
        assertThat(sw.toString()).isEqualTo("\033[2A\r\033[2Kfailed: a rather long line that may wrap\n"
                + "\r\033[2Kthree is longer than tw\n");
        sw.getBuffer().setLength(0);
        screen.draw(List.of());
        assertThat(sw.toString()).isEqualTo("\033[1A\r\033[2K\n\033[1A");
        sw.getBuffer().setLength(0);
        screen.draw(List.of("four"));
        assertThat(sw.toString()).isEqualTo("\r\033[2Kfour\n");
    }
}
