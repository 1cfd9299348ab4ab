package org.mirrorswarm.tracker;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code mirrorswarm tracker}: the seed's main server on embedded Jetty 12.
 *
 * <pre>
 * GET  /PATH.meta4            Metalink v4 of PATH: size, SHA-256, piece hashes, ranked mirrors
 * GET  /PATH                  302 to the best mirror, RFC 6249 Link: rel=duplicate for the others, Digest
 * GET  /repo.manifest         the repository manifest (as signed offline by 'mirrorswarm sign', if present)
 * GET  /repo.mirrors          the mirror base URLs ranked for this client, one per line (unsigned hints)
 * GET  /mirrors               every mirror's state, last check and reason (JSON)
 * POST /mirrors/ID/heartbeat  a mirror's signed heartbeat (see Heartbeats)
 * </pre>
 *
 * Hardened: request line and headers capped (414/431), dot-segments and encoded separators refused (400),
 * idle connections closed after a short timeout and connections that trickle a request closed at a
 * deadline, bounded threads and connections (also per client address), one-line error bodies
 * without stack traces, a structured (JSON lines) access log.
 */
public final class TrackerServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TrackerServer.class);

    /**
     * Limits; the defaults suit a public tracker on a small machine. Threads and connections are bounded;
     * the job queue is not (Jetty's own tasks must never be refused), but with at most
     * {@code maxConnections} connections, each with at most one request in progress, neither is it unbounded.
     */
    public record Limits(int requestHeaderBytes, Duration idleTimeout, Duration requestDeadline, int maxThreads,
                         int maxConnections, int maxConnectionsPerAddress) {
        public static Limits defaults() {
            return new Limits(8 << 10, Duration.ofSeconds(10), Duration.ofSeconds(20), 64, 10_000, 256);
        }
    }

    /** What to start. {@code accessLog} may be null (no log); {@code rescan} is how often the folder is walked. */
    public record Options(Path repo, Path state, TrackerConfig config, String host, int port, LogFile accessLog,
                          Duration rescan, Limits limits, String version, boolean crawl) {
    }

    /**
     * Where the access log goes: rotated when it reaches {@code maxBytes} (0: never), {@code keep} older
     * files kept as {@code FILE.1} … {@code FILE.keep}.
     */
    public record LogFile(Path path, long maxBytes, int keep) {
        public static final long DEFAULT_MAX_BYTES = 64L << 20;
        public static final int DEFAULT_KEEP = 4;

        public LogFile {
            if (maxBytes < 0 || keep < 1 || keep > 1000) {
                throw new IllegalArgumentException("access log: size limit must be ≥ 0 and files kept 1–1000");
            }
        }

        /** {@code path} with the default limit (64 MiB) and four older files. */
        public static LogFile of(Path path) {
            return new LogFile(path, DEFAULT_MAX_BYTES, DEFAULT_KEEP);
        }
    }

    private final Options options;
    private final Clock clock;
    private final Repository repository;
    private final MirrorBoard board;
    private final Crawler crawler;
    private final Answers answers;
    private final Server server;
    private final ServerConnector connector;
    private final ScheduledExecutorService background;
    private final AtomicBoolean rescanQueued = new AtomicBoolean();
    private final AccessLog accessLog;
    private volatile byte[] manifestCache;
    private volatile long manifestGeneration = -1;

    public TrackerServer(Options o, Clock clock) throws IOException {
        this.options = o;
        this.clock = clock;
        this.repository = new Repository(o.repo(), o.state(), o.config().pieceLength());
        this.board = new MirrorBoard(o.config(), clock);
        this.crawler = new Crawler(repository, board, clock.millis());
        this.answers = new Answers(o.version());
        Limits l = o.limits();
        QueuedThreadPool threads = new QueuedThreadPool(l.maxThreads(), Math.min(8, l.maxThreads()), 60_000);
        threads.setName("tracker");
        this.server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setRequestHeaderSize(l.requestHeaderBytes());
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        http.setIdleTimeout(l.idleTimeout().toMillis());
        this.connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost(o.host());
        connector.setPort(o.port());
        connector.setIdleTimeout(l.idleTimeout().toMillis());
        connector.setAcceptQueueSize(1024);
        this.background = Executors.newScheduledThreadPool(2, r -> {
            Thread t = new Thread(r, "tracker-background");
            t.setDaemon(true);
            return t;
        });
        connector.addEventListener(new ConnectionGuard(l.maxConnectionsPerAddress(), l.requestDeadline(), background));
        server.addConnector(connector);
        server.addBean(new NetworkConnectionLimit(l.maxConnections(), server));
        server.setErrorHandler(new OneLineErrors());
        server.setHandler(new Routes());
        this.accessLog = o.accessLog() == null ? null : new AccessLog(o.accessLog());
        if (accessLog != null) {
            server.setRequestLog(accessLog);
        }
        server.setStopTimeout(2_000);
    }

    /** Starts serving, the first scan (in the background), rescans, heartbeat checks and crawls. */
    public void start() throws Exception {
        server.start();
        background.execute(this::scanQuietly);
        long rescan = Math.max(1, options.rescan().toMillis());
        background.scheduleWithFixedDelay(keepGoing("rescan", this::scanQuietly), rescan, rescan, TimeUnit.MILLISECONDS);
        long hb = Math.max(100, (long) (board.config().heartbeatInterval() * 500));
        background.scheduleWithFixedDelay(keepGoing("heartbeat check", board::checkHeartbeats), hb, hb,
                TimeUnit.MILLISECONDS);
        if (options.crawl()) {
            long crawl = (long) (board.config().crawlInterval() * 1000);
            background.scheduleWithFixedDelay(keepGoing("crawl", () -> {
                if (repository.scanned()) {
                    crawler.crawlAll();
                }
            }), 0, Math.max(100, crawl), TimeUnit.MILLISECONDS);
        }
    }

    /**
     * {@code task} as a periodic task that one failure does not end: a scheduled executor stops repeating a task
     * the first time it throws, and says nothing (the tracker would have stopped crawling, the mirror list going
     * stale, with no line in its log). A failure is logged, and the task runs again at its next time.
     */
    static Runnable keepGoing(String what, Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException | Error e) { // NOPMD: a periodic task must outlive one bad run
                LOG.error("{} failed (it runs again at its next time): {}", what, e.toString());
            }
        };
    }

    /** The port it listens on (useful with port 0). */
    public int port() {
        return connector.getLocalPort();
    }

    public Repository repository() {
        return repository;
    }

    public MirrorBoard board() {
        return board;
    }

    public Crawler crawler() {
        return crawler;
    }

    /** Runs a scan now, on the caller's thread (tests, and the first scan of the CLI before it says "ready"). */
    public int scan() throws IOException {
        return repository.scan();
    }

    private void scanQuietly() {
        rescanQueued.set(false);
        try {
            int n = repository.scan();
            if (n > 0) {
                LOG.info("hashed {} file(s); serving {}", n, repository.all().size());
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("scan of {} failed: {}", repository.root(), e.toString());
        }
    }

    private void queueRescan() {
        if (rescanQueued.compareAndSet(false, true)) {
            background.execute(this::scanQuietly);
        }
    }

    @Override
    public void close() throws Exception {
        background.shutdownNow();
        crawler.close();
        server.stop();
        if (accessLog != null) {
            accessLog.close();
        }
    }

    public void join() throws InterruptedException {
        server.join();
    }

    // ------------------------------------------------------------------ routes

    /**
     * Every answer is computed from memory without blocking, so Jetty may run it on the thread that read
     * the request; the few that read a body or a file (heartbeats, the manifest) go to the thread pool.
     */
    private final class Routes extends Handler.Abstract {
        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            String method = request.getMethod();
            String raw = request.getHttpURI().getPath();
            String path = checkedPath(raw);
            if (path == null) {
                return text(response, callback, 400, "bad path: dot-segments, encoded separators and control "
                        + "characters are refused", method);
            }
            if (method.equals("POST")) {
                if (path.startsWith("mirrors/") && path.endsWith("/heartbeat")) {
                    String id = path.substring(8, path.length() - 10);
                    return blocking(response, callback, () -> heartbeat(request, response, callback, id));
                }
                response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD");
                return text(response, callback, 405, "only heartbeats are POSTed", method);
            }
            if (!method.equals("GET") && !method.equals("HEAD")) {
                response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD, POST");
                return text(response, callback, 405, "method not allowed", method);
            }
            switch (path) {
                case "" -> {
                    return text(response, callback, 200, "mirrorswarm tracker: GET /PATH.meta4, /PATH, /repo.manifest, "
                            + "/repo.mirrors, /mirrors", method);
                }
                case "mirrors" -> {
                    return body(response, callback, 200, "application/json", board.json(), method);
                }
                case Repository.MANIFEST -> {
                    return blocking(response, callback, () -> manifest(response, callback, method));
                }
                case "repo.mirrors" -> {
                    StringBuilder sb = new StringBuilder("# mirror base URLs for this client, best first: hints only\n");
                    for (TrackerConfig.MirrorSpec m : board.answer(clientAddress(request))) {
                        sb.append(m.url()).append('\n');
                    }
                    return body(response, callback, 200, "text/plain; charset=utf-8", sb.toString(), method);
                }
                default -> {
                    // below
                }
            }
            boolean meta4 = path.endsWith(".meta4");
            String name = meta4 ? path.substring(0, path.length() - 6) : path;
            Repository.Entry e = fresh(name);
            Repository.Entry itself = e == null && meta4 ? fresh(path) : null;
            if (itself != null) {
                meta4 = false; // a repository file whose own name ends in .meta4
                name = path;
                e = itself;
            }
            if (e == null) {
                if (repository.get(name) != null || repository.pending(name)
                        || (!repository.scanned() && repository.exists(name))) {
                    if (repository.pending(name) && repository.scanned()) {
                        queueRescan(); // caught changing by the last scan: the next one need not wait its turn
                    }
                    response.getHeaders().put(HttpHeader.RETRY_AFTER, "5");
                    return text(response, callback, 503, name + ": being hashed; try again shortly", method);
                }
                return text(response, callback, 404, "not in the repository", method);
            }
            List<TrackerConfig.MirrorSpec> ranked = board.answer(clientAddress(request));
            if (ranked.isEmpty()) {
                response.getHeaders().put(HttpHeader.RETRY_AFTER, "60");
                return text(response, callback, 503, "no mirror is listed right now", method);
            }
            if (meta4) {
                String origin = publicBase(request) + answers.urlPath(e) + (name.equals(path) ? "" : ".meta4");
                response.getHeaders().put(NO_CACHE);
                return bytes(response, callback, 200, "application/metalink4+xml",
                        answers.metalink(e, ranked, origin), method);
            }
            response.getHeaders().put(HttpHeader.LOCATION, ranked.get(0).url() + answers.urlPath(e));
            if (ranked.size() > 1) {
                response.getHeaders().put(HttpHeader.LINK, answers.linkHeader(e, ranked.subList(1, ranked.size())));
            }
            response.getHeaders().put(new HttpField("Digest", Answers.digestHeader(e)));
            response.getHeaders().put(NO_CACHE);
            return text(response, callback, 302, "see the mirror in Location", method);
        }
    }

    /**
     * The entry for {@code name} if its file still has the size and time it was hashed with. The file is
     * looked at again at most every {@link #RECHECK_NANOS} (a change is noticed within that, or at the
     * next rescan), not on every request.
     */
    private Repository.Entry fresh(String name) {
        Repository.Entry e = repository.get(name);
        if (e == null) {
            return null;
        }
        long now = System.nanoTime();
        Checked c = checked.get(name);
        if (c != null && c.entry() == e && now - c.at() < RECHECK_NANOS) {
            return e;
        }
        try {
            BasicFileAttributes a = Files.readAttributes(repository.root().resolve(name), BasicFileAttributes.class,
                    LinkOption.NOFOLLOW_LINKS);
            if (a.size() == e.size() && a.lastModifiedTime().toMillis() == e.mtimeMillis()) {
                checked.put(name, new Checked(e, now));
                return e;
            }
        } catch (IOException gone) {
            // gone or unreadable: rescan
        }
        checked.remove(name);
        queueRescan();
        return null;
    }

    private static final long RECHECK_NANOS = 1_000_000_000L;

    private record Checked(Repository.Entry entry, long at) {
    }

    private final java.util.concurrent.ConcurrentHashMap<String, Checked> checked =
            new java.util.concurrent.ConcurrentHashMap<>();

    /** An answer that may block (reads a body or a file): run on the thread pool. */
    private boolean blocking(Response response, Callback callback, BlockingAnswer answer) {
        server.getThreadPool().execute(() -> {
            try {
                answer.run();
            } catch (Exception | Error ex) {
                LOG.warn("request failed: {}", ex.toString());
                callback.failed(ex);
            }
        });
        return true;
    }

    @FunctionalInterface
    private interface BlockingAnswer {
        boolean run() throws Exception;
    }

    private boolean manifest(Response response, Callback callback, String method) throws IOException {
        Path signed = repository.root().resolve(Repository.MANIFEST);
        byte[] bytes;
        if (Files.isRegularFile(signed, LinkOption.NOFOLLOW_LINKS)) {
            bytes = Files.readAllBytes(signed);
        } else {
            long g = repository.generation();
            if (manifestCache == null || manifestGeneration != g) {
                Instant now = clock.instant();
                manifestCache = repository.manifest(now, null).body().getBytes(StandardCharsets.UTF_8);
                manifestGeneration = g;
            }
            bytes = manifestCache;
            response.getHeaders().put(new HttpField("X-Mirrorswarm-Signed", "no"));
        }
        response.getHeaders().put(NO_CACHE);
        return bytes(response, callback, 200, "text/plain; charset=utf-8", bytes, method);
    }

    private boolean heartbeat(Request request, Response response, Callback callback, String id) throws Exception {
        MirrorBoard.State s = board.byId(id);
        long length = request.getLength();
        if (length > Heartbeats.MAX_BODY) {
            return text(response, callback, 413, "a heartbeat is at most " + Heartbeats.MAX_BODY + " bytes", "POST");
        }
        byte[] body;
        try (var in = Request.asInputStream(request)) {
            body = in.readNBytes(Heartbeats.MAX_BODY + 1);
        }
        if (body.length > Heartbeats.MAX_BODY) {
            return text(response, callback, 413, "a heartbeat is at most " + Heartbeats.MAX_BODY + " bytes", "POST");
        }
        if (s == null) {
            return text(response, callback, 401, "bad HMAC", "POST"); // no hint whether the id exists
        }
        Heartbeats.Verdict v = Heartbeats.check(s.spec.token(), id, request.getHeaders().get(HttpHeader.AUTHORIZATION),
                body, clock.instant().getEpochSecond(), board.lastHeartbeatTime(s));
        if (v.status() != 204) {
            LOG.info("heartbeat from {} for {} refused: {}", Request.getRemoteAddr(request), id, v.message());
            return text(response, callback, v.status(), v.message(), "POST");
        }
        board.heartbeat(s, v.time(), v.load());
        response.setStatus(204);
        callback.succeeded();
        return true;
    }

    // ------------------------------------------------------------------ helpers

    /**
     * The decoded path without its leading '/', or null when it must be refused: dot-segments (also
     * encoded), encoded '/' or '\', backslashes, NUL and other control characters, empty segments.
     */
    static String checkedPath(String raw) {
        if (raw == null || !raw.startsWith("/")) {
            return null;
        }
        String decoded;
        if (raw.indexOf('%') < 0 && raw.indexOf('+') < 0) {
            decoded = raw; // nothing to decode (the common case)
        } else {
            String lower = raw.toLowerCase(Locale.ROOT);
            if (lower.contains("%2f") || lower.contains("%5c") || lower.contains("%00")) {
                return null;
            }
            try {
                decoded = URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        String p = decoded.substring(1);
        if (p.isEmpty()) {
            return p;
        }
        for (int i = 0; i < p.length(); i++) {
            char c = p.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '\\') {
                return null;
            }
        }
        for (String seg : p.split("/", -1)) {
            if (seg.isEmpty() || seg.equals(".") || seg.equals("..")) {
                return null;
            }
        }
        return p;
    }

    private static InetAddress clientAddress(Request request) {
        var a = request.getConnectionMetaData().getRemoteSocketAddress();
        return a instanceof InetSocketAddress i ? i.getAddress() : null;
    }

    private static final java.util.regex.Pattern HOST = java.util.regex.Pattern.compile("[A-Za-z0-9.\\-\\[\\]:]+");

    private String publicBase(Request request) {
        String configured = board.config().publicUrl();
        if (configured != null) {
            return configured.endsWith("/") ? configured : configured + "/";
        }
        var uri = request.getHttpURI();
        String host = uri.getHost();
        if (host == null || !HOST.matcher(host).matches()) {
            host = Request.getLocalAddr(request);
        }
        int port = uri.getPort() > 0 ? uri.getPort() : Request.getLocalPort(request);
        String hostPart = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        return uri.getScheme() + "://" + hostPart + ":" + port + "/";
    }

    private static final HttpField NOSNIFF = new PreEncodedHttpField("X-Content-Type-Options", "nosniff");
    private static final HttpField NO_CACHE = new PreEncodedHttpField(HttpHeader.CACHE_CONTROL, "no-cache");
    private static final java.util.Map<String, HttpField> TYPES = java.util.Map.of(
            "application/metalink4+xml", new PreEncodedHttpField(HttpHeader.CONTENT_TYPE, "application/metalink4+xml"),
            "text/plain; charset=utf-8", new PreEncodedHttpField(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8"),
            "application/json", new PreEncodedHttpField(HttpHeader.CONTENT_TYPE, "application/json"));

    private static boolean text(Response response, Callback callback, int status, String message, String method) {
        return body(response, callback, status, "text/plain; charset=utf-8", message + "\n", method);
    }

    private static boolean body(Response response, Callback callback, int status, String type, String body,
                                String method) {
        return bytes(response, callback, status, type, body.getBytes(StandardCharsets.UTF_8), method);
    }

    private static boolean bytes(Response response, Callback callback, int status, String type, byte[] body,
                                 String method) {
        response.setStatus(status);
        HttpField t = TYPES.get(type);
        response.getHeaders().put(t != null ? t : new HttpField(HttpHeader.CONTENT_TYPE, type));
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.getHeaders().put(NOSNIFF);
        if (method.equals("HEAD")) {
            callback.succeeded();
        } else {
            response.write(true, ByteBuffer.wrap(body), callback);
        }
        return true;
    }

    /** Every error Jetty itself answers (bad request line, 414, 431, …): one plain line, no stack trace. */
    private static final class OneLineErrors extends ErrorHandler {
        @Override
        protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                        Callback callback) {
            String reason = HttpStatus.getMessage(code);
            byte[] b = (code + " " + reason + "\n").getBytes(StandardCharsets.US_ASCII);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=us-ascii");
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, b.length);
            response.write(true, ByteBuffer.wrap(b), callback);
        }
    }
}
