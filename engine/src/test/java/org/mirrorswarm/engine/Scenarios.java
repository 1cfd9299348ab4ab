package org.mirrorswarm.engine;

import java.util.List;
import org.mirrorswarm.engine.workload.Dist;
import org.mirrorswarm.engine.workload.SizeTable;

/** Scenarios built in Java for the engine's tests. */
final class Scenarios {
    static final double MIB = 1 << 20;
    static final double UNLIMITED = Double.POSITIVE_INFINITY;

    private Scenarios() {
    }

    /** A release day in miniature: Debian package sizes, heterogeneous mirrors in three regions. */
    static Scenario releaseDay(String model, int clients, int mirrorsPerRegion, int packagesEach) {
        List<MirrorGroup> groups = List.of(
                new MirrorGroup("eu", mirrorsPerRegion, 0, new Dist.LogUniform(2 * MIB, 40 * MIB), 0, UNLIMITED, Faults.NONE),
                new MirrorGroup("na", mirrorsPerRegion, 1, new Dist.LogUniform(2 * MIB, 40 * MIB), 0, UNLIMITED, Faults.NONE),
                new MirrorGroup("asia", mirrorsPerRegion, 2, new Dist.LogUniform(2 * MIB, 40 * MIB), 0, UNLIMITED, Faults.NONE));
        Clients c = new Clients(clients, new Clients.Arrival.FlashCrowd(60), new Dist.LogUniform(1 * MIB, 12 * MIB),
                new Dist.Fixed(MIB), new double[] {0.5, 0.3, 0.2}, new Dist.Fixed(packagesEach), 0);
        Packages p = new Packages(2000, new Dist.Empirical(SizeTable.named(SizeTable.DEBIAN_MAIN), 64 * MIB), 0.8,
                1 << 20);
        Tracker t = new Tracker(0, 100 * MIB, new Dist.Fixed(0.001), 8, "nearest", "metalink-per-file", "none", 30, 3,
                3600, 1800);
        return new Scenario("release-day-mini", 42, 3600, 10, Network.defaults(model), groups, c, p, t,
                "mirrors", SwarmSpec.defaults());
    }

    /**
     * One region with a fixed RTT, one mirror group, clients arriving together, a catalogue of fixed-size
     * packages: the setting of the closed-form checks.
     */
    static Scenario flat(String model, double rtt, boolean slowStart, int mirrors, double mirrorCapacity, int clients,
                         double clientDownlink, long packageSize, int packagesEach, int catalogue) {
        List<MirrorGroup> groups = List.of(new MirrorGroup("m", mirrors, 0, new Dist.Fixed(mirrorCapacity), 0,
                UNLIMITED, Faults.NONE));
        Clients c = new Clients(clients, new Clients.Arrival.FlashCrowd(0), new Dist.Fixed(clientDownlink),
                new Dist.Fixed(MIB), new double[] {1}, new Dist.Fixed(packagesEach), 0);
        Packages p = new Packages(catalogue, new Dist.Fixed(packageSize), 0, 1 << 20);
        Tracker t = new Tracker(0, 1e12, new Dist.Fixed(0.001), 8, "weighted", "metalink-per-file", "none", 30, 3,
                3600, 1800);
        return new Scenario("flat", 7, 1e6, 10, Network.flat(model, rtt, slowStart), groups, c, p, t,
                "mirrors", SwarmSpec.defaults());
    }
}
