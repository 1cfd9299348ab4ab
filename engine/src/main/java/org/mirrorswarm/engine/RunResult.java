package org.mirrorswarm.engine;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The measurements of one run: one scenario, one variant, one replication.
 *
 * @param completionTimes seconds from arrival to the last file, for clients that finished, sorted
 * @param payloadBytes    verified piece bytes delivered to clients
 * @param wastedBytes     bytes that crossed the network for nothing: duplicate copies, bad pieces,
 *                        transfers cut off by a cancel or a failure
 * @param headerBytes     HTTP request and response header bytes of range requests
 * @param controlBytes    tracker traffic (both ways) plus the freshness strategy's messages
 * @param staleHits       requests sent to a mirror that was down or did not have the file yet
 * @param mirrorBins      per mirror, payload bytes served in each bin of {@code binWidth} seconds
 * @param events          SSJ events executed
 * @param wallSeconds     wall-clock time of the run
 * @param transport       {@code mirrors}, {@code swarm} or {@code hybrid}
 * @param peerUploadBytes bytes clients uploaded to each other in a swarm
 * @param seedUploadBytes bytes seeds (origin or mirrors) uploaded in a swarm
 * @param trackerEntriesMax most (package, peer) entries the tracker held at once
 * @param badPieces       pieces that failed verification (corrupt data from a mirror) and were fetched again
 */
public record RunResult(String scenario, String variant, int replication, long seed, int clients, int completed,
                        int failed, double[] completionTimes, double meanFileTime, long payloadBytes,
                        long wastedBytes, long headerBytes, long controlBytes, long trackerRequests,
                        long trackerBytes, double trackerBusy, double endTime, long requests, long failedRequests,
                        long staleHits, String[] mirrorIds, double[] mirrorCapacity, long[] mirrorBytes,
                        double binWidth, double[][] mirrorBins, long events, double wallSeconds, String transport,
                        long peerUploadBytes, long seedUploadBytes, int trackerEntriesMax, long badPieces) {

    /** Mean completion time of the clients that finished (NaN if none did). */
    public double meanCompletion() {
        return completionTimes.length == 0 ? Double.NaN : Arrays.stream(completionTimes).average().orElse(Double.NaN);
    }

    /** The {@code p}-quantile of completion times by the nearest-rank method (NaN if none finished). */
    public double completionQuantile(double p) {
        if (completionTimes.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p * completionTimes.length);
        return completionTimes[Math.max(0, Math.min(completionTimes.length - 1, rank - 1))];
    }

    /**
     * Jain's fairness index of bytes served per unit of capacity: 1 when every mirror is equally loaded;
     * NaN when no mirror served anything (a pure swarm).
     */
    public double jainIndex() {
        double sum = 0;
        double sq = 0;
        for (int m = 0; m < mirrorBytes.length; m++) {
            double x = mirrorBytes[m] / mirrorCapacity[m];
            sum += x;
            sq += x * x;
        }
        return sq == 0 ? Double.NaN : sum * sum / (mirrorBytes.length * sq);
    }

    /** Most loaded mirror's bytes per capacity over the mean. */
    public double maxOverMean() {
        double max = 0;
        double sum = 0;
        for (int m = 0; m < mirrorBytes.length; m++) {
            double x = mirrorBytes[m] / mirrorCapacity[m];
            max = Math.max(max, x);
            sum += x;
        }
        return sum == 0 ? Double.NaN : max / (sum / mirrorBytes.length);
    }

    /** Control bytes per payload byte. */
    public double controlPerPayload() {
        return payloadBytes == 0 ? Double.NaN : (double) controlBytes / payloadBytes;
    }

    /** Share of time the tracker was busy. */
    public double trackerUtilisation() {
        return endTime == 0 ? 0 : trackerBusy / endTime;
    }

    /** Tracker requests per simulated second. */
    public double trackerRequestRate() {
        return endTime == 0 ? 0 : trackerRequests / endTime;
    }

    public double eventsPerSecond() {
        return wallSeconds == 0 ? 0 : events / wallSeconds;
    }

    /** Utilisation of mirror {@code m} during bin {@code b}: bytes served over capacity times bin width. */
    public double utilisation(int m, int b) {
        double[] bins = mirrorBins[m];
        return b < bins.length ? bins[b] / (mirrorCapacity[m] * binWidth) : 0;
    }

    /** Every scalar metric by name, in a fixed order: what results.csv holds per run. */
    public Map<String, Double> metrics() {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put("clients", (double) clients);
        m.put("completed", (double) completed);
        m.put("failed", (double) failed);
        m.put("completion_mean", meanCompletion());
        m.put("completion_p50", completionQuantile(0.5));
        m.put("completion_p95", completionQuantile(0.95));
        m.put("completion_p99", completionQuantile(0.99));
        m.put("file_time_mean", meanFileTime);
        m.put("payload_bytes", (double) payloadBytes);
        m.put("wasted_bytes", (double) wastedBytes);
        m.put("header_bytes", (double) headerBytes);
        m.put("control_bytes", (double) controlBytes);
        m.put("control_per_payload", controlPerPayload());
        m.put("tracker_requests", (double) trackerRequests);
        m.put("tracker_requests_per_s", trackerRequestRate());
        m.put("tracker_bytes", (double) trackerBytes);
        m.put("tracker_bytes_per_s", endTime == 0 ? 0 : trackerBytes / endTime);
        m.put("tracker_utilisation", trackerUtilisation());
        m.put("requests", (double) requests);
        m.put("failed_requests", (double) failedRequests);
        m.put("stale_hits", (double) staleHits);
        m.put("bad_pieces", (double) badPieces);
        m.put("jain_index", jainIndex());
        m.put("max_over_mean", maxOverMean());
        m.put("peer_upload_bytes", (double) peerUploadBytes);
        m.put("seed_upload_bytes", (double) seedUploadBytes);
        m.put("peer_upload_share", peerUploadBytes + seedUploadBytes == 0 ? Double.NaN
                : (double) peerUploadBytes / (peerUploadBytes + seedUploadBytes));
        m.put("tracker_entries_max", (double) trackerEntriesMax);
        m.put("end_time", endTime);
        m.put("events", (double) events);
        m.put("events_per_s", eventsPerSecond());
        m.put("wall_s", wallSeconds);
        return m;
    }
}
