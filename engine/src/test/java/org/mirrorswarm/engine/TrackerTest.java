package org.mirrorswarm.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mirrorswarm.engine.workload.Dist;
import org.mirrorswarm.strategies.SchedulerConfig;

/** Tracker-overhead strategies and mirror-list freshness. */
class TrackerTest {
    private static final double MIB = Scenarios.MIB;

    /** One client fetching 3 of a catalogue of 5 packages of 3 MiB (3 pieces each) from 4 mirrors. */
    private static Scenario oneClient(String overhead) {
        Scenario sc = Scenarios.flat("fast", 0.02, false, 4, 10 * MIB, 1, 50 * MIB, 3L << 20, 3, 5);
        return sc.withTracker(sc.tracker().withOverhead(overhead));
    }

    @Test
    void metalinkPerFileCostsOneQueryPerFile() {
        RunResult r = Simulation.run(oneClient("metalink-per-file"), Variant.of(SchedulerConfig.of("single")), 0);
        long metalink = 700 + 130 + 150L * 8 + 90L * 3;
        assertThat(r.trackerRequests()).isEqualTo(3);
        assertThat(r.controlBytes()).isEqualTo(3 * (250 + metalink));
        assertThat(r.controlPerPayload()).isEqualTo(3.0 * (250 + metalink) / (9L << 20));
    }

    @Test
    void aRepositoryManifestIsOneQueryForTheWholeCatalogue() {
        RunResult r = Simulation.run(oneClient("repo-manifest"), Variant.of(SchedulerConfig.of("single")), 0);
        long manifest = 500 + 100L * 4 + 5 * (150 + 70L * 3);
        assertThat(r.trackerRequests()).isEqualTo(1);
        assertThat(r.controlBytes()).isEqualTo(250 + manifest);
        assertThat(r.completed()).isEqualTo(1);
    }

    @Test
    void bitTorrentPerFileFetchesATorrentAndAnnouncesStartCompletedAndStopped() {
        RunResult r = Simulation.run(oneClient("bt-per-file"), Variant.of(SchedulerConfig.of("single")), 0);
        long torrent = 300 + 20L * 3 + 100L * 8;
        // Per file: .torrent over HTTP, a UDP connect (the three first announces race, each connects),
        // announce "started" (no peers yet), "completed" (itself), "stopped".
        long perFile = (250 + torrent) + (16 + 16) + (98 + 20) + (98 + 20 + 6) + (98 + 20);
        assertThat(r.trackerRequests()).isEqualTo(3 * 5);
        assertThat(r.controlBytes()).isEqualTo(3 * perFile);
        assertThat(r.completed()).isEqualTo(1);
    }

    /** Six mirrors, two of them down for the whole run, clients arriving over ten minutes. */
    private static Scenario twoDead(String freshness) {
        Scenario sc = Scenarios.flat("fast", 0.03, false, 4, 20 * MIB, 60, 20 * MIB, 2L << 20, 2, 50);
        List<MirrorGroup> groups = List.of(sc.mirrors().get(0), new MirrorGroup("dead", 2, 0, new Dist.Fixed(20 * MIB),
                0, Double.POSITIVE_INFINITY, Faults.NONE.withOutage(0.5, 1e6)));
        return sc.withMirrors(groups).withClients(sc.clients().withArrival(new Clients.Arrival.FlashCrowd(600)))
                .withTracker(sc.tracker().withFreshness(freshness, 10).withMirrorsPerAnswer(6));
    }

    @Test
    void freshnessKeepsDeadMirrorsOutOfAnswers() {
        RunResult none = Simulation.run(twoDead("none"), Variant.of(SchedulerConfig.of("single")), 0);
        assertThat(none.completed()).isEqualTo(60);
        for (String f : new String[] {"heartbeat", "crawl", "gossip"}) {
            RunResult r = Simulation.run(twoDead(f), Variant.of(SchedulerConfig.of("single")), 0);
            assertThat(r.completed()).as(f).isEqualTo(60);
            assertThat(r.staleHits()).as(f + " stale hits").isLessThan(none.staleHits() / 5);
            assertThat(r.controlBytes()).as(f + " control bytes").isGreaterThan(none.controlBytes());
        }
    }

    @Test
    void heartbeatsCostOneMessagePerLiveMirrorPerInterval() {
        Scenario sc = twoDead("heartbeat");
        RunResult hb = Simulation.run(sc, Variant.of(SchedulerConfig.of("single")), 0);
        RunResult none = Simulation.run(twoDead("none"), Variant.of(SchedulerConfig.of("single")), 0);
        long extra = hb.controlBytes() - (none.controlBytes() - none.trackerBytes()) - hb.trackerBytes();
        long rounds = extra / (4 * TrackerNode.HEARTBEAT_BYTES);
        assertThat(extra % (4 * TrackerNode.HEARTBEAT_BYTES)).isZero();
        // One round every 10 s from a random phase until the last client is done.
        assertThat(rounds).isBetween((long) (hb.endTime() / 10) - 1, (long) (hb.endTime() / 10) + 1);
    }

    @Test
    void leastLoadedListsWhatReportsTheLowestLoadAndPaysForTheReports() {
        Scenario sc = twoDead("none");
        Scenario weighted = sc.withTracker(sc.tracker().withRanking("weighted").withMirrorsPerAnswer(2));
        Scenario least = sc.withTracker(sc.tracker().withRanking("least-loaded").withMirrorsPerAnswer(2));
        RunResult w = Simulation.run(weighted, Variant.of(SchedulerConfig.of("single")), 0);
        RunResult l = Simulation.run(least, Variant.of(SchedulerConfig.of("single")), 0);
        assertThat(l.completed()).isEqualTo(60);
        // The dead mirrors send no load report, so after the first round they are listed last: far fewer
        // answers point at them than with the capacity-weighted draw, which cannot tell.
        assertThat(l.staleHits()).isLessThan(w.staleHits() / 2);
        // Reports are separate messages without heartbeats: one per live mirror per interval.
        assertThat(l.controlBytes() - l.trackerBytes()).isGreaterThan(w.controlBytes() - w.trackerBytes());
    }
}
