package org.mirrorswarm.tracker;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.mirrorswarm.strategies.JsonText;
import org.mirrorswarm.strategies.ranking.MirrorRanking;

/**
 * The tracker's view of its mirrors: which are listed, why the others are not, their last reports; and
 * the ranking snapshot answers are drawn from (rebuilt whenever that view changes).
 *
 * <p>A mirror is listed unless the crawl found it stale or broken, or it has a heartbeat token and
 * missed too many heartbeats. Both ways back are automatic: a good crawl, a fresh heartbeat.
 */
public final class MirrorBoard {
    /** One mirror's state. Fields are guarded by the board. */
    public static final class State {
        public final TrackerConfig.MirrorSpec spec;
        final int index;
        boolean crawlWithdrawn;
        boolean heartbeatWithdrawn;
        String reason = "listed: not checked yet";
        Instant lastCheck;
        Instant lastHeartbeat;
        long lastHeartbeatTime = Long.MIN_VALUE;
        double load;
        boolean loadReported;
        int crawlFailures;

        State(TrackerConfig.MirrorSpec spec, int index) {
            this.spec = spec;
            this.index = index;
        }

        public boolean listed() {
            return !crawlWithdrawn && !heartbeatWithdrawn;
        }
    }

    private final TrackerConfig config;
    private final Clock clock;
    private final Instant started;
    private final List<State> states = new ArrayList<>();
    private volatile MirrorRanking ranking;

    public MirrorBoard(TrackerConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
        this.started = clock.instant();
        for (TrackerConfig.MirrorSpec m : config.mirrors()) {
            states.add(new State(m, states.size()));
        }
        rebuild();
    }

    public TrackerConfig config() {
        return config;
    }

    public List<State> states() {
        return states;
    }

    public State byId(String id) {
        for (State s : states) {
            if (s.spec.id().equals(id)) {
                return s;
            }
        }
        return null;
    }

    /** Up to the configured number of listed mirrors for a client at {@code client}, best first. */
    public List<TrackerConfig.MirrorSpec> answer(InetAddress client) {
        MirrorRanking r = ranking;
        int region = client == null ? -1 : config.regionOf(client);
        List<TrackerConfig.MirrorSpec> out = new ArrayList<>(config.mirrorsPerAnswer());
        ThreadLocalRandom random = ThreadLocalRandom.current();
        r.pick(region, config.mirrorsPerAnswer(), d -> random.nextDouble(), i -> out.add(states.get(i).spec));
        return out;
    }

    private void rebuild() {
        List<State> listed = states.stream().filter(State::listed).toList();
        int n = listed.size();
        int[] ids = new int[n];
        int[] regions = new int[n];
        double[] weights = new double[n];
        double[] loads = new double[n];
        for (int i = 0; i < n; i++) {
            State s = listed.get(i);
            ids[i] = s.index;
            regions[i] = config.regionNames().indexOf(s.spec.region());
            weights[i] = s.spec.weight();
            loads[i] = s.loadReported ? s.load : 0;
        }
        ranking = new MirrorRanking(config.ranking(), ids, regions, config.regionNames().size(), weights, loads);
    }

    // ------------------------------------------------------------------ news

    /** A verified heartbeat: restores the mirror if heartbeats had withdrawn it. */
    public synchronized void heartbeat(State s, long time, double load) {
        s.lastHeartbeat = clock.instant();
        s.lastHeartbeatTime = time;
        if (load >= 0) {
            s.load = load;
            s.loadReported = true;
        }
        if (s.heartbeatWithdrawn) {
            s.heartbeatWithdrawn = false;
            s.reason = s.crawlWithdrawn ? s.reason : "listed: heartbeat resumed";
        } else if (!s.crawlWithdrawn) {
            s.reason = "listed: heartbeat";
        }
        rebuild();
    }

    /** The last heartbeat time a mirror sent (its own clock, seconds), for replay protection. */
    public synchronized long lastHeartbeatTime(State s) {
        return s.lastHeartbeatTime;
    }

    /** Withdraws mirrors with a token whose heartbeats stopped for {@code misses} intervals. */
    public synchronized void checkHeartbeats() {
        Instant now = clock.instant();
        long limitMs = (long) (config.heartbeatMisses() * config.heartbeatInterval() * 1000);
        boolean changed = false;
        for (State s : states) {
            if (s.spec.token() == null) {
                continue;
            }
            Instant last = s.lastHeartbeat == null ? started : s.lastHeartbeat;
            boolean silent = now.toEpochMilli() - last.toEpochMilli() > limitMs;
            if (silent && !s.heartbeatWithdrawn) {
                s.heartbeatWithdrawn = true;
                s.reason = "withdrawn: no heartbeat for " + config.heartbeatMisses() + " intervals of "
                        + fmt(config.heartbeatInterval()) + " (last: " + (s.lastHeartbeat == null ? "never" : s.lastHeartbeat) + ")";
                changed = true;
            }
        }
        if (changed) {
            rebuild();
        }
    }

    /** The crawl's verdict on one mirror: null when good, else why not. */
    public synchronized void crawled(State s, String problem) {
        s.lastCheck = clock.instant();
        if (problem == null) {
            s.crawlFailures = 0;
            boolean was = s.crawlWithdrawn;
            s.crawlWithdrawn = false;
            if (!s.heartbeatWithdrawn) {
                s.reason = was ? "listed: recovered (crawl good)" : "listed: crawl good";
            }
            if (was) {
                rebuild();
            }
            return;
        }
        s.crawlFailures++;
        if (s.crawlFailures >= config.crawlFailures()) {
            boolean was = s.crawlWithdrawn;
            s.crawlWithdrawn = true;
            s.reason = "withdrawn: " + problem;
            if (!was) {
                rebuild();
            }
        } else if (!s.crawlWithdrawn && !s.heartbeatWithdrawn) {
            s.reason = "listed: crawl failed " + s.crawlFailures + " of " + config.crawlFailures() + " (" + problem + ")";
        }
    }

    /** The board as JSON (for {@code GET /mirrors}). */
    public synchronized String json() {
        StringBuilder sb = new StringBuilder(256 + 256 * states.size());
        sb.append("{\n  \"ranking\": ").append(JsonText.quote(config.ranking()))
                .append(",\n  \"time\": ").append(JsonText.quote(clock.instant().truncatedTo(
                        java.time.temporal.ChronoUnit.SECONDS).toString()))
                .append(",\n  \"mirrors\": [");
        for (int i = 0; i < states.size(); i++) {
            State s = states.get(i);
            sb.append(i == 0 ? "\n" : ",\n").append("    {\"id\": ").append(JsonText.quote(s.spec.id()))
                    .append(", \"url\": ").append(JsonText.quote(s.spec.url()))
                    .append(", \"region\": ").append(JsonText.quote(s.spec.region()))
                    .append(", \"weight\": ").append(Json.number(s.spec.weight()))
                    .append(", \"state\": ").append(JsonText.quote(s.listed() ? "listed" : "withdrawn"))
                    .append(", \"reason\": ").append(JsonText.quote(s.reason))
                    .append(", \"last_check\": ").append(s.lastCheck == null ? "null" : JsonText.quote(s.lastCheck.toString()))
                    .append(", \"last_heartbeat\": ").append(s.lastHeartbeat == null ? "null"
                            : JsonText.quote(s.lastHeartbeat.toString()))
                    .append(", \"heartbeats\": ").append(s.spec.token() != null)
                    .append(", \"load\": ").append(s.loadReported ? Json.number(s.load) : "null")
                    .append('}');
        }
        sb.append("\n  ]\n}\n");
        return sb.toString();
    }

    private static String fmt(double seconds) {
        return seconds == Math.rint(seconds) ? (long) seconds + " s" : seconds + " s";
    }
}
