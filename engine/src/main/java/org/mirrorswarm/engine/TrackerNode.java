package org.mirrorswarm.engine;

import java.util.ArrayList;
import java.util.List;
import org.mirrorswarm.engine.net.Flow;
import org.mirrorswarm.engine.net.FlowListener;
import org.mirrorswarm.engine.sim.Hashing;
import org.mirrorswarm.strategies.ranking.MirrorRanking;
import org.mirrorswarm.strategies.Mirror;
import umontreal.ssj.rng.RandomStream;
import umontreal.ssj.simevents.Event;

/**
 * The seed's "main server": a FIFO single server that answers clients with plans and ranked mirror
 * lists, and keeps its view of which mirrors are up and in sync by heartbeat, crawl or gossip.
 */
final class TrackerNode {
    /**
     * Answers that fit in a TCP initial window (RFC 6928: 10 segments) arrive one propagation delay
     * after they are sent, whatever the bandwidth; larger ones travel as flows.
     */
    private static final long INITIAL_WINDOW = 14_600;
    /** Bytes of one heartbeat (an HTTP POST with an HMAC token, and its reply). */
    static final long HEARTBEAT_BYTES = 300;
    /** Bytes of one crawl probe: a HEAD of the marker file and a ranged GET of a sample, with replies. */
    static final long CRAWL_BYTES = 1_200;
    /** Bytes per gossip table entry (mirror, counter, version) and per message. */
    static final long GOSSIP_ENTRY_BYTES = 16;
    static final long GOSSIP_MESSAGE_BYTES = 60;

    private final Run run;
    final int uplink;
    final int region;
    private double busyUntil;
    double busyTime;
    long requests;
    long bytes;

    /** The tracker's view: mirrors it would hand out now. */
    private final boolean[] listed;
    private MirrorRanking ranking;
    private boolean dirty = true;
    /** least-loaded: each mirror's last reported rate served (bytes/s), and its byte count then. */
    private final double[] reportedLoad;
    private final long[] bytesAtReport;
    private double lastReport;

    // Freshness state.
    private final double[] lastNews;
    private final int[] failedProbes;
    private final long[][] gossipTable;
    private final double[][] gossipSeen;

    TrackerNode(Run run, int uplink, int region) {
        this.run = run;
        this.uplink = uplink;
        this.region = region;
        int m = run.mirrors.length;
        this.listed = new boolean[m];
        java.util.Arrays.fill(listed, true);
        this.lastNews = new double[m];
        this.failedProbes = new int[m];
        this.reportedLoad = new double[m];
        this.bytesAtReport = new long[m];
        boolean gossip = run.freshness.equals("gossip");
        this.gossipTable = gossip ? new long[m + 1][m] : null;
        this.gossipSeen = gossip ? new double[m + 1][m] : null;
        if (gossip) {
            // Everyone starts knowing everyone at counter 1, seen at time 0: all mirrors listed.
            for (long[] row : gossipTable) {
                java.util.Arrays.fill(row, 1);
            }
        }
    }

    // ------------------------------------------------------------------ requests

    /**
     * A client's request: it reaches the tracker after half a round trip (plus a handshake for the
     * client's first HTTP request), waits its turn, is served, and the answer travels back — through the
     * bandwidth model when larger than a packet. {@code onReply} runs when the client has the answer.
     */
    void request(ClientNode c, long requestBytes, long responseBytes, boolean udp, Runnable onReply) {
        requests++;
        bytes += requestBytes + responseBytes;
        run.controlBytes += requestBytes + responseBytes;
        double rtt = run.rtt(c.id, c.region, -1, region);
        double delay = rtt / 2;
        if (!udp && !c.trackerConnected) {
            c.trackerConnected = true;
            delay += rtt * (run.scenario.network().tls() ? 2 : 1);
        }
        new TrackerRequest(c, responseBytes, rtt, onReply).schedule(delay);
    }

    /** A message whose answer nobody waits for (a seed's announce, a "stopped"): load and bytes only. */
    void count(long requestBytes, long responseBytes) {
        requests++;
        bytes += requestBytes + responseBytes;
        run.controlBytes += requestBytes + responseBytes;
        double service = Math.max(0, run.scenario.tracker().serviceTime().sample(run.trackerStream));
        busyUntil = Math.max(run.sim.time(), busyUntil) + service;
        busyTime += service;
    }

    private final class TrackerRequest extends Event implements FlowListener {
        private final ClientNode client;
        private final long responseBytes;
        private final double rtt;
        private final Runnable onReply;
        private int phase;

        TrackerRequest(ClientNode client, long responseBytes, double rtt, Runnable onReply) {
            super(run.sim);
            this.client = client;
            this.responseBytes = responseBytes;
            this.rtt = rtt;
            this.onReply = onReply;
        }

        @Override
        public void actions() {
            double now = run.sim.time();
            switch (phase) {
                case 0 -> { // arrived: queue in arrival order; a small answer is on its way when served
                    double service = Math.max(0, run.scenario.tracker().serviceTime().sample(run.trackerStream));
                    double start = Math.max(now, busyUntil);
                    busyUntil = start + service;
                    busyTime += service;
                    if (responseBytes > INITIAL_WINDOW) {
                        phase = 1;
                        schedule(busyUntil - now);
                    } else {
                        phase = 2;
                        schedule(busyUntil - now + rtt / 2);
                    }
                }
                case 1 -> { // served: a large answer travels as a flow
                    phase = 3;
                    run.net.start(uplink, client.down, Double.POSITIVE_INFINITY, responseBytes, this);
                }
                case 2 -> onReply.run();
                default -> throw new IllegalStateException("tracker request in phase " + phase);
            }
        }

        @Override
        public void segmentDone(Flow flow) {
            run.net.stop(flow);
            phase = 2;
            schedule(rtt / 2);
        }
    }

    // ------------------------------------------------------------------ ranking

    /**
     * The mirrors the tracker hands {@code c} for {@code key} (a package, or -1 for a whole manifest):
     * up to N of those it believes good, ranked by the configured policy. Draws are keyed by client and
     * package so that compared strategies get the same lists.
     */
    List<Mirror> answer(ClientNode c, long key) {
        if (dirty) {
            rebuild();
        }
        int n = run.scenario.tracker().mirrorsPerAnswer();
        List<Mirror> out = new ArrayList<>(n);
        ranking.pick(c.region, n, d -> Hashing.unit(run.hashSeed, c.id, key, d), m -> out.add(run.mirrors[m].record));
        run.listings += out.size();
        for (Mirror m : out) {
            MirrorNode node = run.mirrorById.get(m.id());
            if (!node.isUp() || node.isStale(run.sim.time())) {
                run.badListings++;
            }
        }
        return out;
    }

    private void rebuild() {
        dirty = false;
        int count = 0;
        for (boolean l : listed) {
            count += l ? 1 : 0;
        }
        int[] ids = new int[count];
        int[] regions = new int[count];
        double[] weights = new double[count];
        double[] loads = new double[count];
        int k = 0;
        for (int m = 0; m < run.mirrors.length; m++) {
            if (listed[m]) {
                ids[k] = m;
                regions[k] = run.mirrors[m].region;
                weights[k] = Math.max(1, run.mirrors[m].capacity);
                loads[k++] = reportedLoad[m];
            }
        }
        ranking = new MirrorRanking(run.scenario.tracker().ranking(), ids, regions,
                run.scenario.network().regions().size(), weights, loads);
    }

    /**
     * Mirrors' load reports for {@code least-loaded} and {@code two-choices}: each mirror that is up reports the rate it served
     * since its previous report. They ride on heartbeats when the tracker uses them, and are separate
     * posts of heartbeat size otherwise.
     */
    void startLoadReports() {
        if (!usesLoad() || run.freshness.equals("heartbeat")) {
            return; // with heartbeats the reports ride on them (round())
        }
        double interval = run.scenario.tracker().freshnessInterval();
        new Event(run.sim) {
            @Override
            public void actions() {
                for (int i = 0; i < run.mirrors.length; i++) {
                    if (run.mirrors[i].isUp()) {
                        run.controlBytes += HEARTBEAT_BYTES;
                        run.freshnessMessages++;
                    }
                }
                takeLoadReports(run.sim.time());
                schedule(interval);
            }
        }.schedule(interval * run.freshnessStream.nextDouble());
    }

    /** Whether the ranking reads the mirrors' load reports. */
    private boolean usesLoad() {
        String r = run.scenario.tracker().ranking();
        return r.equals("least-loaded") || r.equals("two-choices");
    }

    private void takeLoadReports(double now) {
        double span = now - lastReport;
        lastReport = now;
        if (!(span > 0)) {
            return;
        }
        for (int i = 0; i < run.mirrors.length; i++) {
            MirrorNode node = run.mirrors[i];
            // A mirror that is down sends no report: the tracker ranks it last until it reports again.
            reportedLoad[i] = node.isUp() ? (node.bytes - bytesAtReport[i]) / span : Double.POSITIVE_INFINITY;
            bytesAtReport[i] = node.bytes;
        }
        dirty = true;
    }

    private void setListed(int m, boolean good) {
        if (listed[m] != good) {
            listed[m] = good;
            dirty = true;
        }
    }

    // ------------------------------------------------------------------ freshness

    /** Starts the freshness strategy's periodic rounds. */
    void startFreshness() {
        if (run.freshness.equals("none")) {
            return;
        }
        double interval = run.scenario.tracker().freshnessInterval();
        new Event(run.sim) {
            @Override
            public void actions() {
                round();
                schedule(interval);
            }
        }.schedule(interval * run.freshnessStream.nextDouble());
    }

    private void round() {
        double now = run.sim.time();
        double interval = run.scenario.tracker().freshnessInterval();
        int misses = run.scenario.tracker().misses();
        int m = run.mirrors.length;
        switch (run.freshness) {
            case "heartbeat" -> {
                // Every mirror that is up posts its status (and whether it has synced); silence for
                // `misses` rounds withdraws it, the next heartbeat restores it.
                for (int i = 0; i < m; i++) {
                    MirrorNode node = run.mirrors[i];
                    if (node.isUp()) {
                        lastNews[i] = now;
                        run.controlBytes += HEARTBEAT_BYTES;
                        run.freshnessMessages++;
                    }
                    boolean silent = now - lastNews[i] > misses * interval - 1e-9;
                    setListed(i, !silent && !node.isStale(now));
                }
                if (usesLoad()) {
                    takeLoadReports(now);
                }
            }
            case "crawl" -> {
                // The tracker probes every mirror: a marker file (is it in sync?) and a ranged GET of a
                // sample piece (does it serve good bytes?). `misses` failed probes in a row withdraw it,
                // as MirrorManager disables a host after four failed crawls; one good probe restores it.
                for (int i = 0; i < m; i++) {
                    MirrorNode node = run.mirrors[i];
                    run.controlBytes += CRAWL_BYTES;
                    run.freshnessMessages++;
                    if (!node.isUp()) {
                        if (++failedProbes[i] >= misses) {
                            setListed(i, false);
                        }
                        continue;
                    }
                    failedProbes[i] = 0;
                    boolean corruptSample = node.faults.corruptShare() > 0
                            && Hashing.unit(run.hashSeed, i, -7, (long) (now / interval)) < node.faults.corruptShare();
                    setListed(i, !node.isStale(now) && !corruptSample);
                }
            }
            case "gossip" -> gossipRound(now, interval, misses);
            default -> throw new IllegalStateException("freshness " + run.freshness);
        }
    }

    /**
     * Push-pull gossip of heartbeat counters among the mirrors and the tracker (member m): every member
     * that is up bumps its own counter and merges tables with one random member. The tracker lists a
     * mirror whose counter it saw grow within `misses` rounds and that reports being in sync.
     */
    private void gossipRound(double now, double interval, int misses) {
        int m = run.mirrors.length;
        int members = m + 1;
        RandomStream s = run.freshnessStream;
        for (int i = 0; i < members; i++) {
            boolean up = i == m || run.mirrors[i].isUp();
            if (!up) {
                continue;
            }
            if (i < m) {
                gossipTable[i][i]++;
                gossipSeen[i][i] = now;
            }
            int peer = (int) (s.nextDouble() * (members - 1));
            if (peer >= i) {
                peer++;
            }
            boolean peerUp = peer == m || run.mirrors[peer].isUp();
            run.controlBytes += GOSSIP_MESSAGE_BYTES + GOSSIP_ENTRY_BYTES * m;
            run.freshnessMessages++;
            if (!peerUp) {
                continue;
            }
            run.controlBytes += GOSSIP_MESSAGE_BYTES + GOSSIP_ENTRY_BYTES * m;
            run.freshnessMessages++;
            for (int k = 0; k < m; k++) {
                long a = gossipTable[i][k];
                long b = gossipTable[peer][k];
                if (a > b) {
                    gossipTable[peer][k] = a;
                    gossipSeen[peer][k] = now;
                } else if (b > a) {
                    gossipTable[i][k] = b;
                    gossipSeen[i][k] = now;
                }
            }
        }
        for (int k = 0; k < m; k++) {
            boolean heard = now - gossipSeen[m][k] <= misses * interval + 1e-9;
            setListed(k, heard && !run.mirrors[k].isStale(now));
        }
    }
}
