package org.mirrorswarm.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mirrorswarm.strategies.DecisionTrace;
import org.mirrorswarm.strategies.SchedulerConfig;
import org.mirrorswarm.strategies.TraceCodec;
import org.mirrorswarm.strategies.testing.FakeMirror;
import org.mirrorswarm.strategies.testing.FakeNetwork;

/** A decision trace, as the live client writes it, drawn per mirror. */
class TraceReportTest {
    @TempDir
    Path dir;

    @Test
    void perMirrorBytesAddUpToWhatArrivedAndThePageIsDrawn() throws IOException {
        SchedulerConfig c = SchedulerConfig.defaults();
        FakeNetwork.Result r = new FakeNetwork(c, List.of(FakeMirror.honest("fast", 4e6, 0.02), FakeMirror.honest("slow", 1e6, 0.05)), 5)
                .traced().addFile("f", 8L << 20, 1 << 20).run(1e6);
        List<String> lines = new ArrayList<>(TraceCodec.format(c, r.trace().entries()));
        Path trace = dir.resolve("run.trace");
        Files.write(trace, lines);
        assertThat(TraceReport.isTrace(trace)).isTrue();
        TraceReport.Summary s = TraceReport.summarize(trace);
        assertThat(s.rows()).extracting(TraceReport.MirrorRow::mirror).containsExactlyInAnyOrder("fast", "slow");
        long bytes = s.rows().stream().mapToLong(TraceReport.MirrorRow::bytes).sum();
        long arrived = r.trace().entries().stream().filter(e -> e instanceof DecisionTrace.In in
                        && in.event() instanceof org.mirrorswarm.strategies.Event.BytesArrived)
                .mapToLong(e -> ((org.mirrorswarm.strategies.Event.BytesArrived) ((DecisionTrace.In) e).event()).bytes()).sum();
        assertThat(bytes).isEqualTo(arrived).isGreaterThanOrEqualTo(8L << 20);
        double integrated = 0;
        for (double[] rate : s.rates().values()) {
            for (int i = 0; i < rate.length; i++) {
                integrated += rate[i] * s.width(i);
            }
        }
        assertThat(integrated).isCloseTo(bytes, org.assertj.core.data.Offset.offset(1.0));
        Path page = TraceReport.render(trace, "test");
        assertThat(Files.readString(page)).contains("fast", "slow", "<svg");
        assertThat(page.resolveSibling("throughput.png")).exists();

        assertThat(s.binWidth()).isEqualTo(TraceReport.binWidth(s.seconds()));
        assertThat(s.rates().get("fast")).hasSize((int) Math.ceil(s.seconds() / s.binWidth()));

        assertThat(s.lastLineCut()).isFalse();

        // A fetch killed while writing its trace leaves a last line without its end: left out, and said so.
        Path cut = dir.resolve("cut.trace");
        String whole = String.join("\n", lines) + "\n";
        Files.writeString(cut, whole + lines.get(lines.size() - 1).substring(0, 7));
        TraceReport.Summary partial = TraceReport.summarize(cut);
        assertThat(partial.lastLineCut()).isTrue();
        assertThat(partial.rows()).isEqualTo(s.rows());
        assertThat(Files.readString(TraceReport.render(cut, "test"))).contains("last line was cut short");

        Files.writeString(dir.resolve("bad.trace"), TraceCodec.HEADER + "\nE\tnot-a-time\tBytes\t1\t2\n");
        assertThatThrownBy(() -> TraceReport.summarize(dir.resolve("bad.trace"))).hasMessageContaining("bad.trace");
    }

    @Test
    void aBinaryFileIsNoTraceAndATraceThatIsNotTextIsAnErrorNamingIt() throws IOException {
        Path binary = Files.write(dir.resolve("f.bin"), new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1, (byte) 0x80});
        assertThat(TraceReport.isTrace(binary)).isFalse();
        assertThat(TraceReport.isTrace(Files.writeString(dir.resolve("short"), "# mirrorswarm"))).isFalse();
        assertThat(TraceReport.isTrace(Files.writeString(dir.resolve("longer"), TraceCodec.HEADER + "2\n"))).isFalse();
        assertThat(TraceReport.isTrace(Files.writeString(dir.resolve("crlf"), TraceCodec.HEADER + "\r\n"))).isTrue();
        Path broken = dir.resolve("broken.trace");
        Files.write(broken, (TraceCodec.HEADER + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        Files.write(broken, new byte[] {(byte) 0xff, '\n'}, java.nio.file.StandardOpenOption.APPEND);
        assertThat(TraceReport.isTrace(broken)).isTrue();
        assertThatThrownBy(() -> TraceReport.summarize(broken)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(broken + ": not a mirrorswarm trace: not UTF-8 text");
    }

    @Test
    void theBinsSuitTheTracesLength() {
        // A 0.28 s fetch of tiny files was two bins of 0.25 s, the second mostly after the trace's end.
        assertThat(TraceReport.binWidth(0.28)).isEqualTo(0.005);
        assertThat(TraceReport.binWidth(3.2)).isEqualTo(0.05);
        assertThat(TraceReport.binWidth(20)).isEqualTo(0.25);
        assertThat(TraceReport.binWidth(100)).isEqualTo(1);
        assertThat(TraceReport.binWidth(7200)).isEqualTo(60);
        assertThat(TraceReport.binWidth(36000)).isEqualTo(300);
        for (double t : new double[] {0.001, 0.28, 3.2, 20, 100, 7200, 36000}) {
            assertThat(t / TraceReport.binWidth(t)).as("%s s", t).isLessThanOrEqualTo(120);
        }
    }
}
