package org.mirrorswarm.bench;

import java.util.List;
import java.util.Locale;
import org.mirrorswarm.engine.Clients;
import org.mirrorswarm.engine.Faults;
import org.mirrorswarm.engine.MirrorGroup;
import org.mirrorswarm.engine.Network;
import org.mirrorswarm.engine.Packages;
import org.mirrorswarm.engine.RunResult;
import org.mirrorswarm.engine.Scenario;
import org.mirrorswarm.engine.Simulation;
import org.mirrorswarm.engine.SwarmSpec;
import org.mirrorswarm.engine.Tracker;
import org.mirrorswarm.engine.Variant;
import org.mirrorswarm.engine.workload.Dist;
import org.mirrorswarm.engine.workload.SizeTable;
import org.mirrorswarm.strategies.SchedulerConfig;

/**
 * The engine's scale case: a flash crowd of clients × 200 mirrors × 20 packages of Debian 12 main sizes.
 * Prints wall time, events and the run's headline numbers. Run it under {@code -Xmx8g} and time it with
 * {@code /usr/bin/time -v} for peak memory:
 *
 * <pre>/usr/bin/time -v java -Xmx8g -cp bench/target/benchmarks.jar org.mirrorswarm.bench.ScaleRun fast 100000 adaptive</pre>
 *
 * <p>With {@code swarm} as the chunk strategy argument, the same network runs the BitTorrent-style
 * swarm instead of the mirrors: {@code ScaleRun fast 10000 swarm} (100 packages, 5 per peer).
 */
public final class ScaleRun {
    private ScaleRun() {
    }

    /** The scale scenario with {@code clients} clients on the given bandwidth model. */
    public static Scenario scenario(String model, int clients) {
        double mib = 1 << 20;
        Dist mirrorUplink = new Dist.LogUniform(10e6, 125e6); // 80 Mbit/s to 1 Gbit/s
        List<MirrorGroup> groups = List.of(
                new MirrorGroup("eu", 80, 0, mirrorUplink, 0, Double.POSITIVE_INFINITY, Faults.NONE),
                new MirrorGroup("na", 70, 1, mirrorUplink, 0, Double.POSITIVE_INFINITY, Faults.NONE),
                new MirrorGroup("asia", 50, 2, mirrorUplink, 0, Double.POSITIVE_INFINITY, Faults.NONE));
        Clients c = new Clients(clients, new Clients.Arrival.FlashCrowd(600), new Dist.LogUniform(mib, 12 * mib),
                new Dist.Fixed(mib), new double[] {0.5, 0.3, 0.2}, new Dist.Fixed(20), 0);
        Packages p = new Packages(63_440, new Dist.Empirical(SizeTable.named(SizeTable.DEBIAN_MAIN),
                Double.POSITIVE_INFINITY), 0.8, 1 << 20);
        Tracker t = new Tracker(0, 125e6, new Dist.Fixed(0.0001), 8, "nearest", "metalink-per-file", "none", 30, 3,
                3600, 1800);
        return new Scenario("flash-crowd-" + clients, 1, 36_000, 10, Network.defaults(model), groups, c, p, t,
                "mirrors", SwarmSpec.defaults());
    }

    /**
     * The swarm's scale case: the same mirrors and clients (each uploading 0.5–4 MiB/s), 100 packages
     * of Debian sizes in 256 KiB pieces, 5 per peer, one origin seed of 125 MB/s, peers seeding for
     * an exponential time of mean 5 minutes after each package.
     */
    public static Scenario swarmScenario(String model, int clients) {
        Scenario base = scenario(model, clients);
        double mib = 1 << 20;
        Clients c = new Clients(clients, new Clients.Arrival.FlashCrowd(600), new Dist.LogUniform(mib, 12 * mib),
                new Dist.LogUniform(mib / 2, 4 * mib), new double[] {0.5, 0.3, 0.2}, new Dist.Fixed(5), 0.3);
        Packages p = new Packages(100, new Dist.Empirical(SizeTable.named(SizeTable.DEBIAN_MAIN),
                Double.POSITIVE_INFINITY), 0.8, 256 << 10);
        return new Scenario("swarm-" + clients, 1, 36_000, 10, base.network(), base.mirrors(), c, p, base.tracker(),
                "swarm", SwarmSpec.defaults().withSeeds(1, 125e6, false).withSeedingTime(new Dist.Exponential(300)));
    }

    public static void main(String[] args) {
        String model = args.length > 0 ? args[0] : "fast";
        int clients = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
        String chunk = args.length > 2 ? args[2] : "adaptive";
        boolean swarm = chunk.equals("swarm");
        Scenario sc = swarm ? swarmScenario(model, clients) : scenario(model, clients);
        RunResult r = Simulation.run(sc, Variant.of(SchedulerConfig.of(swarm ? "single" : chunk)), 0);
        Runtime rt = Runtime.getRuntime();
        System.out.printf(Locale.ROOT, "scenario %s, model %s, chunk %s, seed %d%n", sc.name(), model, chunk, sc.seed());
        System.out.printf(Locale.ROOT, "clients %d completed %d failed %d; payload %.1f GB (%.2f MB per package)%n",
                r.clients(), r.completed(), r.failed(), r.payloadBytes() / 1e9,
                r.payloadBytes() / 1e6 / ((swarm ? 5.0 : 20.0) * clients));
        System.out.printf(Locale.ROOT, "completion mean %.1f s p50 %.1f p95 %.1f p99 %.1f; simulated %.0f s%n",
                r.meanCompletion(), r.completionQuantile(0.5), r.completionQuantile(0.95), r.completionQuantile(0.99),
                r.endTime());
        System.out.printf(Locale.ROOT, "requests %d; tracker requests %d (%.1f/s, %.0f B/s), utilisation %.2f, "
                + "entries at most %d; jain %.3f%n", r.requests(), r.trackerRequests(), r.trackerRequestRate(),
                r.trackerBytes() / Math.max(1, r.endTime()), r.trackerUtilisation(), r.trackerEntriesMax(), r.jainIndex());
        if (swarm) {
            System.out.printf(Locale.ROOT, "peers uploaded %.1f GB, seeds %.1f GB (peer share %.2f); wasted %.1f GB%n",
                    r.peerUploadBytes() / 1e9, r.seedUploadBytes() / 1e9,
                    r.peerUploadBytes() / (double) Math.max(1, r.peerUploadBytes() + r.seedUploadBytes()),
                    r.wastedBytes() / 1e9);
        }
        System.out.printf(Locale.ROOT, "events %d in %.1f s wall = %.0f events/s; heap in use at the end %d MiB%n",
                r.events(), r.wallSeconds(), r.eventsPerSecond(), (rt.totalMemory() - rt.freeMemory()) >> 20);
    }
}
