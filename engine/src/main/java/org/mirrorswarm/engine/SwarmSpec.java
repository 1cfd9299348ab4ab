package org.mirrorswarm.engine;

import org.mirrorswarm.engine.workload.Dist;

/**
 * BitTorrent parameters for the {@code swarm} and {@code hybrid} transports (BEP 3 defaults).
 *
 * @param originSeeds        seeds that hold every package from the start (the distribution's own)
 * @param originUplink       uplink of each origin seed, bytes/s
 * @param mirrorsSeed        mirrors take part as seeds too, with their uplinks
 * @param unchokeSlots       peers a node uploads to at once by tit-for-tat (BEP 3: 4)
 * @param rechokeInterval    seconds between choking decisions (BEP 3: 10)
 * @param optimisticInterval seconds between optimistic unchokes (BEP 3: 30)
 * @param seedingTime        seconds a peer keeps seeding a package after completing it
 * @param peersPerAnnounce   peers the tracker returns per announce (numwant, 50)
 * @param maxConnections     connections a node keeps per torrent
 */
public record SwarmSpec(int originSeeds, double originUplink, boolean mirrorsSeed, int unchokeSlots,
                        double rechokeInterval, double optimisticInterval, Dist seedingTime, int peersPerAnnounce,
                        int maxConnections) {
    public SwarmSpec {
        if (originSeeds < 0) {
            throw new IllegalArgumentException("swarm.originSeeds must be >= 0");
        }
        if (originSeeds > 0 && !(originUplink > 0)) {
            throw new IllegalArgumentException("swarm.originUplink must be positive");
        }
        if (unchokeSlots < 1 || peersPerAnnounce < 1 || maxConnections < 1) {
            throw new IllegalArgumentException("swarm: unchokeSlots, peersPerAnnounce and maxConnections must be >= 1");
        }
        if (!(rechokeInterval > 0) || !(optimisticInterval > 0)) {
            throw new IllegalArgumentException("swarm: choking intervals must be positive");
        }
    }

    /** One origin seed of 100 MB/s, mirrors not seeding, BEP 3 choking, leave at once, 50 peers, 80 connections. */
    public static SwarmSpec defaults() {
        return new SwarmSpec(1, 100e6, false, 4, 10, 30, new Dist.Fixed(0), 50, 80);
    }

    public SwarmSpec withSeeds(int origins, double uplink, boolean mirrors) {
        return new SwarmSpec(origins, uplink, mirrors, unchokeSlots, rechokeInterval, optimisticInterval, seedingTime,
                peersPerAnnounce, maxConnections);
    }

    public SwarmSpec withSeedingTime(Dist d) {
        return new SwarmSpec(originSeeds, originUplink, mirrorsSeed, unchokeSlots, rechokeInterval, optimisticInterval,
                d, peersPerAnnounce, maxConnections);
    }
}
