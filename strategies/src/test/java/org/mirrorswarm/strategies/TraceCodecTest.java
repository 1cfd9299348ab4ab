package org.mirrorswarm.strategies;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class TraceCodecTest {
    @Test
    void everyEntryKindSurvivesARoundTripBitForBit() {
        SchedulerConfig c = SchedulerConfig.of("aria2").withChunk(StrategySpec.of("aria2").with("min-split-size", "1MiB"))
                .withTail(StrategySpec.of("hedge").with("percentile", 0.9)).withSeed(-42).withConnections(7, 2, 3)
                .withEarlyRequests(8).withEarlyPipelined(true);
        java.util.BitSet have = new java.util.BitSet();
        have.set(0, 3);
        have.set(5);
        have.set(7, 9);
        FileJob job = new FileJob(FilePlan.synthetic("dir/we\\ird,na:me\t%(1).deb", 12345, 1000),
                List.of(new Mirror("m:1", 0.5, 2, "de,eu"), Mirror.of("m2")), have);
        List<DecisionTrace.Entry> entries = List.of(
                new DecisionTrace.In(new Event.AddFile(0.1, job)),
                new DecisionTrace.In(new Event.Timer(0.1 + 0.2)),
                new DecisionTrace.In(new Event.BytesArrived(1.0 / 3, 4, 17)),
                new DecisionTrace.In(new Event.PieceVerified(Math.PI, 4, 2)),
                new DecisionTrace.In(new Event.PieceFailed(Math.E, 4, 3, FailureReason.HASH_MISMATCH)),
                new DecisionTrace.In(new Event.PieceObtained(4.5, 0, 7)),
                new DecisionTrace.In(new Event.RequestFailed(5, 4, FailureReason.LOW_SPEED)),
                new DecisionTrace.In(new Event.SlotFree(6, 5)),
                new DecisionTrace.In(new Event.NotPipelined(6, "m:1")),
                new DecisionTrace.In(new Event.OtherVersion(6, 2, "m\tx")),
                new DecisionTrace.Out(6, new Action.StartRequest(9, 0, 1, "m:1", 2, 5, new ByteRange(2000, 5000),
                        Action.Purpose.STOLEN)),
                new DecisionTrace.Out(6, new Action.CancelRequest(9, "why:\tnot,now")),
                new DecisionTrace.Out(6, new Action.ShrinkRequest(9, 4, 4000)),
                new DecisionTrace.Out(6, new Action.WakeAt(7.000000000000001)),
                new DecisionTrace.Out(6, new Action.FileCompleted(0)),
                new DecisionTrace.Out(6, new Action.FileFailed(1, "no usable mirror left: m2 dropped (x)")));
        List<String> lines = TraceCodec.format(c, entries);
        assertThat(lines.get(0)).isEqualTo(TraceCodec.HEADER);
        assertThat(lines).allSatisfy(l -> assertThat(l).doesNotContain("\n"));
        TraceCodec.Parsed p = TraceCodec.parse(lines);
        assertThat(p.config()).isEqualTo(c);
        // Plans come back without hashes (a replay does not need them), so compare the rest field by field.
        Event.AddFile add = (Event.AddFile) ((DecisionTrace.In) p.entries().get(0)).event();
        assertThat(add.job().plan().name()).isEqualTo(job.plan().name());
        assertThat(add.job().plan().size()).isEqualTo(12345);
        assertThat(add.job().mirrors()).isEqualTo(job.mirrors());
        assertThat(lines.get(2)).endsWith("\thave=0-2,5,7-8");
        assertThat(add.job().have()).isEqualTo(have);
        assertThat(p.entries().subList(1, entries.size())).isEqualTo(entries.subList(1, entries.size()));
        assertThat(p.events()).hasSize(10);
    }

    @Test
    void errorsNameTheLine() {
        assertThatThrownBy(() -> TraceCodec.parse(List.of("hello"))).hasMessageStartingWith("line 1: not a mirrorswarm trace");
        String config = TraceCodec.formatConfig(SchedulerConfig.defaults());
        assertThatThrownBy(() -> TraceCodec.parse(List.of(TraceCodec.HEADER, config, "E\t1.0\tVerified\t3")))
                .hasMessage("line 3: expected 5 fields, got 4");
        assertThatThrownBy(() -> TraceCodec.parse(List.of(TraceCodec.HEADER, config, "", "X\t1\tTimer")))
                .hasMessage("line 4: entry kind must be E or A, got 'X'");
        String add = "E\t0.0\tAddFile\tf\t300\t100\tm:1.0:0:\t";
        assertThatThrownBy(() -> TraceCodec.parse(List.of(TraceCodec.HEADER, config, add + "have=2-1")))
                .hasMessage("line 3: bad piece range '2-1'");
        assertThatThrownBy(() -> TraceCodec.parse(List.of(TraceCodec.HEADER, config, add + "held=1")))
                .hasMessage("line 3: expected have=PIECES, got 'held=1'");
        assertThatThrownBy(() -> TraceCodec.parse(List.of(TraceCodec.HEADER, config, add + "have=3")))
                .hasMessageContaining("piece 3 held of 3");
        assertThat(TraceCodec.parse(List.of(TraceCodec.HEADER, config, add.strip()))).isNotNull(); // without: none held
        assertThatThrownBy(() -> TraceCodec.parse(List.of(TraceCodec.HEADER, "C\tchunk=adaptive")))
                .hasMessageStartingWith("line 2: config line lacks selector");
    }
}
