package org.mirrorswarm.engine;

import org.mirrorswarm.engine.workload.Dist;

/**
 * The clients.
 *
 * @param count             how many arrive
 * @param arrival           when: a flash crowd within a window, or Poisson arrivals
 * @param downlink          downlink capacity in bytes/s, drawn per client
 * @param uplink            uplink capacity in bytes/s (used by swarms)
 * @param regionWeights     share of clients in each region of {@link Network#regions()}
 * @param packages          packages each client fetches, drawn per client (rounded)
 * @param firewalledShare   share of clients that accept no incoming connections (swarms)
 */
public record Clients(int count, Arrival arrival, Dist downlink, Dist uplink, double[] regionWeights, Dist packages,
                      double firewalledShare) {

    /** How clients arrive. */
    public sealed interface Arrival {
        /** All clients arrive uniformly at random within {@code window} seconds of time 0: a release. */
        record FlashCrowd(double window) implements Arrival {
            public FlashCrowd {
                if (!(window >= 0)) {
                    throw new IllegalArgumentException("clients.arrival.window must be >= 0");
                }
            }
        }

        /** Poisson arrivals of {@code rate} clients per second. */
        record Poisson(double rate) implements Arrival {
            public Poisson {
                if (!(rate > 0)) {
                    throw new IllegalArgumentException("clients.arrival.rate must be positive");
                }
            }
        }
    }

    public Clients {
        if (count < 1) {
            throw new IllegalArgumentException("clients.count must be >= 1, got " + count);
        }
        regionWeights = regionWeights.clone();
        if (regionWeights.length == 0) {
            throw new IllegalArgumentException("clients.regionWeights: one weight per region");
        }
        if (!(firewalledShare >= 0 && firewalledShare <= 1)) {
            throw new IllegalArgumentException("clients.firewalledShare must be in [0, 1]");
        }
    }

    public Clients withCount(int n) {
        return new Clients(n, arrival, downlink, uplink, regionWeights, packages, firewalledShare);
    }

    public Clients withArrival(Arrival a) {
        return new Clients(count, a, downlink, uplink, regionWeights, packages, firewalledShare);
    }

    public Clients withPackages(Dist p) {
        return new Clients(count, arrival, downlink, uplink, regionWeights, p, firewalledShare);
    }
}
