package org.mirrorswarm.engine;

import java.util.List;
import org.mirrorswarm.strategies.Names;

/** The engine's own id namespaces, checked with a "did you mean". */
final class Ids {
    static final List<String> RANKINGS = org.mirrorswarm.strategies.ranking.MirrorRanking.IDS;
    static final List<String> OVERHEADS = List.of("metalink-per-file", "repo-manifest", "bt-per-file");
    static final List<String> FRESHNESS = List.of("none", "heartbeat", "crawl", "gossip");
    static final List<String> TRANSPORTS = List.of("mirrors", "swarm", "hybrid");

    private Ids() {
    }

    static void check(String field, String value, List<String> valid) {
        if (value == null || !valid.contains(value)) {
            throw new IllegalArgumentException(field + ": " + Names.unknown("value", String.valueOf(value), valid));
        }
    }
}
