package org.mirrorswarm.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.mirrorswarm.engine.net.BandwidthExact;
import org.mirrorswarm.engine.net.BandwidthFast;
import org.mirrorswarm.engine.net.BandwidthModel;
import org.mirrorswarm.engine.sim.Hashing;
import org.mirrorswarm.engine.sim.HeapEventList;
import org.mirrorswarm.engine.sim.Streams;
import org.mirrorswarm.engine.workload.Catalogue;
import org.mirrorswarm.strategies.FilePlan;
import org.mirrorswarm.strategies.Mirror;
import org.mirrorswarm.strategies.SchedulerConfig;
import org.mirrorswarm.strategies.Strategies;
import umontreal.ssj.rng.MRG32k3a;
import umontreal.ssj.simevents.Event;
import umontreal.ssj.simevents.Simulator;
import umontreal.ssj.stat.Tally;

/**
 * One simulation run: a scenario, a variant, a replication. Builds mirrors, tracker and clients from
 * the replication's substreams, runs the SSJ simulator until every client is done or the scenario's
 * duration, and collects the metrics.
 */
final class Run {
    final Scenario scenario;
    final Variant variant;
    final int replication;
    final Simulator sim;
    final HeapEventList eventList;
    final BandwidthModel net;
    final Strategies registry;
    final SchedulerConfig schedulerConfig;
    final String overhead;
    final String freshness;
    final String transport;
    final Swarm swarm;
    final long hashSeed;
    final MRG32k3a trackerStream;
    final MRG32k3a freshnessStream;

    final Catalogue catalogue;
    final FilePlan[] plans;
    final MirrorNode[] mirrors;
    final Map<String, MirrorNode> mirrorById = new HashMap<>();
    final TrackerNode tracker;
    final int[] swarmPeers;
    final long manifestBytes;
    private final List<List<Mirror>> webSeeds = new ArrayList<>();

    private final int clientCount;
    private final double[] arrivals;
    private final int[] clientRegion;
    private final double[] clientDownlink;
    private final int[][] clientPackages;
    private final long[] clientSeed;
    private final double[] clientUplink;
    private final boolean[] clientFirewalled;
    private int clientsDone;
    private final double[] completion;
    private final boolean[] success;

    // Metrics.
    final Tally fileTimes = new Tally();
    long payloadBytes;
    long wastedBytes;
    long badPieces;
    long headerBytes;
    long controlBytes;
    long requests;
    long failedRequests;
    long staleHits;
    long listings;
    long badListings;
    long freshnessMessages;
    long schedulerEvents;
    long swarmPayloadBytes;

    Run(Scenario sc, Variant v, int replication, Streams templates, Strategies registry) {
        this.scenario = sc;
        this.variant = v;
        this.replication = replication;
        this.registry = registry;
        registry.validate(v.scheduler());
        // Early requests take no connection of the budget when they are pipelined (Flight queues them on one).
        this.schedulerConfig = v.scheduler().withEarlyPipelined(sc.network().pipelining());
        this.overhead = v.overhead() != null ? v.overhead() : sc.tracker().overhead();
        this.freshness = v.freshness() != null ? v.freshness() : sc.tracker().freshness();
        this.transport = v.transport() != null ? v.transport() : sc.transport();
        Streams s = templates.forReplication(replication);
        this.eventList = new HeapEventList();
        this.sim = new Simulator(eventList);
        this.net = sc.network().model().equals("exact") ? new BandwidthExact(sim) : new BandwidthFast(sim);
        this.hashSeed = Hashing.mix(s.get(Streams.Source.NETWORK).nextInt(0, Integer.MAX_VALUE) * 0x100000001L
                + s.get(Streams.Source.NETWORK).nextInt(0, Integer.MAX_VALUE));
        this.trackerStream = s.get(Streams.Source.TRACKER);
        this.freshnessStream = s.get(Streams.Source.FRESHNESS);

        // The catalogue and its plans.
        Packages p = sc.packages();
        MRG32k3a catalogueStream = s.get(Streams.Source.CATALOGUE);
        if (!p.redraw()) {
            catalogueStream = catalogueStream.clone();
            catalogueStream.resetStartStream(); // substream 0: the same release in every replication
        }
        this.catalogue = Catalogue.generate(p.count(), p.sizes(), p.zipf(), catalogueStream);
        this.plans = new FilePlan[p.count()];
        for (int k = 0; k < plans.length; k++) {
            plans[k] = FilePlan.synthetic("pkg-" + k, catalogue.packageSize(k), p.pieceLength());
        }

        // Mirrors: capacities and faults from their own streams, in group order.
        MRG32k3a mirrorStream = s.get(Streams.Source.MIRRORS);
        MRG32k3a faultStream = s.get(Streams.Source.FAULTS);
        this.mirrors = new MirrorNode[sc.mirrorCount()];
        int i = 0;
        for (MirrorGroup g : sc.mirrors()) {
            for (int k = 0; k < g.count(); k++, i++) {
                double cap = Math.max(1, g.uplink().sample(mirrorStream));
                int link = net.addLink(cap);
                Mirror record = new Mirror(g.name() + "-" + k, cap, 0, sc.network().regions().get(g.region()));
                mirrors[i] = new MirrorNode(i, record, g.region(), link, cap, g, sc.binWidth());
                mirrorById.put(record.id(), mirrors[i]);
                scheduleFaults(mirrors[i], faultStream);
            }
        }
        this.swarmPeers = new int[p.count()];
        this.tracker = new TrackerNode(this, net.addLink(sc.tracker().uplink()), sc.tracker().region());
        this.manifestBytes = Messages.manifest(this);
        this.swarm = transport.equals("mirrors") ? null
                : new Swarm(this, transport.equals("hybrid"), s.get(Streams.Source.SWARM));

        // Clients: every attribute drawn up front in client order, so strategies cannot change them.
        Clients c = sc.clients();
        this.clientCount = c.count();
        this.arrivals = arrivalTimes(c, s.get(Streams.Source.ARRIVALS));
        MRG32k3a cs = s.get(Streams.Source.CLIENTS);
        this.clientRegion = new int[clientCount];
        this.clientDownlink = new double[clientCount];
        this.clientPackages = new int[clientCount][];
        this.clientSeed = new long[clientCount];
        this.clientUplink = new double[clientCount];
        this.clientFirewalled = new boolean[clientCount];
        org.mirrorswarm.engine.workload.Dist regions = regionChoice(c.regionWeights());
        for (int k = 0; k < clientCount; k++) {
            clientRegion[k] = (int) regions.sample(cs);
            clientDownlink[k] = Math.max(1, c.downlink().sample(cs));
            int n = (int) Math.max(0, Math.round(c.packages().sample(cs)));
            clientPackages[k] = catalogue.drawDistinct(n, cs);
            clientSeed[k] = (long) (cs.nextDouble() * 0x1p53);
            // Drawn in every transport, so that all of them see the same clients.
            clientUplink[k] = Math.max(1, c.uplink().sample(cs));
            clientFirewalled[k] = cs.nextDouble() < c.firewalledShare();
        }
        this.completion = new double[clientCount];
        this.success = new boolean[clientCount];
        Arrays.fill(completion, Double.NaN);
    }

    private static org.mirrorswarm.engine.workload.Dist regionChoice(double[] weights) {
        double[] values = new double[weights.length];
        for (int r = 0; r < values.length; r++) {
            values[r] = r;
        }
        return new org.mirrorswarm.engine.workload.Dist.Choice(values, weights);
    }

    private static double[] arrivalTimes(Clients c, MRG32k3a s) {
        double[] t = new double[c.count()];
        if (c.arrival() instanceof Clients.Arrival.FlashCrowd fc) {
            for (int k = 0; k < t.length; k++) {
                t[k] = fc.window() * s.nextDouble();
            }
            Arrays.sort(t);
        } else {
            double rate = ((Clients.Arrival.Poisson) c.arrival()).rate();
            double now = 0;
            for (int k = 0; k < t.length; k++) {
                now += -Math.log1p(-s.nextDouble()) / rate;
                t[k] = now;
            }
        }
        return t;
    }

    private void scheduleFaults(MirrorNode m, MRG32k3a s) {
        Faults f = m.faults;
        double end = scenario.duration();
        for (Faults.Interval o : f.outages()) {
            at(o.from(), m::crash);
            at(o.to(), m::recover);
        }
        if (f.mtbf() < Double.POSITIVE_INFINITY) {
            double t = -f.mtbf() * Math.log1p(-s.nextDouble());
            while (t < end) {
                double up = t - f.mttr() * Math.log1p(-s.nextDouble());
                at(t, m::crash);
                at(up, m::recover);
                t = up - f.mtbf() * Math.log1p(-s.nextDouble());
            }
        }
        for (Faults.Slowdown sd : f.slowdowns()) {
            at(sd.from(), () -> {
                m.slowDown(sd.factor());
                net.setCapacity(m.uplink, m.capacity * m.slowFactor());
            });
            at(sd.to(), () -> {
                m.speedUp(sd.factor());
                net.setCapacity(m.uplink, m.capacity * m.slowFactor());
            });
        }
    }

    private void at(double t, Runnable r) {
        if (t > scenario.duration()) {
            return;
        }
        new Event(sim) {
            @Override
            public void actions() {
                r.run();
            }
        }.schedule(t);
    }

    /** Round-trip time between client {@code c} and node {@code n} (a mirror, or -1 for the tracker). */
    double rtt(int c, int clientRegion, int n, int nodeRegion) {
        double base = scenario.network().rtt()[clientRegion][nodeRegion];
        return base * (1 + scenario.network().rttJitter() * Hashing.unit(hashSeed, c, n, -3));
    }

    /** The web seeds a package's .torrent lists: fixed when it was made, the same for every client. */
    List<Mirror> webSeeds(int pkg) {
        while (webSeeds.size() <= pkg) {
            webSeeds.add(null);
        }
        List<Mirror> w = webSeeds.get(pkg);
        if (w == null) {
            int n = Math.min(scenario.tracker().mirrorsPerAnswer(), mirrors.length);
            List<Mirror> out = new ArrayList<>(n);
            boolean[] taken = new boolean[mirrors.length];
            double total = Arrays.stream(mirrors).mapToDouble(m -> m.capacity).sum();
            for (int draw = 0; out.size() < n; draw++) {
                double x = Hashing.unit(hashSeed, pkg, -11, draw) * total;
                int m = 0;
                while (m < mirrors.length - 1 && x >= mirrors[m].capacity) {
                    x -= mirrors[m].capacity;
                    m++;
                }
                if (!taken[m]) {
                    taken[m] = true;
                    out.add(mirrors[m].record);
                }
            }
            w = List.copyOf(out);
            webSeeds.set(pkg, w);
        }
        return w;
    }

    void clientDone(ClientNode c, boolean ok) {
        completion[c.id] = sim.time() - c.arrival;
        success[c.id] = ok;
        if (++clientsDone == clientCount) {
            sim.stop();
        }
    }

    /** Runs the simulation to its end and returns what it measured. */
    RunResult execute() {
        long wallStart = System.nanoTime();
        ClientNode[] nodes = new ClientNode[clientCount];
        new Event(sim) {
            private int next;

            @Override
            public void actions() {
                int k = next++;
                nodes[k] = new ClientNode(Run.this, k, clientRegion[k], net.addLink(clientDownlink[k]), arrivals[k],
                        clientPackages[k], clientSeed[k], clientUplink[k], clientFirewalled[k]);
                clientPackages[k] = null;
                nodes[k].arrive();
                if (next < clientCount) {
                    schedule(arrivals[next] - sim.time());
                }
            }
        }.schedule(arrivals[0]);
        tracker.startFreshness();
        tracker.startLoadReports();
        at(scenario.duration(), sim::stop);
        sim.start();
        double end = sim.time();
        for (ClientNode n : nodes) {
            if (n != null && !n.done) {
                n.collectUnfinished();
            }
        }
        double wall = (System.nanoTime() - wallStart) / 1e9;

        int completed = 0;
        for (boolean ok : success) {
            completed += ok ? 1 : 0;
        }
        double[] times = new double[completed];
        int j = 0;
        for (int k = 0; k < clientCount; k++) {
            if (success[k]) {
                times[j++] = completion[k];
            }
        }
        Arrays.sort(times);
        String[] ids = new String[mirrors.length];
        double[] caps = new double[mirrors.length];
        long[] bytes = new long[mirrors.length];
        double[][] bins = new double[mirrors.length][];
        for (int m = 0; m < mirrors.length; m++) {
            ids[m] = mirrors[m].record.id();
            caps[m] = mirrors[m].capacity;
            bytes[m] = mirrors[m].bytes;
            bins[m] = mirrors[m].bins(end);
        }
        return new RunResult(scenario.name(), variant.name(), replication, scenario.seed(), clientCount, completed,
                clientCount - completed, times, fileTimes.numberObs() == 0 ? Double.NaN : fileTimes.average(),
                payloadBytes + swarmPayloadBytes, wastedBytes, headerBytes, controlBytes, tracker.requests, tracker.bytes,
                tracker.busyTime, end, requests, failedRequests, staleHits, ids, caps, bytes, scenario.binWidth(),
                bins, eventList.executed(), wall, transport, swarm == null ? 0 : swarm.peerUploadBytes,
                swarm == null ? 0 : swarm.seedUploadBytes, swarm == null ? 0 : swarm.maxEntries, badPieces);
    }
}
