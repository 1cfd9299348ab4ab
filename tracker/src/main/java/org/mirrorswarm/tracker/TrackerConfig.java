package org.mirrorswarm.tracker;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.mirrorswarm.engine.scenario.Node;
import org.mirrorswarm.engine.scenario.ScenarioException;
import org.mirrorswarm.engine.scenario.Yaml;
import org.mirrorswarm.strategies.Names;
import org.mirrorswarm.strategies.Units;
import org.mirrorswarm.strategies.ranking.MirrorRanking;

/**
 * The tracker's {@code mirrors.yaml}: its mirrors, how it ranks them, and how it keeps the list current.
 * Every error names {@code file:line:column}.
 *
 * <pre>
 * ranking: weighted            # weighted | nearest | least-loaded | two-choices
 * mirrors-per-answer: 5
 * piece-length: 1MiB
 * public-url: http://tracker.example.org/   # optional; else from each request's Host
 * regions:                     # for nearest: client address → region, first match wins
 *   - {cidr: 10.0.0.0/8, region: eu}
 * heartbeat: {interval: 60s, misses: 3}
 * crawl: {interval: 5m, timeout: 10s, sample: 2, marker: dists/stable/Release, failures: 2}
 * mirrors:
 *   - id: eu1
 *     url: http://eu1.example.org/debian/
 *     region: eu
 *     capacity: 125MB          # bytes per second; weight = capacity × score / 100
 *     score: 100
 *     token: a-long-random-secret   # or token-file: path; enables heartbeats for this mirror
 * </pre>
 */
public record TrackerConfig(String ranking, int mirrorsPerAnswer, int pieceLength, String publicUrl,
                            List<RegionRule> regions, List<String> regionNames, double heartbeatInterval,
                            int heartbeatMisses, double crawlInterval, double crawlTimeout, int crawlSample,
                            String crawlMarker, int crawlFailures, List<MirrorSpec> mirrors) {

    /** One configured mirror. */
    public record MirrorSpec(String id, String url, String region, double capacity, double score, byte[] token) {
        public double weight() {
            return Math.max(1e-9, capacity * score / 100);
        }
    }

    /** A CIDR block mapped to a region. */
    public record RegionRule(Cidr cidr, String region) {
    }

    /** Piece length when none is configured: see the tracker's documentation for why 1 MiB. */
    public static final int DEFAULT_PIECE_LENGTH = 1 << 20;

    private static final Set<String> TOP = Set.of("ranking", "mirrors-per-answer", "piece-length", "public-url",
            "regions", "heartbeat", "crawl", "mirrors");

    public static TrackerConfig load(Path file) throws IOException {
        String name = file.toString();
        if (Files.size(file) > 4 << 20) {
            throw new ScenarioException(name + ": larger than 4 MiB; not a mirror list");
        }
        Node root;
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            root = Yaml.parse(name, r);
        }
        return from(root, file.toAbsolutePath().getParent());
    }

    static TrackerConfig from(Node root, Path base) {
        Node.Map m = map(root, "the mirror list");
        for (String k : m.keys()) {
            if (!TOP.contains(k)) {
                throw new ScenarioException(m.get(k).where(), Names.unknown("key", k, TOP));
            }
        }
        String ranking = text(m, "ranking", "weighted");
        if (!MirrorRanking.IDS.contains(ranking)) {
            throw new ScenarioException(m.get("ranking").where(), Names.unknown("ranking", ranking, MirrorRanking.IDS));
        }
        int perAnswer = (int) whole(m, "mirrors-per-answer", 5, 1, 1000);
        long piece = bytes(m, "piece-length", DEFAULT_PIECE_LENGTH);
        if (piece < 16 << 10 || piece > 64 << 20) {
            throw new ScenarioException(m.get("piece-length").where(), "piece-length: 16KiB–64MiB");
        }
        String publicUrl = text(m, "public-url", null);
        if (publicUrl != null && !publicUrl.matches("https?://[^\\s/]+(/.*)?")) {
            throw new ScenarioException(m.get("public-url").where(), "public-url: expected http(s)://host[:port]/");
        }
        List<RegionRule> rules = new ArrayList<>();
        Set<String> regionNames = new LinkedHashSet<>();
        Node rn = m.get("regions");
        if (rn != null) {
            for (Node item : list(rn, "regions")) {
                Node.Map r = map(item, "a region rule");
                onlyKeys(r, Set.of("cidr", "region"));
                String cidr = text(r, "cidr", null);
                String region = text(r, "region", null);
                if (cidr == null || region == null) {
                    throw new ScenarioException(r.where(), "a region rule needs cidr and region");
                }
                try {
                    rules.add(new RegionRule(Cidr.parse(cidr), region));
                } catch (IllegalArgumentException e) {
                    throw new ScenarioException(r.get("cidr").where(), "cidr: " + e.getMessage());
                }
                regionNames.add(region);
            }
        }
        Node.Map hb = optionalMap(m, "heartbeat");
        double hbInterval = seconds(hb, "interval", 60);
        int hbMisses = (int) whole(hb, "misses", 3, 1, 1000);
        Node.Map cr = optionalMap(m, "crawl");
        double crInterval = seconds(cr, "interval", 300);
        double crTimeout = seconds(cr, "timeout", 10);
        int crSample = (int) whole(cr, "sample", 2, 0, 100);
        String marker = text(cr, "marker", null);
        int crFailures = (int) whole(cr, "failures", 2, 1, 100);
        Node mn = m.get("mirrors");
        if (mn == null) {
            throw new ScenarioException(m.where(), "no mirrors: list them under 'mirrors'");
        }
        List<MirrorSpec> mirrors = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (Node item : list(mn, "mirrors")) {
            Node.Map x = map(item, "a mirror");
            onlyKeys(x, Set.of("id", "url", "region", "capacity", "score", "token", "token-file"));
            String id = text(x, "id", null);
            String url = text(x, "url", null);
            if (id == null || url == null) {
                throw new ScenarioException(x.where(), "a mirror needs id and url");
            }
            if (!id.matches("[A-Za-z0-9._-]{1,64}")) {
                throw new ScenarioException(x.get("id").where(), "id: letters, digits, '.', '_' and '-' only");
            }
            if (!ids.add(id)) {
                throw new ScenarioException(x.get("id").where(), "id " + id + " is used twice");
            }
            if (!url.matches("https?://[^\\s/?#]+(/[^\\s?#]*)?")) {
                throw new ScenarioException(x.get("url").where(), "url: expected http(s)://host[:port]/path/");
            }
            if (!url.endsWith("/")) {
                url = url + "/";
            }
            String region = text(x, "region", "");
            if (!region.isEmpty()) {
                regionNames.add(region);
            }
            double capacity = rate(x, "capacity", 100e6);
            double score = number(x, "score", 100);
            if (!(score > 0)) {
                throw new ScenarioException(x.get("score").where(), "score: must be positive");
            }
            byte[] token = null;
            String t = text(x, "token", null);
            String tf = text(x, "token-file", null);
            if (t != null && tf != null) {
                throw new ScenarioException(x.where(), "give token or token-file, not both");
            }
            if (tf != null) {
                try {
                    t = Files.readString(base.resolve(tf), StandardCharsets.UTF_8).strip();
                } catch (IOException e) {
                    throw new ScenarioException(x.get("token-file").where(), "token-file: cannot read " + tf);
                }
            }
            if (t != null) {
                if (t.length() < 16) {
                    throw new ScenarioException(x.get(tf != null ? "token-file" : "token").where(),
                            "token: at least 16 characters");
                }
                token = t.getBytes(StandardCharsets.UTF_8);
            }
            mirrors.add(new MirrorSpec(id, url, region, capacity, score, token));
        }
        if (mirrors.isEmpty()) {
            throw new ScenarioException(mn.where(), "mirrors: the list is empty");
        }
        return new TrackerConfig(ranking, perAnswer, (int) piece, publicUrl, List.copyOf(rules),
                List.copyOf(regionNames), hbInterval, hbMisses, crInterval, crTimeout, crSample, marker, crFailures,
                List.copyOf(mirrors));
    }

    /** The region index of {@code address} by the CIDR table, or −1. */
    public int regionOf(java.net.InetAddress address) {
        for (RegionRule r : regions) {
            if (r.cidr().contains(address)) {
                return regionNames.indexOf(r.region());
            }
        }
        return -1;
    }

    // ------------------------------------------------------------------ field readers

    private static Node.Map map(Node n, String what) {
        if (n instanceof Node.Map m) {
            return m;
        }
        throw new ScenarioException(n.where(), what + ": expected a map");
    }

    private static Node.Map optionalMap(Node.Map m, String key) {
        Node n = m.get(key);
        if (n == null) {
            return null;
        }
        return map(n, key);
    }

    private static List<Node> list(Node n, String what) {
        if (n instanceof Node.List l) {
            return l.items();
        }
        throw new ScenarioException(n.where(), what + ": expected a list");
    }

    private static void onlyKeys(Node.Map m, Set<String> allowed) {
        for (String k : m.keys()) {
            if (!allowed.contains(k)) {
                throw new ScenarioException(m.get(k).where(), Names.unknown("key", k, allowed));
            }
        }
    }

    private static Object scalar(Node.Map m, String key) {
        if (m == null || m.get(key) == null) {
            return null;
        }
        Node n = m.get(key);
        if (n instanceof Node.Scalar s) {
            return s.value();
        }
        throw new ScenarioException(n.where(), key + ": expected a single value");
    }

    private static String text(Node.Map m, String key, String dflt) {
        Object v = scalar(m, key);
        return v == null ? dflt : v.toString();
    }

    private static double number(Node.Map m, String key, double dflt) {
        Object v = scalar(m, key);
        if (v == null) {
            return dflt;
        }
        if (v instanceof Number x && Double.isFinite(x.doubleValue())) {
            return x.doubleValue();
        }
        throw new ScenarioException(m.get(key).where(), key + ": expected a number");
    }

    private static long whole(Node.Map m, String key, long dflt, long min, long max) {
        Object v = scalar(m, key);
        if (v == null) {
            return dflt;
        }
        if (v instanceof Long x && x >= min && x <= max) {
            return x;
        }
        throw new ScenarioException(m.get(key).where(), key + ": expected a whole number from " + min + " to " + max);
    }

    private static long bytes(Node.Map m, String key, long dflt) {
        Object v = scalar(m, key);
        if (v == null) {
            return dflt;
        }
        try {
            return v instanceof Long x ? x : Units.parseBytes(v.toString());
        } catch (IllegalArgumentException e) {
            throw new ScenarioException(m.get(key).where(), key + ": " + e.getMessage());
        }
    }

    private static double rate(Node.Map m, String key, double dflt) {
        Object v = scalar(m, key);
        if (v == null) {
            return dflt;
        }
        try {
            double r = v instanceof Number x ? x.doubleValue() : Units.parseBytes(v.toString().replaceAll("/s$", ""));
            if (r > 0) {
                return r;
            }
        } catch (IllegalArgumentException e) {
            // below
        }
        throw new ScenarioException(m.get(key).where(), key + ": expected bytes per second, like 100MB or 12.5MiB/s");
    }

    private static double seconds(Node.Map m, String key, double dflt) {
        Object v = scalar(m, key);
        if (v == null) {
            return dflt;
        }
        try {
            double s = v instanceof Number x ? x.doubleValue() : Units.parseSeconds(v.toString());
            if (s > 0) {
                return s;
            }
        } catch (IllegalArgumentException e) {
            // below
        }
        throw new ScenarioException(m.get(key).where(), key + ": expected a positive duration, like 30s or 5m");
    }
}
