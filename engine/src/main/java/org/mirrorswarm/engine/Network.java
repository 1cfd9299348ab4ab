package org.mirrorswarm.engine;

import java.util.List;

/**
 * The network between clients, mirrors and the tracker.
 *
 * @param model               bandwidth model id: {@code exact} (max-min) or {@code fast} (per-mirror PS)
 * @param regions             region names; RTTs are looked up by region pair
 * @param rtt                 round-trip times in seconds, {@code rtt[a][b]} between regions a and b
 * @param rttJitter           each client–node pair's RTT is multiplied by 1 + jitter × u, u uniform in [0, 1)
 * @param tls                 one more round trip per new connection (TLS 1.3)
 * @param slowStart           TCP slow start on new connections: the rate cap starts at initialWindow / RTT
 *                            and doubles every RTT
 * @param initialWindow       TCP initial window in bytes (10 segments = 14,600 bytes, RFC 6928)
 * @param tcpWindow           largest TCP window in bytes: a connection never exceeds window / RTT
 * @param requestHeaderBytes  bytes of an HTTP request's headers
 * @param responseHeaderBytes bytes of an HTTP response's headers (they travel with the body)
 * @param keepAlive           seconds an idle connection stays open for reuse
 * @param connectTimeout      seconds before a connection to a host that is down fails
 * @param stallTimeout        seconds without data before a client gives a transfer up (a host that died
 *                            mid-transfer sends no reset)
 * @param pipelining          a request to a mirror whose connections are all busy is pipelined on the one with
 *                            the fewest requests waiting (HTTP/1.1, as the live client does), instead of
 *                            opening another connection; its answer comes a round trip after it was sent or as
 *                            the answers ahead of it end, whichever is later
 */
public record Network(String model, List<String> regions, double[][] rtt, double rttJitter, boolean tls,
                      boolean slowStart, int initialWindow, double tcpWindow, int requestHeaderBytes,
                      int responseHeaderBytes, double keepAlive, double connectTimeout, double stallTimeout,
                      boolean pipelining) {

    public Network {
        if (!model.equals("exact") && !model.equals("fast")) {
            throw new IllegalArgumentException("network.model: unknown bandwidth model '" + model + "'; valid: exact, fast");
        }
        regions = List.copyOf(regions);
        if (regions.isEmpty()) {
            throw new IllegalArgumentException("network.regions: at least one region");
        }
        if (rtt.length != regions.size()) {
            throw new IllegalArgumentException("network.rtt: needs " + regions.size() + " rows, one per region");
        }
        double[][] copy = new double[rtt.length][];
        for (int i = 0; i < rtt.length; i++) {
            if (rtt[i].length != regions.size()) {
                throw new IllegalArgumentException("network.rtt: row " + i + " needs " + regions.size() + " values");
            }
            for (double v : rtt[i]) {
                if (!(v >= 0) || Double.isInfinite(v)) {
                    throw new IllegalArgumentException("network.rtt: round-trip times must be finite and >= 0");
                }
            }
            copy[i] = rtt[i].clone();
        }
        rtt = copy;
        positive("network.initialWindow", initialWindow);
        positive("network.tcpWindow", tcpWindow);
        if (rttJitter < 0 || requestHeaderBytes < 0 || responseHeaderBytes < 0 || keepAlive < 0) {
            throw new IllegalArgumentException("network: jitter, header sizes and keep-alive must be >= 0");
        }
        positive("network.connectTimeout", connectTimeout);
        positive("network.stallTimeout", stallTimeout);
    }

    private static void positive(String field, double v) {
        if (!(v > 0)) {
            throw new IllegalArgumentException(field + " must be positive, got " + v);
        }
    }

    /**
     * Three regions (eu, na, asia) with RTTs of 20 ms inside a region and 90–250 ms between them, slow
     * start on, 4 MiB windows, keep-alive 15 s: a plain Internet.
     */
    public static Network defaults(String model) {
        return new Network(model, List.of("eu", "na", "asia"),
                new double[][] {{0.020, 0.090, 0.250}, {0.090, 0.020, 0.180}, {0.250, 0.180, 0.020}},
                0.5, false, true, 14_600, 4 << 20, 300, 300, 15, 3, 10, false);
    }

    /** A copy with another bandwidth model. */
    public Network withModel(String m) {
        return new Network(m, regions, rtt, rttJitter, tls, slowStart, initialWindow, tcpWindow, requestHeaderBytes,
                responseHeaderBytes, keepAlive, connectTimeout, stallTimeout, pipelining);
    }

    /** A copy with slow start on or off. */
    public Network withSlowStart(boolean on) {
        return new Network(model, regions, rtt, rttJitter, tls, on, initialWindow, tcpWindow, requestHeaderBytes,
                responseHeaderBytes, keepAlive, connectTimeout, stallTimeout, pipelining);
    }

    /** A copy with pipelining on or off. */
    public Network withPipelining(boolean on) {
        return new Network(model, regions, rtt, rttJitter, tls, slowStart, initialWindow, tcpWindow, requestHeaderBytes,
                responseHeaderBytes, keepAlive, connectTimeout, stallTimeout, on);
    }

    /** One region, a fixed RTT, no jitter, and the given slow start: for closed-form tests. */
    public static Network flat(String model, double rtt, boolean slowStart) {
        return new Network(model, List.of("here"), new double[][] {{rtt}}, 0, false, slowStart, 14_600, 1L << 40,
                0, 0, 15, 3, 10, false);
    }
}
