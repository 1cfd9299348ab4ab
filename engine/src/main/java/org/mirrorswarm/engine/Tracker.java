package org.mirrorswarm.engine;

import org.mirrorswarm.engine.workload.Dist;

/**
 * The seed's "main server": hands out file plans and mirror lists, and keeps its view of the mirrors
 * current. A single FIFO server.
 *
 * @param region            index into {@link Network#regions()}
 * @param uplink            bytes/s of its uplink (answers travel over the network)
 * @param serviceTime       seconds of work per request
 * @param mirrorsPerAnswer  mirrors listed per answer, best first
 * @param ranking           the tracker-side policy of {@link org.mirrorswarm.strategies.ranking.MirrorRanking}:
 *                          {@code nearest} (client's region first, then weighted by capacity, as MirrorBrain
 *                          ranks), {@code weighted} (by capacity only), {@code least-loaded} (lowest
 *                          reported utilisation first; mirrors report every freshness interval) or
 *                          {@code two-choices} (two weighted draws per place, the less loaded taken)
 * @param overhead          how clients get plans: {@code metalink-per-file}, {@code repo-manifest}, {@code bt-per-file}
 * @param freshness         how the tracker keeps its mirror list current: {@code none}, {@code heartbeat},
 *                          {@code crawl}, {@code gossip}
 * @param freshnessInterval seconds between heartbeats, crawls or gossip rounds
 * @param misses            intervals without news after which a mirror is withdrawn
 * @param manifestTtl       seconds a client keeps a repository manifest (every simulated client arrives
 *                          once and fetches one, so this matters only to clients that come back)
 * @param announceInterval  seconds between BitTorrent announces while downloading (1800 as trackers use)
 */
public record Tracker(int region, double uplink, Dist serviceTime, int mirrorsPerAnswer, String ranking,
                      String overhead, String freshness, double freshnessInterval, int misses, double manifestTtl,
                      double announceInterval) {
    public Tracker {
        if (!(uplink > 0)) {
            throw new IllegalArgumentException("tracker.uplink must be positive");
        }
        if (mirrorsPerAnswer < 1) {
            throw new IllegalArgumentException("tracker.mirrorsPerAnswer must be >= 1");
        }
        Ids.check("tracker.ranking", ranking, Ids.RANKINGS);
        Ids.check("tracker.overhead", overhead, Ids.OVERHEADS);
        Ids.check("tracker.freshness", freshness, Ids.FRESHNESS);
        if (!(freshnessInterval > 0) || misses < 1 || !(manifestTtl >= 0) || !(announceInterval > 0)) {
            throw new IllegalArgumentException("tracker: intervals must be positive and misses >= 1");
        }
    }

    public Tracker withOverhead(String o) {
        return new Tracker(region, uplink, serviceTime, mirrorsPerAnswer, ranking, o, freshness, freshnessInterval,
                misses, manifestTtl, announceInterval);
    }

    public Tracker withFreshness(String f, double interval) {
        return new Tracker(region, uplink, serviceTime, mirrorsPerAnswer, ranking, overhead, f, interval, misses,
                manifestTtl, announceInterval);
    }

    public Tracker withRanking(String r) {
        return new Tracker(region, uplink, serviceTime, mirrorsPerAnswer, r, overhead, freshness, freshnessInterval,
                misses, manifestTtl, announceInterval);
    }

    public Tracker withMirrorsPerAnswer(int n) {
        return new Tracker(region, uplink, serviceTime, n, ranking, overhead, freshness, freshnessInterval, misses,
                manifestTtl, announceInterval);
    }
}
