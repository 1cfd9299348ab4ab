package org.mirrorswarm.live;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import okhttp3.ConnectionPool;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.mirrorswarm.live.metalink.SafeNames;
import org.mirrorswarm.live.store.FolderLock;
import org.mirrorswarm.live.store.PartFile;
import org.mirrorswarm.live.store.StorageException;
import org.mirrorswarm.strategies.Action;
import org.mirrorswarm.strategies.Digest;
import org.mirrorswarm.strategies.Event;
import org.mirrorswarm.strategies.FailureReason;
import org.mirrorswarm.strategies.FileJob;
import org.mirrorswarm.strategies.FilePlan;
import org.mirrorswarm.strategies.HashAlgorithm;
import org.mirrorswarm.strategies.Mirror;
import org.mirrorswarm.strategies.MirrorBook;
import org.mirrorswarm.strategies.Scheduler;
import org.mirrorswarm.strategies.SchedulerConfig;
import org.mirrorswarm.strategies.TraceSink;
import org.mirrorswarm.strategies.Units;

/**
 * Downloads files from HTTP mirrors with the shared {@link Scheduler}: the same classes the simulator
 * drives with simulated time, driven here with the wall clock. One event-loop thread owns the scheduler;
 * each request runs on a worker thread ({@link Transfer}) and reports back through a queue. Every piece
 * is verified before it is written; a file is renamed to its final name only after its whole-file hash
 * matches. A file that comes with a whole-file hash only, and does not match, is fetched again one
 * mirror at a time to find the mirror that served bad bytes.
 */
public final class LiveDownload {
    private static final long TICK_NANOS = 200_000_000L;
    private static final long FLUSH_NANOS = 500_000_000L;

    private final FileFeed feed;
    private final Path dir;
    private final FetchOptions options;
    private final FetchListener listener;
    private final TraceSink trace;
    private final GeneralClient client;
    private final List<String> notes = new ArrayList<>();
    private final Map<String, MirrorStats> mirrors = new LinkedHashMap<>();
    /** Why the download was interrupted ({@link #interrupt}), or null. */
    private volatile String interruption;
    /** What on this machine stopped the download (a full disk, TLS that cannot be set up), or null. */
    private volatile String stoppedBy;
    /** The session running, for {@link #interrupt}. */
    private volatile Session current;
    /**
     * The target folder's lock, taken when the first file is added or the feed's source is accepted, whichever
     * comes first ({@link #lockFolder}); null if none.
     */
    private FolderLock folderLock;
    private boolean folderLocked;

    public LiveDownload(List<LiveFile> files, Path dir, FetchOptions options, FetchListener listener, TraceSink trace) {
        this(files, dir, options, listener, trace, client(options));
    }

    /** A download over a given client (see {@link #client(FetchOptions, boolean)}). */
    public LiveDownload(List<LiveFile> files, Path dir, FetchOptions options, FetchListener listener, TraceSink trace,
                        OkHttpClient client) {
        this(FileFeed.of(files), dir, options, listener, trace, client);
    }

    /**
     * A download of the files {@code feed} hands over, started as they come (see {@link FileFeed} for what is
     * held back until the feed's source is known to be good).
     */
    public LiveDownload(FileFeed feed, Path dir, FetchOptions options, FetchListener listener, TraceSink trace,
                        OkHttpClient client) {
        this(feed, dir, options, listener, trace, GeneralClient.of(client));
    }

    /** A download of the files {@code feed} hands over, with a general client built only if it is asked for. */
    public LiveDownload(FileFeed feed, Path dir, FetchOptions options, FetchListener listener, TraceSink trace,
                        GeneralClient client) {
        this.feed = feed;
        this.dir = dir;
        this.options = options;
        this.listener = listener;
        this.trace = trace;
        this.client = client;
    }

    /** The HTTP client the live client uses: no automatic redirects (they are followed by hand, capped). */
    public static OkHttpClient client(FetchOptions o) {
        return client(o, true);
    }

    /**
     * The client, without TLS when {@code tls} is false: every source is plain http, and setting up the JDK's
     * TLS stack (trust store, providers) would cost a fifth of a second for nothing. An https URL met later
     * (a redirect) is asked through {@link #newCall}, which sets TLS up then.
     */
    public static OkHttpClient client(FetchOptions o, boolean tls) {
        OkHttpClient.Builder b = new OkHttpClient.Builder();
        if (!tls) {
            b.connectionSpecs(List.of(okhttp3.ConnectionSpec.CLEARTEXT));
        }
        if (o.proxies() != null) { // the live client's own connections go only where this says no proxy is
            b.proxySelector(o.proxies()).proxyAuthenticator(o.proxies().authenticator());
        }
        return b
                .connectTimeout(o.connectTimeout())
                .readTimeout(max(o.firstByteTimeout(), o.headerTimeout()))
                .writeTimeout(o.headerTimeout())
                .followRedirects(false)
                .followSslRedirects(false)
                .connectionPool(new ConnectionPool(64, 2, TimeUnit.MINUTES))
                .build();
    }

    /**
     * TLS-capable copies of clients built without TLS (weakly held): made when first needed, or from TLS being
     * set up on a thread of its own from the start ({@link #tlsLater}).
     */
    private static final Map<OkHttpClient, TlsLater> WITH_TLS =
            java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());

    /**
     * TLS could not be set up here (the system's trusted authorities cannot be read, the TLS engine asked for
     * cannot run): a local failure that stops the download in one line, not a fault of the mirror asked.
     */
    static final class TlsUnavailable extends RuntimeException {
        TlsUnavailable(Throwable cause) {
            super(cause.getMessage() != null ? cause.getMessage() : cause.toString(), cause);
        }
    }

    /** TLS being set up for a client built without it, and the client's copy with it (made when first asked). */
    private static final class TlsLater {
        private final CompletableFuture<Trust.Parts> parts;
        private OkHttpClient copy;

        TlsLater(CompletableFuture<Trust.Parts> parts) {
            this.parts = parts;
        }

        Trust.Parts parts() {
            try {
                return parts.join();
            } catch (java.util.concurrent.CompletionException e) {
                if (e.getCause() instanceof Error error) {
                    throw error; // the set-up's (Trust.Pending#run), as is
                }
                throw new TlsUnavailable(e.getCause() != null ? e.getCause() : e);
            }
        }

        /** The live client's own connections' TLS over these parts, asked for as each connection's handshake starts. */
        Pipe.Tls pipeTls(javax.net.ssl.HostnameVerifier verifier) {
            return new Pipe.Tls(() -> parts().factory(), verifier);
        }

        synchronized OkHttpClient copy(OkHttpClient plain) {
            if (copy == null) {
                copy = parts().on(plain);
            }
            return copy;
        }
    }

    /**
     * A call of {@code request} on {@code client} — every request of the live client goes through here. When
     * the URL is https and the client was built without TLS ({@link #client(FetchOptions, boolean)}): a
     * mirror that redirects to https, an https mirror in a list of plain ones, the call is made on a copy
     * with TLS set up, once per client, sharing its connection pool and dispatcher.
     */
    public static okhttp3.Call newCall(OkHttpClient client, okhttp3.Request request) {
        return (request.url().isHttps() ? withTls(client) : client).newCall(request);
    }

    private static boolean hasTls(OkHttpClient client) {
        return client.connectionSpecs().stream().anyMatch(okhttp3.ConnectionSpec::isTls);
    }

    /**
     * {@code client}, or its TLS-capable copy when it was built without TLS (made once per client, from the
     * TLS {@link #tlsLater} set up for it, else the system's).
     */
    static OkHttpClient withTls(OkHttpClient client) {
        if (hasTls(client)) {
            return client;
        }
        return later(client).copy(client);
    }

    /** The TLS {@code client} (built without it) uses: set up for it, or else the system's ({@link Trust.Pending#system}). */
    private static TlsLater later(OkHttpClient client) {
        return WITH_TLS.computeIfAbsent(client, plain -> new TlsLater(Trust.Pending.system().ready()));
    }

    /**
     * How the live client's own connections ({@link Pipe}) put TLS on a socket for {@code client}'s requests:
     * its TLS, or the one {@link #tlsLater} sets up (without building the general client's copy, which
     * indexes every trusted authority); null when the client pins certificates, which only it checks.
     */
    static Pipe.Tls pipeTls(OkHttpClient client) {
        if (!client.certificatePinner().getPins().isEmpty()) {
            return null;
        }
        if (hasTls(client)) {
            javax.net.ssl.SSLSocketFactory factory = client.sslSocketFactory();
            return new Pipe.Tls(() -> factory, client.hostnameVerifier());
        }
        return later(client).pipeTls(client.hostnameVerifier());
    }

    /**
     * The live client's own connections' TLS over {@code parts}, still being set up, for requests of a client
     * not built yet ({@link GeneralClient}): the host-name check is the one every client built here has,
     * OkHttp's default.
     */
    static Pipe.Tls pipeTls(CompletableFuture<Trust.Parts> parts) {
        return new TlsLater(parts).pipeTls(okhttp3.internal.tls.OkHostnameVerifier.INSTANCE);
    }

    /**
     * Makes {@code parts}, TLS still being set up, what {@code plain} (a client built without TLS) uses for
     * https: the first such request waits for it.
     */
    static void tlsLater(OkHttpClient plain, CompletableFuture<Trust.Parts> parts) {
        if (hasTls(plain)) {
            throw new IllegalArgumentException("the client has TLS set up already");
        }
        WITH_TLS.put(plain, new TlsLater(parts));
    }

    /**
     * Whether a worker's message waits in the inbox. The feed's Wakes only say "look at the arrivals": those
     * at the head are dropped, so a worker's message behind them is not kept waiting while files are opened
     * (it was, when a Wake at the head counted as nothing waiting: the first pieces of a 200-file fetch
     * waited 35-65 ms in the inbox, every mirror idle). Called only by the loop, the inbox's only taker.
     */
    static boolean workerWaiting(BlockingQueue<Msg> inbox) {
        while (inbox.peek() == Msg.Wake.INSTANCE) {
            inbox.poll(); // no one else takes from the inbox: the head is still that Wake
        }
        return !inbox.isEmpty();
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    /** The feed's source turned out bad: what the download wrote is removed; the message says why. */
    public static final class Refused extends IOException {
        public Refused(String message) {
            super(message);
        }
    }

    /**
     * Stops the download from another thread (a signal's shutdown hook): every transfer is cancelled, every
     * verified piece is journaled (forced to disk) for a later run to resume from, and {@link #run} returns
     * soon with each file not yet in place failed as {@code why}. A file whose hash was being checked is
     * still moved into place when it matches.
     */
    public void interrupt(String why) {
        interruption = why;
        Session s = current;
        if (s != null) {
            s.inbox.add(new Msg.LocalError(why));
        }
    }

    /** Whether {@link #interrupt} was called. */
    public boolean interrupted() {
        return interruption != null;
    }

    /**
     * What on this machine stopped the download before its end, a full disk say (every verified piece is
     * journaled then, as on an {@link #interrupt}); null when nothing did, or an interrupt did.
     */
    public String stoppedBy() {
        return interruption != null ? null : stoppedBy;
    }

    /**
     * Runs the download to its end: every file in place or given up.
     *
     * @throws Refused when the feed refuses its source (nothing this download wrote is left)
     */
    public FetchReport run() throws IOException {
        try {
            return runInFolder();
        } finally {
            folderLocked = false;
            if (folderLock != null) {
                folderLock.close();
                folderLock = null;
            }
        }
    }

    /**
     * The feed's source {@linkplain FileFeed#accept accepted} under the target folder's lock.
     *
     * @throws Refused when it is refused after all
     */
    private void acceptFeed() throws IOException {
        lockFolder();
        String why = feed.accept();
        if (why != null) {
            throw new Refused(why);
        }
    }

    /**
     * Takes the target folder's lock once, making the folder if it is not there yet (a file is about to go in
     * it): another fetch writing there is refused ({@link FolderLock.Busy}) before this one changes anything.
     */
    private void lockFolder() throws IOException {
        if (!folderLocked) {
            Files.createDirectories(dir);
            folderLock = FolderLock.take(dir);
            folderLocked = true;
        }
    }

    private FetchReport runInFolder() throws IOException {
        long t0 = System.nanoTime();
        if (feed.complete()) {
            acceptFeed(); // a streamed feed's source, when the feed ends (Session.sourceEnded)
        }
        Session s = new Session(feed, options.scheduler(), trace, t0);
        s.run();
        if (!s.fed) {
            notes.add("stopped before the end of the file list: the files listed here (" + s.entries.size()
                    + ") are those it had taken; the rest were not started");
        }
        List<FetchReport.FileResult> results = new ArrayList<>();
        for (Object e : s.entries) {
            if (e instanceof FetchReport.FileResult r) {
                results.add(r);
                continue;
            }
            int k = (Integer) e;
            Session.Outcome o = s.outcome.get(k);
            if (o.wholeFileMismatch && interruption == null) {
                o = recover(s.batch.get(k), s.targets.get(k), o, t0);
            }
            LiveFile f = s.batch.get(k);
            results.add(new FetchReport.FileResult(f.plan().name(), f.plan().size(), o.ok, o.detail, o.resumedBytes,
                    o.seconds));
        }
        List<FetchReport.MirrorResult> rows = new ArrayList<>();
        for (MirrorStats m : mirrors.values()) {
            rows.add(new FetchReport.MirrorResult(m.id, m.bytes, m.received, m.busyNanos / 1e9, m.requests, m.failures,
                    m.badPieces, m.lastError, m.verdict));
        }
        return new FetchReport(results, rows, (System.nanoTime() - t0) / 1e9, notes);
    }

    /** Null to fetch the file; otherwise why not ("already complete …" counts as success). */
    private String precheck(LiveFile f, Path target) throws IOException {
        FilePlan plan = f.plan();
        if (plan.fileHash() == null && !plan.hasPieceHashes() && !options.allowUnverified()) {
            return "no hash to verify it with (use --allow-unverified to fetch it anyway)";
        }
        if (Files.exists(target)) {
            if (Files.size(target) == plan.size() && plan.fileHash() != null
                    && plan.fileHash().matches(hash(target, plan.fileHash().algorithm()))) {
                return "already complete: " + plan.fileHash().algorithm().metalinkName() + " matches";
            }
            if (!options.overwrite()) {
                return target + " exists and does not match; use --overwrite to replace it";
            }
        }
        if (f.sources().isEmpty()) {
            return "no HTTP mirror lists it";
        }
        return null;
    }

    static byte[] hash(Path file, HashAlgorithm a) throws IOException {
        MessageDigest md = PartFile.digest(a);
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
        }
        return md.digest();
    }

    /**
     * A file whose only hash is a whole-file one and whose merged copy did not match: fetch it again from
     * one mirror at a time. The first single-mirror copy that matches is kept; every mirror whose pieces
     * in the merged copy differ from it served bad bytes.
     */
    private Session.Outcome recover(LiveFile f, Path target, Session.Outcome merged, long t0) throws IOException {
        Map<Integer, String> sourceOf = merged.pieceSources;
        Map<Integer, byte[]> shaOf = merged.pieceSha256;
        Set<String> bad = new HashSet<>();
        notes.add(f.plan().name() + ": the whole-file hash did not match; fetching it again one mirror at a time to "
                + "find the bad mirror");
        for (LiveFile.Source src : f.sources()) {
            String id = src.mirror().id();
            if (interruption != null) {
                return new Session.Outcome(false, interruption, false, merged.resumedBytes,
                        (System.nanoTime() - t0) / 1e9, Map.of(), Map.of());
            }
            if (bad.contains(id)) {
                continue;
            }
            // Start from nothing: the merged copy's bytes are not trusted, whatever the journal says.
            Files.deleteIfExists(PartFile.partOf(target));
            Files.deleteIfExists(PartFile.journalOf(target));
            Session s = new Session(FileFeed.of(List.of(new LiveFile(f.plan(), List.of(src)))), options.scheduler(),
                    trace, t0);
            s.run();
            Session.Outcome o = !s.outcome.isEmpty() ? s.outcome.get(0) // else not fetched, and why:
                    : new Session.Outcome(false, ((FetchReport.FileResult) s.entries.get(0)).detail(), false, 0,
                            (System.nanoTime() - t0) / 1e9, Map.of(), Map.of());
            if (o.ok) {
                for (Map.Entry<Integer, String> e : sourceOf.entrySet()) {
                    byte[] good = pieceSha256(target, f.plan(), e.getKey());
                    if (!MessageDigest.isEqual(good, shaOf.get(e.getKey()))) {
                        bad.add(e.getValue());
                    }
                }
                for (String b : bad) {
                    stats(b).verdict = "served bytes that do not match the whole-file hash";
                }
                return new Session.Outcome(true, "verified (" + f.plan().fileHash().algorithm().metalinkName()
                        + ") after refetching from " + id + (bad.isEmpty() ? "" : "; bad: " + String.join(", ", bad)),
                        false, merged.resumedBytes, o.seconds, Map.of(), Map.of());
            }
            if (o.wholeFileMismatch) {
                bad.add(id);
                stats(id).verdict = "its whole copy does not match the whole-file hash";
            }
        }
        Files.deleteIfExists(PartFile.partOf(target));
        Files.deleteIfExists(PartFile.journalOf(target));
        return new Session.Outcome(false, "no mirror serves a copy that matches the whole-file hash"
                + (bad.isEmpty() ? "" : " (bad: " + String.join(", ", bad) + ")"), false, merged.resumedBytes,
                (System.nanoTime() - t0) / 1e9, Map.of(), Map.of());
    }

    private static byte[] pieceSha256(Path file, FilePlan plan, int piece) throws IOException {
        try (var ch = java.nio.channels.FileChannel.open(file)) {
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(plan.pieceLength(piece));
            long pos = plan.pieceStart(piece);
            while (b.hasRemaining() && ch.read(b, pos + b.position()) > 0) {
                // read on
            }
            MessageDigest md = PartFile.digest(HashAlgorithm.SHA_256);
            md.update(b.array(), 0, b.position());
            return md.digest();
        }
    }

    private MirrorStats stats(String id) {
        return mirrors.computeIfAbsent(id, MirrorStats::new);
    }

    /** Per-mirror counters for the final table. */
    private static final class MirrorStats {
        final String id;
        long bytes;
        long received;
        long busyNanos;
        long busySince;
        int live;
        int requests;
        int failures;
        int badPieces;
        String lastError = "";
        String verdict = "";

        MirrorStats(String id) {
            this.id = id;
        }
    }

    /** One run of the scheduler over a set of files, to its end. */
    private final class Session {
        /** How one file ended. */
        record Outcome(boolean ok, String detail, boolean wholeFileMismatch, long resumedBytes, double seconds,
                       Map<Integer, String> pieceSources, Map<Integer, byte[]> pieceSha256) {
        }

        /** Every file in feed order: a {@link FetchReport.FileResult} when it was not fetched, else its index in {@link #batch}. */
        final List<Object> entries = new ArrayList<>();
        /** The files handed to the scheduler, by its file index, with their targets, parts, URLs and outcomes. */
        final List<LiveFile> batch = new ArrayList<>();
        final List<Path> targets = new ArrayList<>();
        final List<Outcome> outcome = new ArrayList<>();
        private final List<PartFile> parts = new ArrayList<>();
        private final List<Map<String, LiveFile.Source>> urls = new ArrayList<>();
        private final List<long[]> resumed = new ArrayList<>();
        private final Set<Path> targetsInUse = new HashSet<>();
        private final SafeNames.Folder folder = new SafeNames.Folder(dir);
        private final FileFeed feed;
        private final SchedulerConfig config;
        private final Scheduler scheduler;
        private final long t0;
        private final BlockingQueue<Msg> inbox = new LinkedBlockingQueue<>();
        /** Files from the feed not yet looked at, then its end ({@link FeedEnd}). */
        private final BlockingQueue<Object> arrivals = new LinkedBlockingQueue<>();
        /** Files that touch what exists (a part file, a journal, a folder to make): held until the feed is good. */
        private final List<LiveFile> held = new ArrayList<>();
        private final Map<Integer, Transfer> live = new HashMap<>();
        private final Map<Integer, ArrayDeque<long[]>> speed = new HashMap<>();
        private final Map<String, String> validators = new ConcurrentHashMap<>();
        /** Pieces that failed their hash: by file and piece, what each mirror's bytes hashed to. */
        private final Map<Long, Map<String, byte[]>> badCopies = new HashMap<>();
        private final BufferPool buffers;
        /** The client's own pipelining connections to HTTP/1.1 mirrors, and the general client's gates. */
        private final Pipes pipes;
        /** The download's rate limit ({@link FetchOptions#rateLimit}), or null. */
        private final RateLimit limit;
        /** The feed's source is good (or was checked up front): files may be committed, held ones opened. */
        private boolean accepted;
        /** The feed ended saying its source is good, though the loop may not have opened all its files yet. */
        private volatile boolean sourceGood;
        private boolean fed;
        private String refusal;
        private IOException fatal;
        private long verified;
        /** Of each file, by its index in {@link #batch}: its bytes verified, and its bytes arrived (not all good). */
        private final List<long[]> fileBytes = new ArrayList<>();
        private long total;
        private String localError;
        private double nextWake = Double.POSITIVE_INFINITY;
        private double lastTime;
        /** Bytes this download's files will write in all, and the folder's free space when it was first asked. */
        private long spaceNeeded;
        private long spaceFree = -1;

        /** Whether the feed was told to go on ({@link FileFeed#underway}). */
        private boolean underway;

        /** The feed's end. */
        private record FeedEnd(String refusal) {
        }

        Session(FileFeed feed, SchedulerConfig base, TraceSink trace, long t0) {
            this.feed = feed;
            this.t0 = t0;
            this.accepted = feed.complete();
            if (feed.complete()) {
                feed.feed(sink());
            }
            // Piece buffers: within the budget however large the pieces. With the files known up front, fewer
            // connections when the largest pieces would not fit; a feed's files are not known yet, so its
            // transfers wait for memory instead (BufferPool) when the pieces are too large for them all.
            int maxPiece = 1;
            if (feed.complete()) {
                for (Object o : arrivals) {
                    if (o instanceof LiveFile f) {
                        maxPiece = Math.max(maxPiece, Transfer.bufferSize(f.plan()));
                    }
                }
            }
            int byMemory = (int) Math.max(1, Math.min(Integer.MAX_VALUE, options.bufferBudget() / maxPiece));
            int connections = Math.min(base.maxConnections(), byMemory);
            this.config = connections == base.maxConnections() ? base
                    : base.withConnections(connections, Math.min(base.maxPerMirror(), connections), base.maxPerFile());
            this.scheduler = new Scheduler(config, trace == null ? TraceSink.NONE : trace);
            this.buffers = new BufferPool(options.bufferBudget());
            this.limit = options.rateLimit() > 0 ? new RateLimit(options.rateLimit()) : null;
            this.pipes = new Pipes(options, client, limit);
        }

        /** Where the feed hands its files: onto {@link #arrivals}, waking the loop. */
        private FileFeed.Sink sink() {
            return new FileFeed.Sink() {
                private boolean ended;

                @Override
                public synchronized void file(LiveFile f) {
                    if (!ended) {
                        arrivals.add(f);
                        inbox.add(Msg.Wake.INSTANCE);
                    }
                }

                @Override
                public synchronized void end(String why) {
                    if (!ended) {
                        ended = true;
                        sourceGood = why == null;
                        arrivals.add(new FeedEnd(why));
                        inbox.add(Msg.Wake.INSTANCE);
                    }
                }
            };
        }

        private double now() {
            return at(System.nanoTime());
        }

        /**
         * The scheduler's time for something a worker saw at {@code nanos}: never before the last event, since
         * the scheduler needs times that never go backwards (workers' messages may reach the inbox out of order).
         */
        private double at(long nanos) {
            lastTime = Math.max(lastTime, (nanos - t0) / 1e9);
            return lastTime;
        }

        void run() throws IOException {
            ExecutorService workers = Executors.newCachedThreadPool(r -> worker(r, "mirrorswarm-transfer"));
            ExecutorService disk = Executors.newSingleThreadExecutor(r -> worker(r, "mirrorswarm-disk"));
            if (!feed.complete()) {
                FileFeed.Sink sink = sink();
                worker(() -> FileFeed.run(feed, sink), "mirrorswarm-feed").start();
            }
            current = this;
            if (interruption != null) { // interrupted before this session was seen by interrupt()
                inbox.add(new Msg.LocalError(interruption));
            }
            try {
                loop(workers, disk);
            } finally {
                current = null;
                for (Transfer t : live.values()) {
                    t.stop(Transfer.Stop.CANCELLED);
                }
                long end = System.nanoTime();
                MirrorBook book = scheduler.book();
                for (MirrorStats m : mirrors.values()) {
                    if (m.live > 0) { // transfers not waited for (finished): their mirrors were busy till now
                        m.busyNanos += end - m.busySince;
                        m.live = 0;
                    }
                    int i = book.indexOf(m.id);
                    if (i >= 0 && book.isExcluded(i) && m.verdict.isEmpty()) {
                        m.verdict = "excluded: " + book.exclusionReason(i);
                    }
                }
                workers.shutdownNow();
                pipes.shutdown();
                disk.shutdown();
                try {
                    disk.awaitTermination(1, TimeUnit.MINUTES);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                // A file checked and moved into place by the disk thread after the loop stopped listening
                // (a stop while its hash was being checked) is in place: say so.
                for (Msg m; (m = inbox.poll()) != null; ) {
                    if (m instanceof Msg.Finalized fin && fin.ok() && accepted) {
                        receive(m);
                    }
                }
                for (PartFile p : parts) {
                    if (!accepted) {
                        // Written for a source that was never found good: none of it stays.
                        try {
                            p.discard();
                        } catch (IOException e) {
                            // best effort: a part file left behind is never trusted without its plan's hashes
                        }
                        continue;
                    }
                    try {
                        p.flush();
                    } catch (IOException e) {
                        // best effort: unjournaled pieces are fetched again next time
                    }
                    p.close();
                }
            }
            if (refusal != null) {
                throw new Refused(refusal);
            }
            if (fatal != null) {
                throw fatal;
            }
            if (localError != null) {
                for (int f = 0; f < outcome.size(); f++) {
                    if (outcome.get(f) == null || !outcome.get(f).ok) {
                        outcome.set(f, new Outcome(false, localError, false, resumed.get(f)[0], now(), Map.of(), Map.of()));
                    }
                }
            }
        }

        /**
         * The next file from the feed, or its end. A file is checked ({@link #precheck}) and handed to the
         * scheduler with the pieces its part file already holds, and the requests it asks for start at once.
         * Until the feed's source is good, a file that would touch anything on disk but its own new part
         * file waits.
         */
        private void arrive(Object o, ExecutorService workers, ExecutorService disk) throws IOException {
            if (o instanceof FeedEnd end) {
                fed = true;
                if (!accepted) {
                    sourceEnded(end.refusal(), workers, disk);
                } else {
                    dispatch(workers, disk);
                }
                return;
            }
            LiveFile lf = (LiveFile) o;
            if (!accepted && touchesDisk(lf)) {
                held.add(lf);
            } else {
                add(lf, workers, disk);
            }
            if (live.isEmpty()) {
                underway(); // nothing waits for an answer: the feed's files are what the download waits for
            }
        }

        /** Tells the feed, once, that holding back no longer helps the download's start ({@link FileFeed#underway}). */
        private void underway() {
            if (!underway) {
                underway = true;
                feed.underway();
            }
        }

        /**
         * The feed's source is good ({@code refusal} null) or not: it is accepted under the folder's lock (or
         * refused after all), the files that ended meanwhile are told, and the held ones opened. Run when the
         * feed says so, before the loop has opened every file it handed over: the files of a good source may
         * then go into place (their whole-file checks and renames, on the disk thread) while the rest are fetched.
         */
        private void sourceEnded(String refusal, ExecutorService workers, ExecutorService disk) throws IOException {
            String why = refusal;
            if (why == null) {
                try {
                    acceptFeed();
                } catch (Refused e) {
                    why = e.getMessage();
                }
            }
            if (why != null) {
                refuse(why);
                return;
            }
            accepted = true;
            endedEarly.forEach(f -> listener.fileEnded(result(f)));
            endedEarly.clear();
            for (LiveFile f : held) {
                add(f, workers, disk);
            }
            held.clear();
            dispatch(workers, disk);
        }

        /** Whether opening {@code f} would create a folder or change an existing part file or journal. */
        private boolean touchesDisk(LiveFile f) {
            Path root = dir.toAbsolutePath().normalize();
            Path target = root.resolve(f.plan().name()).normalize();
            Path parent = target.getParent();
            return parent == null || !Files.isDirectory(parent) || Files.exists(PartFile.partOf(target))
                    || Files.exists(PartFile.journalOf(target));
        }

        private void add(LiveFile lf, ExecutorService workers, ExecutorService disk) throws IOException {
            lockFolder();
            Path target = folder.resolve(lf.plan().name());
            String why = !targetsInUse.add(target) ? "another file of this download has the same name"
                    : precheck(lf, target);
            if (why != null) {
                entries.add(new FetchReport.FileResult(lf.plan().name(), lf.plan().size(), why.startsWith("already"), why,
                        0, 0));
                return;
            }
            claimSpace(lf.plan(), target);
            int f = batch.size();
            PartFile part = PartFile.open(target, lf.plan());
            entries.add(f);
            batch.add(lf);
            targets.add(target);
            parts.add(part);
            outcome.add(null);
            resumed.add(new long[1]);
            fileBytes.add(new long[2]);
            Map<String, LiveFile.Source> byMirror = new LinkedHashMap<>();
            List<Mirror> ms = new ArrayList<>();
            for (LiveFile.Source s : lf.sources()) {
                if (byMirror.putIfAbsent(s.mirror().id(), s) == null) {
                    ms.add(s.mirror());
                    stats(s.mirror().id());
                }
            }
            urls.add(byMirror);
            total += lf.plan().size();
            BitSet have = new BitSet();
            for (int p : part.resumedPieces()) {
                long len = lf.plan().pieceLength(p);
                resumed.get(f)[0] += len;
                verified += len;
                fileBytes.get(f)[0] += len;
                fileBytes.get(f)[1] += len;
                have.set(p);
            }
            // With the file, not after it: the scheduler starts requests as soon as it hears of a file.
            handle(new Event.AddFile(now(), new FileJob(lf.plan(), ms, have)));
            dispatch(workers, disk);
        }

        /**
         * Counts what file {@code plan} will still write at {@code target} (less what its part file holds
         * already) and refuses the download, before that file is opened or asks for anything, when the
         * folder's file system has not the room for what its files will write in all (as apt checks before it
         * fetches): otherwise it would fill up halfway, its part files' journals unwritable. A Metalink
         * claiming an absurd size is refused here too, before anything is sized by its piece count.
         */
        private void claimSpace(FilePlan plan, Path target) throws IOException {
            Path part = PartFile.partOf(target);
            long there = Files.isRegularFile(part) ? Math.min(Files.size(part), plan.size()) : 0;
            spaceNeeded += plan.size() - there;
            if (spaceFree < 0) {
                spaceFree = Files.getFileStore(dir).getUsableSpace();
            }
            if (spaceNeeded > spaceFree) {
                throw new StorageException(dir + ": not enough free space: " + Units.formatBytes(spaceNeeded)
                        + " to write, " + Units.formatBytes(spaceFree) + " free");
            }
        }

        /** A file cannot be placed (its folder, its part file): the download stops and {@link #run} throws {@code e}. */
        private void fail(IOException e) {
            if (!stopped()) {
                fatal = e;
                stopAll("stopped: " + e.getMessage());
            }
        }

        /** The source is bad: every transfer stops, every file fails, and what was written goes. */
        private void refuse(String why) {
            if (refusal != null) {
                return;
            }
            refusal = why;
            stopAll("refused: " + why);
        }

        private void stopAll(String detail) {
            for (Transfer t : live.values()) {
                t.stop(Transfer.Stop.CANCELLED);
            }
            for (int f = 0; f < outcome.size(); f++) {
                if (outcome.get(f) == null) {
                    outcome.set(f, new Outcome(false, detail, false, resumed.get(f)[0], now(), Map.of(), Map.of()));
                }
            }
            pendingFinal.clear();
            // Files not started (held until the source is good, or not looked at yet) end as well, with the why.
            List<LiveFile> unstarted = new ArrayList<>(held);
            for (Object o; (o = arrivals.poll()) != null; ) {
                if (o instanceof LiveFile f) {
                    unstarted.add(f);
                }
            }
            for (LiveFile f : unstarted) {
                entries.add(new FetchReport.FileResult(f.plan().name(), f.plan().size(), false, detail, 0, now()));
            }
            held.clear();
        }

        private void handle(Event e) {
            scheduler.handle(e, this::act);
        }

        private void act(Action a) {
            if (a instanceof Action.StartRequest s) {
                // Put together here, when first asked for (LiveFile.Source). Done on the transfer's own thread
                // instead, fewer requests arrived pipelined behind an answer: PipeliningTest failed 2 of 6 runs.
                HttpUrl url = urls.get(s.file()).get(s.mirrorId()).url();
                Transfer t = new Transfer(s.request(), s.file(), s.mirrorId(), s.firstPiece(), s.endPiece(), url,
                        batch.get(s.file()).plan(), parts.get(s.file()), client, options, inbox, validators, buffers, pipes,
                        limit);
                if (!scheduler.startedOnOwnConnection(s.mirror())) {
                    t.noExtraConnection(); // an early request the budget does not count: it may not open one
                }
                live.put(s.request(), t);
                speed.put(s.request(), new ArrayDeque<>());
                MirrorStats m = stats(s.mirrorId());
                m.requests++;
                if (m.live++ == 0) {
                    m.busySince = System.nanoTime();
                }
                pendingStarts.add(t);
            } else if (a instanceof Action.CancelRequest c) {
                Transfer t = live.get(c.request());
                if (t != null) {
                    t.stop(Transfer.Stop.CANCELLED);
                }
            } else if (a instanceof Action.ShrinkRequest s) {
                Transfer t = live.get(s.request());
                if (t != null) {
                    t.shrink(s.newEndPiece());
                }
            } else if (a instanceof Action.WakeAt w) {
                // The scheduler keeps one timer: a new WakeAt replaces the one before (which may be earlier
                // but already past, its Timer not yet delivered). Keeping the earlier one would lose this one.
                nextWake = w.time();
            } else if (a instanceof Action.FileCompleted c) {
                pendingFinal.add(c.file());
            } else if (a instanceof Action.FileFailed ff) {
                outcome.set(ff.file(), new Outcome(false, ff.reason(), false, resumed.get(ff.file())[0], now(), Map.of(),
                        Map.of()));
                ended(ff.file());
            }
        }

        private final List<Transfer> pendingStarts = new ArrayList<>();
        private final List<Integer> pendingFinal = new ArrayList<>();

        private FetchReport.FileResult result(int f) {
            Outcome o = outcome.get(f);
            return new FetchReport.FileResult(batch.get(f).plan().name(), batch.get(f).plan().size(), o.ok, o.detail,
                    o.resumedBytes, o.seconds);
        }

        /** The download was stopped for good: a refused source, a local error, a file that cannot be placed. */
        private boolean stopped() {
            return refusal != null || fatal != null || localError != null;
        }

        private boolean finished() {
            if (!fed && !stopped()) {
                return false;
            }
            for (Outcome o : outcome) {
                if (o == null) {
                    return false;
                }
            }
            // Every file is placed or failed: a transfer still live has nothing left to give (it reads the rest
            // of a shrunk answer past, or a cancelled one's) and is stopped on the way out, not waited for.
            return true;
        }

        /**
         * A daemon thread of this download whose uncaught failure (an {@link OutOfMemoryError}, a bug) ends the
         * download instead of leaving the loop waiting for a message that thread will never send.
         */
        private Thread worker(Runnable r, String name) {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            t.setUncaughtExceptionHandler((thread, e) -> crashed(e));
            return t;
        }

        /**
         * A worker thread died of {@code e}: the loop rethrows it within a tick. Allocates nothing but the wake-up
         * (and that may fail: the loop looks at least every {@link #TICK_NANOS} anyway), as {@code e} is often an
         * {@link OutOfMemoryError}.
         */
        private void crashed(Throwable e) {
            if (crash == null) {
                crash = e;
            }
            try {
                inbox.offer(Msg.Wake.INSTANCE);
            } catch (Throwable again) {
                // the loop finds the crash on its next tick
            }
        }

        /** The first uncaught failure of a worker thread, for the loop to rethrow; null while there is none. */
        private volatile Throwable crash;

        private void rethrowCrash() {
            Throwable e = crash;
            if (e instanceof Error err) {
                throw err;
            }
            if (e instanceof RuntimeException re) {
                throw re;
            }
            if (e != null) {
                throw new IllegalStateException(e);
            }
        }

        private void loop(ExecutorService workers, ExecutorService disk) throws IOException {
            long lastTick = System.nanoTime();
            long lastFlush = lastTick;
            while (!finished()) {
                rethrowCrash();
                long waitNanos = TICK_NANOS - (System.nanoTime() - lastTick);
                if (Double.isFinite(nextWake)) {
                    waitNanos = Math.min(waitNanos, (long) ((nextWake - now()) * 1e9));
                }
                if (!arrivals.isEmpty() && !stopped()) {
                    waitNanos = 0;
                }
                Msg m;
                try {
                    m = waitNanos > 0 ? inbox.poll(waitNanos, TimeUnit.NANOSECONDS) : inbox.poll();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted");
                }
                int drained = 0;
                while (m != null) {
                    receive(m);
                    dispatch(workers, disk);
                    if (++drained >= 256) {
                        break;
                    }
                    m = inbox.poll();
                }
                if (sourceGood && !accepted && !stopped()) {
                    try {
                        sourceEnded(null, workers, disk);
                    } catch (IOException e) {
                        fail(e);
                    }
                }
                // The feed's files are opened one per turn, and more while no worker waits to be heard (each
                // is a mirror waiting for its next range, or a piece to account for): a cold JVM takes a tenth
                // of a second to open 200.
                for (Object next; !stopped() && (next = arrivals.poll()) != null; ) {
                    try {
                        arrive(next, workers, disk);
                    } catch (IOException e) {
                        fail(e);
                    }
                    if (workerWaiting(inbox)) {
                        break;
                    }
                }
                if (Double.isFinite(nextWake) && now() >= nextWake) {
                    nextWake = Double.POSITIVE_INFINITY;
                    handle(new Event.Timer(now()));
                    dispatch(workers, disk);
                }
                long t = System.nanoTime();
                if (t - lastTick >= TICK_NANOS) {
                    lastTick = t;
                    if (live.isEmpty() && !Double.isFinite(nextWake) && pendingFinal.isEmpty()) {
                        handle(new Event.Timer(now())); // idle with nothing to wait for: let the scheduler look again
                        dispatch(workers, disk);
                    }
                    watchdog(t);
                    if (accepted) { // a refused source says only why: no progress, no per-file lines
                        listener.progress(progress());
                    }
                }
                if (t - lastFlush >= FLUSH_NANOS) {
                    lastFlush = t;
                    for (PartFile p : parts) {
                        disk.execute(() -> flushQuietly(p));
                    }
                }
            }
            rethrowCrash();
            if (accepted && fatal == null) { // a download that could not go on says only why (run throws)
                listener.progress(progress());
            }
        }

        /** Tells the listener file {@code f} ended; before the source is found good, when it is. */
        private void ended(int f) {
            if (accepted) {
                listener.fileEnded(result(f));
            } else {
                endedEarly.add(f);
            }
        }

        private final List<Integer> endedEarly = new ArrayList<>();

        private void dispatch(ExecutorService workers, ExecutorService disk) {
            if (!pendingStarts.isEmpty()) {
                for (Transfer t : pendingStarts) {
                    workers.execute(t);
                }
                pendingStarts.clear();
            }
            if (!pendingFinal.isEmpty() && accepted && !stopped()) {
                for (int f : pendingFinal) {
                    disk.execute(() -> finalizeFile(f));
                }
                pendingFinal.clear();
            }
        }

        private void flushQuietly(PartFile p) {
            if (p.allStored()) {
                // Its commit forces it to disk, and is on its way: journaling it first only put another forced
                // write or two ahead of that commit on this thread (at a download's end, on the path to it).
                return;
            }
            try {
                p.flush();
            } catch (IOException e) {
                inbox.add(new Msg.LocalError(p.target() + ".part: " + e.getMessage()));
            }
        }

        /** On the disk thread: checks the whole-file hash and moves the file into place. */
        private void finalizeFile(int f) {
            PartFile part = parts.get(f);
            FilePlan plan = part.plan();
            try {
                part.awaitWrites(); // the last piece may still be on its way to the disk
                Digest h = plan.fileHash();
                if (h != null) {
                    part.truncateToSize();
                    if (!h.matches(part.wholeHash())) {
                        if (plan.hasPieceHashes()) {
                            part.discard();
                            inbox.add(new Msg.Finalized(f, false, false, "every piece verified but the whole-file "
                                    + h.algorithm().metalinkName() + " does not match: the source contradicts itself"));
                        } else {
                            part.flush(); // what is kept while the bad mirror is looked for
                            inbox.add(new Msg.Finalized(f, false, true, "the whole-file "
                                    + h.algorithm().metalinkName() + " does not match"));
                        }
                        return;
                    }
                }
                part.commit();
                String how = plan.hasPieceHashes()
                        ? "verified: " + plan.pieceCount() + " " + plan.pieceHash(0).algorithm().metalinkName()
                        + (plan.pieceCount() == 1 ? " piece" : " pieces")
                        + (h != null ? " and " + h.algorithm().metalinkName() : "")
                        : h != null ? "verified: " + h.algorithm().metalinkName() : "UNVERIFIED: no hash given";
                inbox.add(new Msg.Finalized(f, true, false, how));
            } catch (IOException e) {
                inbox.add(new Msg.Finalized(f, false, false, "could not finish " + part.target() + ": " + e.getMessage()));
            }
        }

        private void receive(Msg m) {
            if (m instanceof Msg.Bytes || m instanceof Msg.PieceOk) {
                underway();
            }
            if (m instanceof Msg.Bytes b) {
                Transfer t = live.get(b.request());
                if (t != null) {
                    stats(t.mirror).received += b.bytes();
                    fileBytes.get(t.file)[1] += b.bytes();
                    handle(new Event.BytesArrived(at(b.nanos()), b.request(), b.bytes()));
                }
            } else if (m instanceof Msg.PieceOk p) {
                Transfer t = live.get(p.request());
                long len = batch.get(t.file).plan().pieceLength(p.piece());
                if (p.written()) {
                    stats(t.mirror).bytes += len;
                    verified += len;
                    fileBytes.get(t.file)[0] += len;
                }
                handle(new Event.PieceVerified(at(p.nanos()), p.request(), p.piece()));
            } else if (m instanceof Msg.PieceBad p) {
                Transfer t = live.get(p.request());
                MirrorStats s = stats(t.mirror);
                s.badPieces++;
                String agrees = sameBadBytes(t, p);
                if (agrees == null) {
                    s.lastError = "piece " + p.piece() + ": " + p.reason().description();
                    handle(new Event.PieceFailed(now(), p.request(), p.piece(), p.reason()));
                } else {
                    // Two mirrors sent the same bytes, which the plan's hash refuses: another version of the file
                    // (both out of date, or the plan is), not corruption. Each is dropped for this file only.
                    String why = "piece " + p.piece() + " of " + batch.get(t.file).plan().name()
                            + ": the same bytes from " + t.mirror + " and " + agrees + ", not the plan's: another version";
                    s.lastError = why;
                    stats(agrees).lastError = why;
                    handle(new Event.OtherVersion(now(), t.file, agrees));
                    handle(new Event.PieceFailed(now(), p.request(), p.piece(), org.mirrorswarm.strategies.FailureReason.STALE));
                }
            } else if (m instanceof Msg.Done d) {
                end(d.request(), null, null);
            } else if (m instanceof Msg.Failed x) {
                end(x.request(), x.reason(), x.detail());
            } else if (m instanceof Msg.NotPipelined n) {
                handle(new Event.NotPipelined(now(), n.mirror()));
            } else if (m instanceof Msg.LocalError e) {
                if (localError == null) {
                    localError = e.message();
                    stoppedBy = localError;
                    stopAll(localError);
                }
            } else if (m instanceof Msg.Finalized fin) {
                Outcome was = outcome.get(fin.file());
                if (was == null || fin.ok() && !was.ok) { // in place, though the download was stopped meanwhile
                    Map<Integer, String> sources = new HashMap<>();
                    Map<Integer, byte[]> shas = new HashMap<>();
                    if (fin.wholeFileMismatch()) {
                        PartFile p = parts.get(fin.file());
                        for (int q = 0; q < p.plan().pieceCount(); q++) {
                            if (p.pieceSource(q) != null) {
                                sources.put(q, p.pieceSource(q));
                                shas.put(q, p.pieceSha256(q));
                            }
                        }
                    }
                    outcome.set(fin.file(), new Outcome(fin.ok(), fin.detail(), fin.wholeFileMismatch(),
                            resumed.get(fin.file())[0], now(), sources, shas));
                    ended(fin.file());
                }
            }
        }

        /**
         * Another mirror whose bad copy of the same piece hashed as this one did, or null (this one is kept to
         * compare with later ones).
         */
        private String sameBadBytes(Transfer t, Msg.PieceBad p) {
            Map<String, byte[]> seen = badCopies.computeIfAbsent(((long) t.file << 32) | p.piece(), k -> new HashMap<>());
            for (Map.Entry<String, byte[]> e : seen.entrySet()) {
                if (!e.getKey().equals(t.mirror) && Arrays.equals(e.getValue(), p.digest())) {
                    return e.getKey();
                }
            }
            seen.put(t.mirror, p.digest());
            return null;
        }

        private void end(int request, org.mirrorswarm.strategies.FailureReason reason, String detail) {
            Transfer t = live.remove(request);
            speed.remove(request);
            if (t == null) {
                return;
            }
            MirrorStats s = stats(t.mirror);
            if (--s.live == 0) {
                s.busyNanos += System.nanoTime() - s.busySince;
            }
            if (reason == null) {
                handle(new Event.SlotFree(now(), request));
            } else {
                if (reason != org.mirrorswarm.strategies.FailureReason.CANCELLED) {
                    s.failures++;
                    s.lastError = reason.description() + (detail == null ? "" : ": " + detail);
                }
                handle(new Event.RequestFailed(now(), request, reason));
            }
        }

        /** Stops transfers that wait too long for headers or data, or crawl below the low-speed limit. */
        private void watchdog(long t) {
            long headerNanos = options.headerTimeout().toNanos();
            long firstByteNanos = options.firstByteTimeout().toNanos();
            long window = options.lowSpeedTime().toNanos();
            for (Transfer tr : live.values()) {
                if (tr.stop != Transfer.Stop.NONE) {
                    continue;
                }
                if (tr.headersNanos == 0) {
                    long started = tr.startNanos;
                    if (started != 0 && t - started > headerNanos) { // 0: still waiting for a piece buffer
                        tr.stop(Transfer.Stop.TIMEOUT);
                    } else {
                        long unanswered = tr.unansweredLimitNanos();
                        if (started != 0 && unanswered > 0 && t - started > unanswered) {
                            tr.stop(Transfer.Stop.UNANSWERED);
                        }
                    }
                    continue;
                }
                // From here on, time on the transfer's own clock: without the waits the rate limit imposed on it
                // (none before its headers). Without a limit, te is t.
                long te = tr.effective(t);
                long last = Math.max(tr.headersNanos, tr.lastByteEffective);
                if (te - last > firstByteNanos) {
                    tr.stop(Transfer.Stop.TIMEOUT);
                    continue;
                }
                if (options.lowSpeedLimit() > 0 && window > 0) {
                    ArrayDeque<long[]> q = speed.get(tr.id);
                    q.addLast(new long[] {te, tr.bytes});
                    while (q.size() > 2 && q.peekFirst()[0] < te - window - TICK_NANOS) {
                        q.removeFirst();
                    }
                    long[] oldest = q.peekFirst();
                    if (te - tr.headersNanos >= window && te - oldest[0] >= window
                            && (tr.bytes - oldest[1]) < options.lowSpeedLimit() * (double) (te - oldest[0]) / 1e9) {
                        tr.stop(Transfer.Stop.LOW_SPEED);
                    } else if (collapsed(tr, q, te)) {
                        tr.stop(Transfer.Stop.COLLAPSED);
                    }
                }
            }
        }

        /**
         * A transfer that delivered whole pieces and then slowed to under a sixteenth of its mirror's
         * measured rate for the longer of two seconds and eight piece-times: the absolute low-speed limit
         * would wait for a trickle of a few KiB/s for minutes. Stopped as low speed; the scheduler then asks
         * that mirror for shorter ranges.
         */
        private boolean collapsed(Transfer tr, ArrayDeque<long[]> q, long t) {
            int m = scheduler.book().indexOf(tr.mirror);
            if (m < 0 || tr.bytes < batch.get(tr.file).plan().pieceLength()) {
                return false;
            }
            double rate = scheduler.book().throughput(m);
            if (Double.isNaN(rate) || !(rate > 0)) {
                return false;
            }
            long span = (long) (Math.max(2.0, 8.0 * batch.get(tr.file).plan().pieceLength() / rate) * 1e9);
            if (t - tr.headersNanos < span) {
                return false;
            }
            long[] then = null;
            for (long[] s : q) {
                if (s[0] <= t - span) {
                    then = s;
                } else {
                    break;
                }
            }
            return then != null && (tr.bytes - then[1]) < rate / 16 * (t - then[0]) / 1e9;
        }

        private FetchListener.Progress progress() {
            int done = 0;
            int failed = 0;
            Set<String> inUse = new HashSet<>();
            Map<Integer, Set<String>> byFile = new TreeMap<>();
            for (Transfer t : live.values()) {
                inUse.add(t.mirror);
                byFile.computeIfAbsent(t.file, k -> new HashSet<>()).add(t.mirror);
            }
            List<FetchListener.FileProgress> active = new ArrayList<>(byFile.size());
            for (Map.Entry<Integer, Set<String>> e : byFile.entrySet()) {
                FilePlan plan = batch.get(e.getKey()).plan();
                long[] b = fileBytes.get(e.getKey());
                active.add(new FetchListener.FileProgress(plan.name(), b[0], Math.min(plan.size(), Math.max(b[0], b[1])),
                        plan.size(), e.getValue().size()));
            }
            for (Outcome o : outcome) {
                if (o != null) {
                    if (o.ok) {
                        done++;
                    } else {
                        failed++;
                    }
                }
            }
            return new FetchListener.Progress(verified, total, done, failed, batch.size(), live.size(), inUse.size(),
                    (System.nanoTime() - t0) / 1e9, active, live.isEmpty() && done + failed < batch.size() ? waiting() : null);
        }

        /** The mirrors banned for now, when the first may be asked again and why it was banned; null for none. */
        private FetchListener.Waiting waiting() {
            MirrorBook book = scheduler.book();
            double now = now();
            int banned = 0;
            int first = -1;
            for (int i = 0; i < book.size(); i++) {
                if (!book.isExcluded(i) && book.isBanned(i, now)) {
                    banned++;
                    if (first < 0 || book.bannedUntil(i) < book.bannedUntil(first)) {
                        first = i;
                    }
                }
            }
            if (first < 0) {
                return null;
            }
            FailureReason why = book.lastFailure(first);
            return new FetchListener.Waiting(banned, book.bannedUntil(first) - now, why == null ? "" : why.description());
        }
    }
}
