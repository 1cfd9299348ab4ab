package org.mirrorswarm.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import okhttp3.HttpUrl;
import org.mirrorswarm.live.FetchListener;
import org.mirrorswarm.live.FetchOptions;
import org.mirrorswarm.live.FetchReport;
import org.mirrorswarm.live.FileFeed;
import org.mirrorswarm.live.GeneralClient;
import org.mirrorswarm.live.HeadStart;
import org.mirrorswarm.live.LiveDownload;
import org.mirrorswarm.live.LiveFile;
import org.mirrorswarm.live.MetalinkGuard;
import org.mirrorswarm.live.Sources;
import org.mirrorswarm.live.TraceFile;
import org.mirrorswarm.live.manifest.Keys;
import org.mirrorswarm.live.manifest.ManifestException;
import org.mirrorswarm.live.manifest.ManifestGuard;
import org.mirrorswarm.live.manifest.RepoManifest;
import org.mirrorswarm.live.metalink.Metalink;
import org.mirrorswarm.live.metalink.MetalinkException;
import org.mirrorswarm.live.metalink.MetalinkReader;
import org.mirrorswarm.live.metalink.SafeNames;
import org.mirrorswarm.strategies.Digest;
import org.mirrorswarm.strategies.HashAlgorithm;
import org.mirrorswarm.strategies.Scheduler;
import org.mirrorswarm.strategies.SchedulerConfig;
import org.mirrorswarm.strategies.StrategySpec;
import org.mirrorswarm.strategies.Units;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code mirrorswarm fetch}: downloads real files from several HTTP mirrors at once, verifying every piece. */
@Command(
        name = "fetch",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = {
            "Downloads files by byte range from several HTTP mirrors at once with the shared scheduler, verifying "
                    + "every piece before it is written. A file appears under its final name only after its whole-file "
                    + "hash matches; until then it is NAME.part with a journal, and running the same command again "
                    + "resumes without fetching a verified piece twice.",
            "SOURCE is a Metalink file (.meta4, .metalink), the URL of one, or a plain URL whose server names its "
                    + "mirrors with RFC 6249 Link and Digest headers. With --mirror, SOURCE is the file NAME and "
                    + "--sha256 its hash.",
            ""
        },
        footer = {
            "",
            "Environment: http_proxy, https_proxy (HTTPS_PROXY), all_proxy (ALL_PROXY): an http:// proxy, with "
                    + "user:password@ if it asks; no_proxy (NO_PROXY): hosts (and their sub-domains) reached directly."
        })
public final class FetchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    /** Where output goes when the command was read without picocli ({@link FetchArgs}); else picocli's writers. */
    PrintWriter out;
    PrintWriter err;

    @Parameters(index = "0", arity = "0..1", paramLabel = "SOURCE",
            description = "Metalink file or URL, plain URL, or NAME with --mirror; with --manifest, a file of the repository")
    String source;

    @Parameters(index = "1..*", arity = "0..*", paramLabel = "NAME", description = "With --manifest: more files of the repository.")
    List<String> moreNames = new ArrayList<>();

    @Option(names = "--manifest", paramLabel = "URL|FILE",
            description = "A signed repository manifest (e.g. http://tracker/repo.manifest): fetch the named files, or all, "
                    + "verified against its hashes. Needs --public-key.")
    String manifest;

    @Option(names = "--public-key", paramLabel = "FILE", description = "The Ed25519 public key the manifest must be signed with.")
    Path publicKey;

    @Option(names = "--mirrors-from", paramLabel = "URL|FILE",
            description = "Mirror base URLs, one per line (default: repo.mirrors next to the manifest). Hints only.")
    String mirrorsFrom;

    @Option(names = {"-d", "--dir"}, paramLabel = "DIR", description = "Target folder (default: the current one).")
    Path dir = Path.of(".");

    @Option(names = "--mirror", paramLabel = "URL", description = "A mirror's URL of the file (repeat, most preferred first).")
    List<String> mirrors = new ArrayList<>();

    @Option(names = "--sha256", paramLabel = "HEX", description = "The file's SHA-256 (with --mirror).")
    String sha256;

    @Option(names = "--size", paramLabel = "BYTES", description = "The file's size (with --mirror; asked of the mirrors otherwise).")
    String size;

    @Option(names = {"-s", "--strategy"}, paramLabel = "ID", description = "Chunk strategy (default: adaptive), with parameters as ID(NAME=VALUE,…), e.g. 'adaptive(target-duration=1s)'; see 'mirrorswarm strategies'.")
    String strategy = "adaptive";

    @Option(names = "--selector", paramLabel = "ID", description = "Mirror selector (default: the chunk strategy's own); ID(NAME=VALUE,…) sets parameters.")
    String selector;

    @Option(names = "--tail", paramLabel = "ID", description = "Tail policy (default: the chunk strategy's own); ID(NAME=VALUE,…) sets parameters.")
    String tail;

    @Option(names = {"-x", "--max-connections"}, paramLabel = "N", description = "Connections at once over all files (default: 16).")
    int maxConnections = 16;

    @Option(names = "--per-mirror", paramLabel = "N", description = "Connections at once per mirror host (default: 1).")
    int perMirror = 1;

    @Option(names = "--no-early-requests", description = "Never ask a mirror for its next range before its last one has ended (by default up to sixteen more may be asked (--pipeline-depth), pipelined on its connection, once the mirror should deliver all it was asked for within a round trip; on at most two more connections where they cannot be pipelined; a mirror that turns three away gets no more).")
    boolean noEarlyRequests;

    @Option(names = "--pipeline-depth", paramLabel = "N", description = "Early requests a mirror may have queued on its connection behind the answer in progress (1–64, default: 16; apt's Acquire::http::Pipeline-Depth is 10).")
    Integer pipelineDepth;

    @Option(names = "--no-pipelining", description = "Ask every mirror through the general HTTP client: one request per connection at a time, or HTTP/2 streams where an https mirror offers it (by default http and https mirrors are asked over the client's own HTTP/1.1 connections, early requests pipelined behind the answer in progress).")
    boolean noPipelining;

    @Option(names = "--ca-certificate", paramLabel = "FILE", description = "Also trust the certificate authorities in FILE (PEM or DER) for https mirrors, besides the system's.")
    Path caCertificate;

    @Option(names = "--tls-engine", paramLabel = "ENGINE", description = "What speaks TLS to https mirrors: auto "
            + "(the default: Conscrypt, BoringSSL in native code, where its library loads on this machine, else the JDK's), "
            + "conscrypt or jdk. Chains are checked by the JDK's trust store either way.")
    String tlsEngine = "auto";

    @Option(names = "--connect-timeout", paramLabel = "TIME", description = "Connect timeout (default: 5s).")
    String connectTimeout = "5s";

    @Option(names = "--header-timeout", paramLabel = "TIME", description = "From request to response headers (default: 15s).")
    String headerTimeout = "15s";

    @Option(names = "--first-byte-timeout", paramLabel = "TIME", description = "From headers to the first byte, and between bytes (default: 15s).")
    String firstByteTimeout = "15s";

    @Option(names = "--low-speed-limit", paramLabel = "BYTES", description = "Give up a transfer slower than this per second … (default: 1KiB).")
    String lowSpeedLimit = "1KiB";

    @Option(names = "--low-speed-time", paramLabel = "TIME", description = "… over this long (default: 20s).")
    String lowSpeedTime = "20s";

    @Option(names = "--limit-rate", paramLabel = "BYTES", description = "Read at most this many bytes per second in all, "
            + "over every mirror and file, e.g. 2MiB or 500KiB/s (default: 0, no limit). Waits on it do not count against the "
            + "timeouts and speed limits above.")
    String limitRate;

    @Option(names = "--piece-size", paramLabel = "BYTES", description = "Piece length when the source gives no piece hashes (default: 1MiB).")
    String pieceSize = "1MiB";

    @Option(names = "--overwrite", description = "Replace an existing file of the same name that does not match.")
    boolean overwrite;

    @Option(names = "--allow-unverified", description = "Fetch files that come with no hash at all (not recommended).")
    boolean allowUnverified;

    @Option(names = "--json", description = "Print the summary as JSON on standard output (progress goes to standard error).")
    boolean json;

    @Option(names = "--trace", paramLabel = "FILE", description = "Write the scheduler's decision trace (draw it with 'mirrorswarm report FILE').")
    Path traceFile;

    @Option(names = {"-q", "--quiet"}, description = "No progress, notes or final table; only why a file failed "
            + "(its FAIL line, on standard error).")
    boolean quiet;

    /**
     * The general HTTP client, built without TLS and only when first asked for ({@link GeneralClient}: mirrors
     * served over the live client's own connections never ask): https requests use TLS set up on a thread of its
     * own while the download starts ({@link org.mirrorswarm.live.Trust.Pending}), trusting the system's
     * authorities, and with {@code --ca-certificate} those of the file too (read now, so that a bad one stops the
     * command here). {@code tls}: an https URL is known already (its set-up starts now, if {@link #startTls} has
     * not).
     */
    private GeneralClient client(FetchOptions options, boolean tls) {
        if (caCertificate == null) {
            if (tls) {
                org.mirrorswarm.live.Trust.Pending.system();
            }
            return GeneralClient.later(options, null);
        }
        org.mirrorswarm.live.Trust.Pending p = earlyTls != null ? earlyTls
                : org.mirrorswarm.live.Trust.Pending.start(caCertificate);
        try {
            p.awaitFile();
        } catch (IOException e) {
            throw new UserException("--ca-certificate " + e.getMessage(), e);
        }
        return GeneralClient.later(options, p);
    }

    /** Ctrl-C or a SIGTERM while this command runs; see {@link OnSignal}. */
    private OnSignal signal;

    @Override
    public Integer call() throws IOException {
        try (OnSignal s = new OnSignal()) {
            signal = s;
            return fetch();
        }
    }

    private Integer fetch() throws IOException {
        PrintWriter out = out();
        PrintWriter err = err();
        FetchOptions options = options();
        org.mirrorswarm.live.Trust.Engine engine = tlsEngine();
        org.mirrorswarm.live.Trust.engine(engine);
        String cannot = org.mirrorswarm.live.Trust.unavailable(engine);
        if (cannot != null) {
            throw new UserException("--tls-engine " + tlsEngine + ": " + cannot);
        }
        checkTrace();
        Folders.refuseFileOnPath("-d", dir, dir);
        if (manifest != null) {
            return fromManifest(options, out, err);
        }
        if (source == null) {
            throw new UserException("give a SOURCE (a Metalink file or URL, a plain URL, or NAME with --mirror), or --manifest");
        }
        if (!moreNames.isEmpty()) {
            throw new UserException("one SOURCE at a time (several names only with --manifest): " + moreNames.get(0));
        }
        if (publicKey != null || mirrorsFrom != null) {
            throw new UserException((publicKey != null ? "--public-key" : "--mirrors-from") + " goes with --manifest");
        }
        // The client is built while the Metalink may still be being read ahead (see MetalinkPrefetch). TLS is set
        // up on a thread of its own: from the JVM's start for an https URL or a --ca-certificate on the command
        // line (startTls), when the Metalink read ahead names an https URL, else when one is first asked (a
        // redirect; LiveDownload.newCall).
        boolean tls = !mirrors.isEmpty() ? mirrors.stream().anyMatch(m -> m.startsWith("https:"))
                : source.startsWith("https://");
        GeneralClient client = client(options, tls);
        warmUp(!options.pipelining());
        if (mirrors.isEmpty() && isLocalFile(source)) {
            List<String> notes = java.util.Collections.synchronizedList(new ArrayList<>());
            FileFeed feed = MetalinkPrefetch.feed(source, options, client, notes, m -> {
                notes.addAll(0, m.notes());
                try {
                    return accept(m, source, notes, err);
                } catch (IOException e) {
                    return e.getMessage();
                }
            });
            if (feed != null) {
                Path made = Folders.create(dir);
                FetchReport report;
                try {
                    report = download(feed, options, client);
                } catch (LiveDownload.Refused e) {
                    Folders.removeIfEmpty(dir, made);
                    throw new UserException(e.getMessage(), e);
                }
                List<String> seen;
                synchronized (notes) { // the feed may still be adding some if the download stopped early
                    seen = List.copyOf(notes);
                }
                return finish(report, seen, out);
            }
        }
        List<String> notes = new ArrayList<>();
        List<LiveFile> files;
        Metalink metalink = null;
        String metalinkSource = null;
        try {
            if (!mirrors.isEmpty()) {
                if (sha256 == null) {
                    throw new UserException("--sha256 is required with --mirror (the whole file is verified with it)");
                }
                Digest whole;
                try {
                    whole = Digest.ofHex(HashAlgorithm.SHA_256, sha256);
                } catch (IllegalArgumentException e) {
                    throw new UserException("--sha256: " + e.getMessage());
                }
                long s = size == null ? -1 : bytes("--size", size);
                files = List.of(Sources.fromMirrors(source, mirrors, whole, s, options, client.get(), notes));
            } else if (source.startsWith("http://") || source.startsWith("https://")) {
                Sources.Resolved r = Sources.resolve(source, options, client.get(), notes);
                if (r.metalink() != null) {
                    metalink = r.metalink();
                    metalinkSource = source;
                    files = Sources.fromMetalink(metalink, options, client, notes);
                } else {
                    files = List.of(r.file());
                }
            } else {
                Path f = Path.of(source);
                if (!Files.isRegularFile(f)) {
                    throw new UserException(notAMetalinkFile(source));
                }
                byte[] doc;
                try (var in = Files.newInputStream(f)) {
                    doc = MetalinkReader.readCapped(in, source);
                }
                metalink = MetalinkReader.parse(doc, source, null);
                metalinkSource = source;
                files = Sources.fromMetalink(metalink, options, client, notes);
            }
        } catch (MetalinkException | IOException e) {
            // The network's own messages ("Failed to connect to /127.0.0.1:9") do not say what was asked for.
            String m = String.valueOf(e.getMessage());
            HttpUrl asked = mirrors.isEmpty() ? HttpUrl.parse(source) : null;
            throw new UserException(asked != null && !(e instanceof MetalinkException) && !m.contains("://")
                    ? LiveFile.redact(asked) + ": " + m : m, e);
        }
        Path made = Folders.create(dir); // only now: a source that cannot be read leaves no empty folder behind
        FileFeed feed;
        if (metalink != null) {
            notes.addAll(0, metalink.notes());
            Metalink m = metalink;
            String from = metalinkSource;
            feed = FileFeed.of(files, () -> accept(m, from, notes, err));
        } else {
            printNotes(notes, err);
            feed = FileFeed.of(files);
        }
        FetchReport report;
        try {
            report = download(feed, options, client);
        } catch (LiveDownload.Refused e) {
            Folders.removeIfEmpty(dir, made);
            throw new UserException(e.getMessage(), e);
        }
        return finish(report, notes, out);
    }

    /**
     * Null when {@code m} is neither expired nor older than a Metalink already accepted for its files in the
     * target folder — it is then remembered as accepted at once, as TUF trusts newer metadata once verified
     * (a download made to fail must not open the door to an older Metalink), and the {@code notes} so far are
     * printed; else why it is refused. Run as the download's {@link FileFeed#accept}, under the target folder's
     * lock.
     */
    private String accept(Metalink m, String source, List<String> notes, PrintWriter err) throws IOException {
        String stale = MetalinkGuard.accept(m, source, dir, Instant.now());
        if (stale == null) {
            printNotes(notes, err);
        }
        return stale;
    }

    private PrintWriter out() {
        return out != null ? out : spec.commandLine().getOut();
    }

    private PrintWriter err() {
        return err != null ? err : spec.commandLine().getErr();
    }

    private void printNotes(List<String> notes, PrintWriter err) {
        if (!quiet && !json) {
            synchronized (notes) {
                for (String n : notes) {
                    err.println("note: " + n);
                }
            }
        }
    }

    /** A --trace that could not be written is refused before anything is fetched or made. */
    private void checkTrace() {
        if (traceFile == null) {
            return;
        }
        Path folder = traceFile.toAbsolutePath().getParent();
        if (Files.isDirectory(traceFile)) {
            throw new UserException("--trace " + traceFile + ": is a folder");
        }
        if (folder == null || !Files.isDirectory(folder)) {
            throw new UserException("--trace " + traceFile + ": no such folder " + folder);
        }
        if (!Files.isWritable(folder)) {
            throw new UserException("--trace " + traceFile + ": cannot write in " + folder);
        }
    }

    private FetchReport download(FileFeed files, FetchOptions options, GeneralClient client) throws IOException {
        PrintWriter err = err();
        Display progress = quiet ? null : Terminal.interactive() ? new Board(err) : new Lines(err);
        try (TraceFile trace = traceFile == null ? null : new TraceFile(traceFile, options.scheduler())) {
            LiveDownload download = new LiveDownload(files, dir, options,
                    progress == null ? FetchListener.NONE : progress, trace, client);
            signal.watch(download);
            FetchReport report = download.run();
            if (trace != null) {
                trace.keep(); // accepted: the trace stays whatever became of the files (a refusal leaves none)
            }
            if (download.interrupted() || download.stoppedBy() != null) {
                if (progress != null) {
                    progress.close();
                    progress = null;
                }
                err.println(download.interrupted()
                        ? "mirrorswarm: fetch " + INTERRUPTED + "; every verified piece is journaled in the "
                                + ".part files: run the same command again to resume"
                        : "mirrorswarm: fetch stopped: " + download.stoppedBy() + "; every verified piece is journaled "
                                + "in the .part files: once that is put right, run the same command again to resume");
                err.flush();
            }
            return report;
        } finally {
            if (progress != null) {
                progress.close();
            }
        }
    }

    private static final String INTERRUPTED = "interrupted";

    /**
     * Ctrl-C (SIGINT) or SIGTERM during a fetch: the JVM runs its shutdown hooks and exits with 130 or 143.
     * The hook stops the download ({@link LiveDownload#interrupt}) and waits, for at most ten seconds, for
     * this command to end: every verified piece is then journaled for a resume and the summary printed.
     * Without it, the pieces verified since the last periodic journal flush (half a second) would be lost.
     */
    private static final class OnSignal implements AutoCloseable {
        private final Thread hook = new Thread(this::stop, "mirrorswarm-signal");
        private final CountDownLatch ended = new CountDownLatch(1);
        private LiveDownload download;
        private boolean signalled;

        OnSignal() {
            Runtime.getRuntime().addShutdownHook(hook);
        }

        synchronized void watch(LiveDownload d) {
            download = d;
            if (signalled) {
                d.interrupt(INTERRUPTED);
            }
        }

        private void stop() {
            synchronized (this) {
                signalled = true;
                if (download == null) {
                    return; // nothing fetched yet: nothing to keep
                }
                download.interrupt(INTERRUPTED);
            }
            try {
                ended.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void close() {
            ended.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // the JVM is shutting down (the signal came): the hook is running or has run
            }
        }
    }

    private int finish(FetchReport report, List<String> notes, PrintWriter out) {
        // What the download itself noticed (a file fetched again one mirror at a time, a file list not read to
        // its end) comes after what the sources said.
        printNotes(report.notes(), err());
        if (json) {
            List<String> all = new ArrayList<>(notes);
            all.addAll(report.notes());
            out.print(Json.of(report, all));
        } else if (!quiet) {
            table(out, report, rate("--limit-rate", limitRate));
        } else {
            for (FetchReport.FileResult f : report.files()) { // why a file failed is said even when quiet
                if (!f.ok()) {
                    err().println(line(f));
                }
            }
        }
        out.flush();
        return report.ok() ? ExitCodes.OK : ExitCodes.FAILED;
    }

    /** {@code --manifest}: verify the signed manifest, refuse stale or rolled-back ones, fetch from the hinted mirrors. */
    private int fromManifest(FetchOptions options, PrintWriter out, PrintWriter err) throws IOException {
        if (publicKey == null) {
            throw new UserException("--manifest needs --public-key: a manifest's hashes are only as good as its signature");
        }
        if (!Files.isRegularFile(publicKey)) {
            throw new UserException("--public-key " + publicKey + ": no such file");
        }
        if (!mirrors.isEmpty() || sha256 != null || size != null) {
            throw new UserException("--mirror, --sha256 and --size do not go with --manifest (use --mirrors-from)");
        }
        List<String> names = new ArrayList<>();
        if (source != null) {
            names.add(source);
        }
        names.addAll(moreNames);
        for (String n : names) {
            String problem = SafeNames.problem(n);
            if (problem != null) {
                throw new UserException(SafeNames.printable(n) + ": " + problem);
            }
        }
        boolean remote = manifest.startsWith("http://") || manifest.startsWith("https://");
        GeneralClient client = client(options, false); // TLS is set up when an https URL comes up
        Files.createDirectories(dir);
        List<String> notes = new ArrayList<>();
        RepoManifest m;
        List<String> bases;
        String fingerprint;
        try {
            PublicKey key = Keys.readPublic(publicKey);
            fingerprint = Keys.fingerprint(key);
            byte[] bytes;
            if (remote) {
                HttpUrl u = HttpUrl.parse(manifest);
                if (u == null) {
                    throw new UserException("--manifest: not a URL: " + manifest);
                }
                bytes = Sources.fetchCapped(u, RepoManifest.MAX_BYTES, options, client.get());
            } else {
                Path f = Path.of(manifest);
                if (!Files.isRegularFile(f)) {
                    throw new UserException(manifest + ": no such file");
                }
                if (Files.size(f) > RepoManifest.MAX_BYTES) {
                    throw new UserException(manifest + ": larger than " + (RepoManifest.MAX_BYTES >> 20) + " MiB");
                }
                bytes = Files.readAllBytes(f);
            }
            m = RepoManifest.verify(bytes, key, manifest);
            ManifestGuard.check(m, fingerprint, manifest, dir, Instant.now()); // and again under the folder's lock
            String list = mirrorsFrom;
            if (list == null) {
                if (!remote) {
                    throw new UserException("--mirrors-from is needed with a local manifest");
                }
                list = HttpUrl.parse(manifest).resolve("repo.mirrors").toString();
            }
            byte[] listBytes;
            if (list.startsWith("http://") || list.startsWith("https://")) {
                HttpUrl lu = HttpUrl.parse(list);
                if (lu == null) {
                    throw new UserException("--mirrors-from: not a URL: " + list);
                }
                listBytes = Sources.fetchCapped(lu, 1 << 20, options, client.get());
            } else {
                listBytes = Files.readAllBytes(Path.of(list));
            }
            bases = new String(listBytes, java.nio.charset.StandardCharsets.UTF_8).lines().map(String::strip)
                    .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
            if (bases.isEmpty()) {
                throw new UserException(list + ": no mirror listed");
            }
            notes.add(manifest + ": signature good (key " + fingerprint + "), published " + m.published() + ", expires "
                    + m.expires() + "; " + bases.size() + " mirror(s) as hints");
        } catch (ManifestException e) {
            throw new UserException(e.getMessage(), e);
        }
        List<LiveFile> files = Sources.fromManifest(m, names, bases, notes);
        printNotes(notes, err);
        RepoManifest signed = m;
        String key = fingerprint;
        FetchReport report;
        try {
            report = download(FileFeed.of(files, () -> {
                try {
                    ManifestGuard.check(signed, key, manifest, dir, Instant.now());
                } catch (ManifestException e) {
                    return e.getMessage();
                }
                ManifestGuard.remember(signed, key, dir); // trusted once verified, as a Metalink (see accept)
                return null;
            }), options, client);
        } catch (LiveDownload.Refused e) {
            throw new UserException(e.getMessage(), e);
        }
        return finish(report, notes, out);
    }

    /** Whether {@code source} names a regular local file (not a URL). */
    private static boolean isLocalFile(String source) {
        if (source.startsWith("http://") || source.startsWith("https://")) {
            return false;
        }
        try {
            return Files.isRegularFile(Path.of(source));
        } catch (java.nio.file.InvalidPathException e) {
            return false;
        }
    }

    /** The {@code --tls-engine} asked for; a {@link UserException} naming the option for an unknown one. */
    private org.mirrorswarm.live.Trust.Engine tlsEngine() {
        try {
            return org.mirrorswarm.live.Trust.Engine.named(tlsEngine);
        } catch (IllegalArgumentException e) {
            throw new UserException("--tls-engine: " + e.getMessage());
        }
    }

    /** TLS set up for {@code --ca-certificate} since the JVM started ({@link #startTls}), or null. */
    private org.mirrorswarm.live.Trust.Pending earlyTls;

    /**
     * Starts setting up TLS as the JVM starts (from {@link Main#main}, for a command line {@link FetchArgs}
     * read), on a thread of its own ({@link org.mirrorswarm.live.Trust.Pending}), when it names a {@code
     * --ca-certificate} or an https URL: it is ready about a tenth of a second sooner than when the command gets
     * to it. A bad certificate file is told when the command asks for the client, as it would have been.
     */
    void startTls() {
        try {
            org.mirrorswarm.live.Trust.engine(tlsEngine());
        } catch (UserException e) {
            return; // told when the command runs
        }
        if (caCertificate != null) {
            ownAuthorities = true;
            earlyTls = org.mirrorswarm.live.Trust.Pending.start(caCertificate);
        } else if (Stream.concat(Stream.of(source, manifest, mirrorsFrom), mirrors.stream())
                .anyMatch(u -> u != null && u.startsWith("https://"))) {
            org.mirrorswarm.live.Trust.Pending.system();
        }
    }

    /**
     * Whether the command line names a {@code --ca-certificate} (its set-up covers the system's authorities
     * too). Known early only for a command line {@link FetchArgs} read; one left to picocli may set up the
     * system's TLS for nothing when its Metalink names an https URL.
     */
    private static volatile boolean ownAuthorities;

    /**
     * Starts setting up the system's TLS when a Metalink read ahead names an https URL, unless the command
     * line's {@code --ca-certificate} has its own set-up going.
     */
    static void httpsAhead() {
        if (!ownAuthorities) {
            org.mirrorswarm.live.Trust.Pending.system();
        }
    }

    /**
     * Starts hashing on a thread of its own as the JVM starts (from {@link Main#main}, for a fetch): enough
     * updates for the launcher's compile thresholds on the digest classes (see {@code mirrorswarm}), so that the
     * first pieces are hashed by the processor's SHA instructions. Started after the options and the HTTP
     * client were built, as it used to be, the optimising compiler finished only as the first responses came
     * in: on the small-files benchmark the first piece (300 KB) took 56 ms from its first byte to its hash.
     *
     * <p>The updates are shaped as a transfer's are: copies of one digest, updates of any length at any offset
     * (a partial block left over, then completed), a {@code digest()} at the end. Whole aligned blocks alone
     * (as it was) left the optimising compiler no record of the partial-block paths: the first real update
     * took one of them, the compiled {@code engineUpdate} was thrown away, and the transfers hashed in
     * profiled C1 code until it was compiled again (0.28 to 0.38 s after launch in a logged run).
     */
    static void warmUpDigest() {
        HeadStart.start("mirrorswarm-digest-warm-up", () -> {
            try {
                java.security.MessageDigest first = java.security.MessageDigest.getInstance("SHA-256");
                byte[] data = new byte[512];
                for (int i = 0; i < 1024; i++) {
                    java.security.MessageDigest md = (java.security.MessageDigest) first.clone();
                    md.update(data, i & 63, 256 + i % 61);
                    md.update(data, 1 + (i & 127), 64 + i % 67);
                    md.digest();
                }
            } catch (java.security.NoSuchAlgorithmException | CloneNotSupportedException e) {
                // only a head start
            }
        });
    }

    /**
     * Loads and links the classes the download will need on the other core while this one reads the
     * Metalink: a fetch of a few megabytes should not spend a tenth of its time in class loading. (The
     * scheduler's are loaded already: {@link #options} built one to check the strategies.) OkHttp's only when
     * every request goes through it ({@code --no-pipelining}): else it is built only if a mirror needs it.
     */
    private static void warmUp(boolean generalClient) {
        HeadStart.start("mirrorswarm-warm-up", () -> {
            try {
                if (generalClient) {
                    Class.forName("okhttp3.internal.connection.RealCall");
                    Class.forName("okhttp3.internal.connection.RealConnection");
                    Class.forName("okhttp3.internal.http1.Http1ExchangeCodec");
                    Class.forName("okhttp3.internal.http.CallServerInterceptor");
                }
                Class.forName("org.mirrorswarm.live.store.PartFile");
                // OkHttp maps and normalizes every host name (IDNA, then the JDK's NFC normalizer, whose data
                // are read from the runtime image the first time): most of the 11-26 ms that planning the first
                // file took, its mirrors' URLs being parsed then. Done here, while the Metalink is still being read.
                okhttp3.HttpUrl.parse("http://mirrorswarm.invalid/");
            } catch (ReflectiveOperationException e) {
                // only a head start; the download loads what it needs anyway
            }
        });
    }

    FetchOptions options() {
        SchedulerConfig c;
        try {
            c = SchedulerConfig.defaults().withChunk(spec("--strategy", strategy));
            if (selector != null) {
                c = c.withSelector(spec("--selector", selector));
            }
            if (tail != null) {
                c = c.withTail(spec("--tail", tail));
            }
            if (maxConnections < 1 || maxConnections > 256) {
                throw new UserException("--max-connections: 1–256, got " + maxConnections);
            }
            if (perMirror < 1 || perMirror > 16) {
                throw new UserException("--per-mirror: 1–16, got " + perMirror);
            }
            if (pipelineDepth != null && (pipelineDepth < 1 || pipelineDepth > SchedulerConfig.MAX_EARLY_REQUESTS)) {
                throw new UserException("--pipeline-depth: 1–" + SchedulerConfig.MAX_EARLY_REQUESTS + ", got "
                        + pipelineDepth);
            }
            if (pipelineDepth != null && (noPipelining || noEarlyRequests)) {
                throw new UserException("--pipeline-depth does not go with " + (noPipelining ? "--no-pipelining"
                        : "--no-early-requests"));
            }
            c = c.withConnections(maxConnections, perMirror, 0).withEarlyRequests(noEarlyRequests ? 0
                    : noPipelining ? SchedulerConfig.EARLY_CONNECTIONS
                    : pipelineDepth != null ? pipelineDepth : FetchOptions.PIPELINE_DEPTH);
            new Scheduler(c); // checks every id and parameter now, with a "did you mean"
        } catch (IllegalArgumentException e) {
            throw new UserException(e.getMessage(), e);
        }
        long piece = bytes("--piece-size", pieceSize);
        if (piece < 16 << 10 || piece > 64 << 20) {
            throw new UserException("--piece-size: 16KiB–64MiB, got " + pieceSize);
        }
        return FetchOptions.defaults().withScheduler(c)
                .withTimeouts(seconds("--connect-timeout", connectTimeout), seconds("--header-timeout", headerTimeout),
                        seconds("--first-byte-timeout", firstByteTimeout))
                .withLowSpeed(bytes("--low-speed-limit", lowSpeedLimit), seconds("--low-speed-time", lowSpeedTime))
                .withPieceLength((int) piece).withOverwrite(overwrite).withAllowUnverified(allowUnverified)
                .withUserAgent("mirrorswarm/" + Version.version()).withPipelining(!noPipelining)
                .withProxies(environmentProxies(System.getenv())).withRateLimit(rate("--limit-rate", limitRate));
    }

    /**
     * The proxies {@code http_proxy}, {@code https_proxy}, {@code all_proxy} and {@code no_proxy} name, unless the
     * JVM was given its own ({@code -Dhttp.proxyHost} and the like, through JAVA_OPTS), which then win.
     */
    static org.mirrorswarm.live.Proxies environmentProxies(Map<String, String> env) {
        for (String p : new String[] {"http.proxyHost", "https.proxyHost", "socksProxyHost", "java.net.useSystemProxies"}) {
            if (System.getProperty(p) != null && !System.getProperty(p).equals("false")) {
                return null;
            }
        }
        try {
            return org.mirrorswarm.live.Proxies.fromEnvironment(env);
        } catch (IllegalArgumentException e) {
            throw new UserException(e.getMessage());
        }
    }

    private static StrategySpec spec(String option, String text) {
        try {
            return StrategySpec.parse(text);
        } catch (IllegalArgumentException e) {
            throw new UserException(option + ": " + e.getMessage());
        }
    }

    private static long bytes(String option, String text) {
        try {
            return Units.parseBytes(text);
        } catch (IllegalArgumentException e) {
            throw new UserException(option + ": " + e.getMessage());
        }
    }

    /** Bytes per second: a size, with or without {@code /s}; 0 (or none given) for no limit, as aria2's. */
    private static long rate(String option, String text) {
        if (text == null) {
            return 0;
        }
        String t = text.strip();
        return bytes(option, t.endsWith("/s") || t.endsWith("/S") ? t.substring(0, t.length() - 2) : t);
    }

    private static Duration seconds(String option, String text) {
        try {
            double s = Units.parseSeconds(text);
            if (!(s > 0)) {
                throw new UserException(option + ": must be above 0");
            }
            return Duration.ofNanos((long) (s * 1e9));
        } catch (IllegalArgumentException e) {
            throw new UserException(option + ": " + e.getMessage());
        }
    }

    /** The files, the mirrors and the totals, as a person reads them; {@code limit} the rate limit, or 0. */
    /** A file's line of the final table: OK or FAIL, its name and size, and what became of it. */
    private static String line(FetchReport.FileResult f) {
        return (f.ok() ? "OK   " : "FAIL ") + f.name() + " (" + Units.formatBytes(f.size()) + "): " + f.detail()
                + (f.resumedBytes() > 0 ? "; " + Units.formatBytes(f.resumedBytes()) + " resumed" : "");
    }

    private static void table(PrintWriter out, FetchReport r, long limit) {
        for (FetchReport.FileResult f : r.files()) {
            out.println(line(f));
        }
        if (!r.mirrors().isEmpty()) {
            int w = Math.max(6, r.mirrors().stream().mapToInt(m -> m.id().length()).max().orElse(6));
            String row = "%-" + w + "s %11s %11s %9s %6s %7s %4s  %s%n";
            out.printf(Locale.ROOT, row, "mirror", "used", "received", "mean/s", "reqs", "retries", "bad", "");
            for (FetchReport.MirrorResult m : r.mirrors()) {
                String why = m.verdict().isEmpty() ? m.lastError()
                        : m.lastError().isEmpty() || m.verdict().contains(m.lastError()) ? m.verdict()
                        : m.verdict() + "; last error: " + m.lastError();
                out.printf(Locale.ROOT, row, m.id(), Units.formatBytes(m.bytes()), Units.formatBytes(m.received()),
                        Units.formatBytes((long) m.meanRate()), m.requests(), m.failures(), m.badPieces(), why);
            }
        }
        long bytes = r.files().stream().filter(FetchReport.FileResult::ok).mapToLong(FetchReport.FileResult::size).sum();
        out.printf(Locale.ROOT, "%d of %d files, %s in %.2f s (%s/s%s)%n", r.files().stream().filter(FetchReport.FileResult::ok)
                .count(), r.files().size(), Units.formatBytes(bytes), r.seconds(),
                Units.formatBytes((long) (bytes / Math.max(1e-9, r.seconds()))),
                limit > 0 ? "; limited to " + Units.formatBytes(limit) + "/s" : "");
    }

    /** Progress output: a bar or plain lines. */
    private abstract static class Display implements FetchListener, AutoCloseable {
        @Override
        public void close() {
        }
    }

    /** On a terminal: the download's line and one per file in flight, redrawn in place. */
    private static final class Board extends Display {
        private final ProgressBoard board;

        Board(PrintWriter err) {
            board = new ProgressBoard(InPlace.onTerminal(err));
        }

        @Override
        public void progress(FetchListener.Progress p) {
            board.progress(p);
        }

        @Override
        public void fileEnded(FetchReport.FileResult r) {
            if (!r.ok()) {
                board.say("failed: " + r.name() + ": " + r.detail());
            }
        }

        @Override
        public void close() {
            board.close();
        }
    }

    static final class Lines extends Display {
        private final PrintWriter err;
        private double lastPrint = -10;
        private long lastBytes;
        private double lastTime;
        private String lastWhole = ""; // the last line printed with all known verified: bytes and files

        Lines(PrintWriter err) {
            this.err = err;
        }

        @Override
        public void progress(FetchListener.Progress p) {
            // Every 2 s, and when all known is verified; not before any file is known ("0 B / 0 B (100%)"), nor
            // the same finished line again.
            boolean whole = p.verifiedBytes() >= p.totalBytes();
            String state = p.verifiedBytes() + "/" + p.filesDone() + "/" + p.files();
            if (p.files() == 0 || (p.seconds() - lastPrint < 2 && !whole) || (whole && state.equals(lastWhole))) {
                return;
            }
            lastWhole = whole ? state : "";
            double rate = p.seconds() > lastTime ? (p.verifiedBytes() - lastBytes) / (p.seconds() - lastTime) : 0;
            lastPrint = p.seconds();
            lastBytes = p.verifiedBytes();
            lastTime = p.seconds();
            String line = line(p.seconds(), p.verifiedBytes(), p.totalBytes(), rate, p.filesDone(), p.files(),
                    p.mirrorsInUse());
            err.println(p.waiting() == null ? line : line + "; " + ProgressBoard.waiting(p.waiting()));
            err.flush();
        }

        /**
         * One progress line, as printf's {@code "[%6.1fs] %s / %s (%.0f%%), %s/s, %d/%d files, %d mirrors in use"}
         * would write it ("mirror" for one), without a Formatter: the first line of a run comes on the download's
         * own thread while it starts requests, and printf's first floating-point number cost a cold JVM
         * milliseconds there.
         */
        static String line(double seconds, long verified, long total, double rate, int filesDone, int files,
                           int mirrors) {
            StringBuilder line = new StringBuilder(96).append('[');
            String s = Units.appendFixed(new StringBuilder(8), seconds, 1).toString();
            line.append(" ".repeat(Math.max(0, 6 - s.length()))).append(s).append("s] ")
                    .append(Units.formatBytes(verified)).append(" / ").append(Units.formatBytes(total)).append(" (");
            Units.appendFixed(line, total == 0 ? 100.0 : 100.0 * verified / total, 0).append("%), ")
                    .append(Units.formatBytes((long) rate)).append("/s, ").append(filesDone).append('/').append(files)
                    .append(" files, ").append(mirrors).append(mirrors == 1 ? " mirror in use" : " mirrors in use");
            return line.toString();
        }

        @Override
        public void fileEnded(FetchReport.FileResult r) {
            if (!r.ok()) {
                err.println("failed: " + r.name() + ": " + r.detail());
                err.flush();
            }
        }
    }

    /** Why a local path given to fetch is no Metalink to read: missing, or a folder. */
    static String notAMetalinkFile(String source) {
        return source + (Files.isDirectory(Path.of(source)) ? ": a folder, not a Metalink file"
                : ": no such file") + " (a Metalink file, a URL, or NAME with --mirror)";
    }
}
