package org.mirrorswarm.engine;

import java.util.List;
import java.util.Objects;

/**
 * Everything a simulation run needs besides the strategy under test.
 *
 * @param name     scenario name, printed in every report
 * @param seed     seed of every random stream: same scenario and seed, same numbers
 * @param duration simulated seconds at most; clients unfinished by then count as failed
 * @param binWidth seconds per bin of the per-mirror load-over-time series
 * @param transport how clients get the bytes: {@code mirrors} (HTTP ranges from mirrors, the shared
 *                  scheduler), {@code swarm} (BitTorrent among the clients and seeds), {@code hybrid}
 *                  (both: mirrors as web seeds, BEP 19)
 * @param swarm     BitTorrent parameters for the swarm and hybrid transports
 */
public record Scenario(String name, long seed, double duration, double binWidth, Network network,
                       List<MirrorGroup> mirrors, Clients clients, Packages packages, Tracker tracker,
                       String transport, SwarmSpec swarm) {
    public Scenario {
        Ids.check("transport", transport, Ids.TRANSPORTS);
        Objects.requireNonNull(swarm, "swarm");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(network, "network");
        Objects.requireNonNull(clients, "clients");
        Objects.requireNonNull(packages, "packages");
        Objects.requireNonNull(tracker, "tracker");
        mirrors = List.copyOf(mirrors);
        if (mirrors.isEmpty()) {
            throw new IllegalArgumentException("mirrors: at least one mirror group");
        }
        if (!(duration > 0) || !(binWidth > 0)) {
            throw new IllegalArgumentException("duration and binWidth must be positive");
        }
        int regions = network.regions().size();
        for (MirrorGroup g : mirrors) {
            if (g.region() < 0 || g.region() >= regions) {
                throw new IllegalArgumentException("mirrors." + g.name() + ".region: no region " + g.region());
            }
        }
        if (tracker.region() < 0 || tracker.region() >= regions) {
            throw new IllegalArgumentException("tracker.region: no region " + tracker.region());
        }
        if (clients.regionWeights().length != regions) {
            throw new IllegalArgumentException("clients.regionWeights: needs " + regions + " weights, one per region");
        }
    }

    /** Total number of mirrors. */
    public int mirrorCount() {
        return mirrors.stream().mapToInt(MirrorGroup::count).sum();
    }

    public Scenario withClients(Clients c) {
        return new Scenario(name, seed, duration, binWidth, network, mirrors, c, packages, tracker, transport, swarm);
    }

    public Scenario withNetwork(Network n) {
        return new Scenario(name, seed, duration, binWidth, n, mirrors, clients, packages, tracker, transport, swarm);
    }

    public Scenario withMirrors(List<MirrorGroup> m) {
        return new Scenario(name, seed, duration, binWidth, network, m, clients, packages, tracker, transport, swarm);
    }

    public Scenario withTracker(Tracker t) {
        return new Scenario(name, seed, duration, binWidth, network, mirrors, clients, packages, t, transport, swarm);
    }

    public Scenario withPackages(Packages p) {
        return new Scenario(name, seed, duration, binWidth, network, mirrors, clients, p, tracker, transport, swarm);
    }

    public Scenario withTransport(String t) {
        return new Scenario(name, seed, duration, binWidth, network, mirrors, clients, packages, tracker, t, swarm);
    }

    public Scenario withSwarm(SwarmSpec s) {
        return new Scenario(name, seed, duration, binWidth, network, mirrors, clients, packages, tracker, transport, s);
    }

    public Scenario withSeed(long s) {
        return new Scenario(name, s, duration, binWidth, network, mirrors, clients, packages, tracker, transport, swarm);
    }

    public Scenario withDuration(double d) {
        return new Scenario(name, seed, d, binWidth, network, mirrors, clients, packages, tracker, transport, swarm);
    }
}
