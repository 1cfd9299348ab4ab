package org.mirrorswarm.live;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import okhttp3.HttpUrl;
import org.mirrorswarm.strategies.SchedulerConfig;

/**
 * The live client's own HTTP/1.1 connections ({@link Pipe}), per http or https origin: what {@link Transfer}
 * uses for a mirror (when pipelining is on) unless the URL carries credentials or the origin turned out to
 * need the general client (it redirects, or frames a range answer by chunks). At most the scheduler's
 * per-mirror connection limit of them per origin: a request beyond it (the scheduler's early request) is
 * pipelined on the connection with the fewest answers waiting, unless that origin dropped pipelined requests
 * twice (then it is asked through the general client from now on, at its gate, as an origin that redirects is).
 *
 * <p>Requests through the general client wait at a {@link #gate} per origin: the per-mirror limit and, for
 * early requests the scheduler counts as connections ({@link #firstUnpipelined}), {@link
 * SchedulerConfig#EARLY_CONNECTIONS} more at once, however many it makes; the rest wait for a free one, as
 * pipelined requests wait for their turn. An origin that
 * speaks HTTP/2 takes them all at once, as streams of its one connection.
 */
final class Pipes {
    private final GeneralClient client;
    /** The download's rate limit, which the connections charge with what they skip; null for none. */
    private final RateLimit limit;
    private final boolean pipelining;
    private final int perOrigin;
    private final Map<String, Gate> gates = new HashMap<>();
    /** Gates of the origins that speak HTTP/2 ({@link #multiplexed}). */
    private final Map<String, Gate> streams = new HashMap<>();
    private final Set<String> multiplexed = new HashSet<>();
    /** The scheduler's early requests per mirror. */
    private final int early;
    private final int connectTimeoutMillis;
    private final int readTimeoutMillis;
    private final byte[] userAgent;
    private final Map<String, List<Pipe>> byOrigin = new HashMap<>();
    private final Set<String> general = new HashSet<>();
    /** Origins whose proxy settings have been looked at. */
    private final Set<String> direct = new HashSet<>();
    private final Map<String, Integer> dropped = new HashMap<>();
    private final Set<String> noPipelining = new HashSet<>();
    private boolean shut;
    /** How https connections are set up ({@link #tls()}), once one is needed. */
    private Pipe.Tls tls;
    private boolean tlsKnown;

    /** Times an origin may lose pipelined requests to a closed connection before it gets no more. */
    static final int DROPS = 2;

    /**
     * Connections for a download with options {@code o} whose general client is {@code client}: its name
     * resolution is used here too, and an origin it would reach through a proxy goes through it; {@code limit}
     * is the download's rate limit (null for none), charged with what the connections read past.
     */
    Pipes(FetchOptions o, GeneralClient client, RateLimit limit) {
        this.client = client;
        this.limit = limit;
        this.pipelining = o.pipelining();
        this.perOrigin = Math.max(1, o.scheduler().maxPerMirror());
        this.early = o.scheduler().earlyRequests();
        this.connectTimeoutMillis = millis(o.connectTimeout().toMillis());
        this.readTimeoutMillis = millis(Math.max(o.headerTimeout().toMillis(), o.firstByteTimeout().toMillis()));
        this.userAgent = o.userAgent().replaceAll("[\\p{Cntrl}]", "").getBytes(StandardCharsets.ISO_8859_1);
    }

    private static int millis(long ms) {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(1, ms));
    }

    /** Whether requests for {@code url} go over these connections. */
    synchronized boolean handles(HttpUrl url) {
        if (!pipelining || shut || !url.username().isEmpty() || !url.password().isEmpty()) {
            return false;
        }
        if (url.isHttps() && tls() == null) {
            return false; // pinned certificates are the general client's to check
        }
        String o = origin(url);
        if (general.contains(o) || noPipelining.contains(o)) {
            return false; // the general client, at the origin's gate
        }
        if (direct.add(o) && !client.direct(url)) {
            general.add(o);
            return false;
        }
        return true;
    }

    /**
     * Where requests to an origin through the general client wait for a connection: the origin's connection
     * limit, and for early requests the scheduler counts as connections of their own, a few more.
     */
    static final class Gate {
        /** {@link #take} found no room in time. */
        static final int NONE = 0;
        static final int BASE = 1;
        static final int EXTRA = 2;
        private final int baseLimit;
        private final int extraLimit;
        private int base;
        private int extra;

        Gate(int baseLimit, int extraLimit) {
            this.baseLimit = baseLimit;
            this.extraLimit = extraLimit;
        }

        /**
         * Takes a connection: one of the origin's, else one more when {@code mayExtra}, whichever frees first;
         * waits at most {@code millis}. Returns {@link #BASE}, {@link #EXTRA}, or {@link #NONE} (none in time).
         */
        synchronized int take(boolean mayExtra, long millis) throws InterruptedException {
            long end = System.nanoTime() + millis * 1_000_000L;
            while (true) {
                if (base < baseLimit) {
                    base++;
                    return BASE;
                }
                if (mayExtra && extra < extraLimit) {
                    extra++;
                    return EXTRA;
                }
                long left = end - System.nanoTime();
                if (left <= 0) {
                    return NONE;
                }
                wait(Math.max(1, left / 1_000_000L));
            }
        }

        /** Gives back what {@link #take} returned. */
        synchronized void give(int kind) {
            if (kind == BASE) {
                base--;
            } else if (kind == EXTRA) {
                extra--;
            }
            notifyAll();
        }
    }

    /**
     * The gate for requests to {@code url}'s origin through the general client: its connection limit and
     * {@link SchedulerConfig#EARLY_CONNECTIONS} more; for an origin that speaks HTTP/2, where requests are
     * streams of one connection, as many as the scheduler's early requests (as pipelined ones would be).
     */
    synchronized Gate gate(HttpUrl url) {
        String o = origin(url);
        if (multiplexed.contains(o)) {
            return streams.computeIfAbsent(o, k -> new Gate(perOrigin + Math.max(SchedulerConfig.EARLY_CONNECTIONS, early), 0));
        }
        return gates.computeIfAbsent(o, k -> new Gate(perOrigin, SchedulerConfig.EARLY_CONNECTIONS));
    }

    /** Origins told to the scheduler as not pipelined ({@link #firstUnpipelined}). */
    private final Set<String> toldUnpipelined = new HashSet<>();

    /**
     * True once per origin, the first time a request to {@code url}'s origin goes through the general client
     * on HTTP/1.1 while pipelining is on: the scheduler then counts that mirror's early requests as the
     * connections they are (at most {@link SchedulerConfig#EARLY_CONNECTIONS} more at its gate). An origin found
     * to speak HTTP/2 later stays counted so: its budget is then smaller than it could be, never larger.
     */
    synchronized boolean firstUnpipelined(HttpUrl url) {
        String o = origin(url);
        return pipelining && !multiplexed.contains(o) && toldUnpipelined.add(o);
    }

    /** {@code url}'s origin answered over HTTP/2: its requests are streams of one connection from now on. */
    synchronized void multiplexed(HttpUrl url) {
        multiplexed.add(origin(url));
    }

    /** From now on {@code url}'s origin is asked through the general client (it redirects, or chunks its answers). */
    synchronized void bypass(HttpUrl url) {
        general.add(origin(url));
    }

    /**
     * Connection {@code p} to {@code url}'s origin was closed by the mirror with requests pipelined on it:
     * counted once per connection, however many of its requests report it.
     */
    synchronized void dropped(HttpUrl url, Pipe p) {
        dropped(origin(url), p);
    }

    private void dropped(String o, Pipe p) {
        if (p.firstDropReport() && dropped.merge(o, 1, Integer::sum) >= DROPS) {
            noPipelining.add(o);
        }
    }

    /**
     * Sends a GET of {@code url} for bytes {@code [first, endExclusive)} and returns its place in line. When
     * it needs a new connection, {@code connecting} is told of it first (closing it aborts the connect).
     */
    Pipe.Turn send(HttpUrl url, long first, long endExclusive, Consumer<Pipe> connecting) throws IOException {
        String o = origin(url);
        Pipe p = null;
        boolean fresh = false;
        synchronized (this) {
            if (shut) {
                throw new Pipe.Closed("the download is over");
            }
            List<Pipe> list = byOrigin.computeIfAbsent(o, k -> new ArrayList<>());
            for (Pipe q : list) {
                if (q.isClosed() && q.refusedPipelining()) {
                    dropped(o, q); // counted now, not when the requests it lost report it: they may come later
                }
            }
            list.removeIf(Pipe::isClosed);
            Pipe fewest = null;
            int least = Integer.MAX_VALUE;
            for (Pipe q : list) {
                int w = q.waiting();
                if (w == 0) {
                    p = q;
                    break;
                }
                if (w > 0 && w < least) {
                    least = w;
                    fewest = q;
                }
            }
            if (p == null && list.size() >= perOrigin && !noPipelining.contains(o)) {
                p = fewest;
            }
            if (p == null) {
                p = new Pipe(url.host(), url.port(), url.isHttps() ? tls() : null, limit);
                list.add(p);
                fresh = true;
            }
            p.reserve();
        }
        if (fresh) {
            connecting.accept(p);
            p.connect(client.dns(), connectTimeoutMillis, readTimeoutMillis);
        }
        return p.send(request(url, first, endExclusive));
    }

    private byte[] request(HttpUrl url, long first, long endExclusive) {
        StringBuilder sb = new StringBuilder(160);
        sb.append("GET ").append(url.encodedPath());
        if (url.encodedQuery() != null) {
            sb.append('?').append(url.encodedQuery());
        }
        sb.append(" HTTP/1.1\r\nHost: ");
        String host = url.host();
        sb.append(host.indexOf(':') >= 0 ? "[" + host + "]" : host);
        if (url.port() != HttpUrl.defaultPort(url.scheme())) {
            sb.append(':').append(url.port());
        }
        sb.append("\r\nRange: bytes=").append(first).append('-').append(endExclusive - 1)
                .append("\r\nAccept-Encoding: identity\r\nUser-Agent: ");
        byte[] head = sb.toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] tail = "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = new byte[head.length + userAgent.length + tail.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(userAgent, 0, all, head.length, userAgent.length);
        System.arraycopy(tail, 0, all, head.length + userAgent.length, tail.length);
        return all;
    }

    /** Closes every connection: the download is over. */
    void shutdown() {
        List<Pipe> all = new ArrayList<>();
        synchronized (this) {
            shut = true;
            for (List<Pipe> pipes : byOrigin.values()) { // loops, not lambdas: see FetchReport.ok
                all.addAll(pipes);
            }
            byOrigin.clear();
        }
        for (Pipe p : all) {
            p.close();
        }
    }

    private static String origin(HttpUrl url) {
        return url.scheme() + "://" + url.host() + ":" + url.port();
    }

    /**
     * How https connections are set up, from the general client with TLS (worked out once, when an https
     * mirror is first met); null when that client pins certificates, which only it checks.
     */
    private Pipe.Tls tls() {
        if (!tlsKnown) {
            tls = client.pipeTls();
            tlsKnown = true;
        }
        return tls;
    }
}
