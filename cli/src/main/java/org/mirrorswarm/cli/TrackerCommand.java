package org.mirrorswarm.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.mirrorswarm.strategies.Units;
import org.mirrorswarm.tracker.Repository;
import org.mirrorswarm.tracker.TrackerConfig;
import org.mirrorswarm.tracker.TrackerServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code mirrorswarm tracker}: serves Metalinks, redirects and the manifest; keeps the mirror list current. */
@Command(
        name = "tracker",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = {
            "The seed's main server. Hashes the repository in the background (cached in STATE), then serves "
                    + "GET /PATH.meta4 (Metalink v4 with piece hashes and ranked mirrors), GET /PATH (302 to a "
                    + "mirror with RFC 6249 Link and Digest headers), GET /repo.manifest, GET /repo.mirrors and "
                    + "GET /mirrors (state of every mirror). Mirrors POST heartbeats to /mirrors/ID/heartbeat; "
                    + "the tracker crawls them and withdraws stale or broken ones.",
            ""
        })
public final class TrackerCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--repo", paramLabel = "DIR", required = true, description = "The repository folder.")
    Path repo;

    @Option(names = "--mirrors", paramLabel = "FILE", required = true, description = "The mirror list (YAML).")
    Path mirrors;

    @Option(names = "--port", paramLabel = "N", description = "Port (default: 8080; 0 picks a free one).")
    int port = 8080;

    @Option(names = "--host", paramLabel = "ADDRESS", description = "Address to listen on (default: all).")
    String host = "0.0.0.0";

    @Option(names = "--state", paramLabel = "DIR", description = "Hash cache and access log folder (default: ~/.cache/mirrorswarm/tracker-KEY, outside the repository).")
    Path state;

    @Option(names = "--access-log", paramLabel = "FILE", description = "JSON-lines access log (default: STATE/access.log; 'none' for none).")
    String accessLog;

    @Option(names = "--access-log-max", paramLabel = "BYTES",
            description = "Start a new access log when it reaches this size, keeping older ones as FILE.1 … (default: 64MiB; 0: never).")
    String accessLogMax = "64MiB";

    @Option(names = "--access-log-keep", paramLabel = "N", description = "Older access logs kept (default: 4).")
    int accessLogKeep = TrackerServer.LogFile.DEFAULT_KEEP;

    @Option(names = "--rescan", paramLabel = "TIME", description = "How often to look for new or changed files (default: 60s).")
    String rescan = "60s";

    @Option(names = "--no-crawl", description = "Do not crawl the mirrors (heartbeats only).")
    boolean noCrawl;

    @Option(names = "--idle-timeout", paramLabel = "TIME", description = "Close idle connections after this long (default: 10s).")
    String idleTimeout = "10s";

    @Option(names = "--max-threads", paramLabel = "N", description = "Worker threads at most (default: 64).")
    int maxThreads = 64;

    @Override
    public Integer call() throws Exception {
        if (!Files.isDirectory(repo)) {
            throw new UserException(repo + ": not a folder");
        }
        if (!Files.isRegularFile(mirrors)) {
            throw new UserException(mirrors + ": no such file");
        }
        if (port < 0 || port > 65535) {
            throw new UserException("--port: 0–65535");
        }
        if (maxThreads < 4 || maxThreads > 10_000) {
            throw new UserException("--max-threads: 4–10000");
        }
        TrackerConfig config;
        try {
            config = TrackerConfig.load(mirrors);
        } catch (IllegalArgumentException e) {
            throw new UserException(e.getMessage(), e);
        }
        Duration every = duration("--rescan", rescan);
        Duration idle = duration("--idle-timeout", idleTimeout);
        Path st = state != null ? state : Repository.defaultState(repo);
        Path logPath = accessLog == null ? st.resolve("access.log") : accessLog.equals("none") ? null : Path.of(accessLog);
        long logMax;
        try {
            logMax = Units.parseBytes(accessLogMax);
        } catch (IllegalArgumentException e) {
            throw new UserException("--access-log-max: " + e.getMessage());
        }
        if (accessLogKeep < 1 || accessLogKeep > 1000) {
            throw new UserException("--access-log-keep: 1–1000");
        }
        // Inside the repository they would be published with it: the hash cache, and the access log with every
        // client's address, as files anyone may fetch (and hashed again at every rescan as the log grows).
        Path root = repo.toRealPath();
        if (inside(st, root)) {
            throw new UserException("--state " + st + ": inside the repository " + root + ", whose files are published; "
                    + "choose a folder outside it");
        }
        if (logPath != null && inside(logPath, root)) {
            throw new UserException("--access-log " + logPath + ": inside the repository " + root + ", whose files are "
                    + "published; choose a file outside it");
        }
        TrackerServer.LogFile log = logPath == null ? null : new TrackerServer.LogFile(logPath, logMax, accessLogKeep);
        TrackerServer.Limits d = TrackerServer.Limits.defaults();
        TrackerServer.Limits limits = new TrackerServer.Limits(d.requestHeaderBytes(), idle, d.requestDeadline(),
                maxThreads, d.maxConnections(), d.maxConnectionsPerAddress());
        TrackerServer server;
        try {
            server = new TrackerServer(new TrackerServer.Options(repo, st, config, host, port, log, every, limits,
                    Version.version(), !noCrawl), Clock.systemUTC());
        } catch (IOException e) {
            throw new UserException(e.getMessage(), e);
        }
        try {
            server.start();
        } catch (IOException e) {
            throw new UserException("cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                server.close();
            } catch (Exception ignored) {
                // exiting anyway
            }
        }, "tracker-shutdown"));
        var out = spec.commandLine().getOut();
        out.println("mirrorswarm tracker " + Version.version() + " listening on http://" + host + ":"
                + server.port() + "/ — " + config.mirrors().size() + (config.mirrors().size() == 1 ? " mirror" : " mirrors")
                + ", ranking " + config.ranking()
                + ", repository " + server.repository().root() + " (hashing in the background)");
        out.flush();
        server.join();
        return ExitCodes.OK;
    }

    private static Duration duration(String option, String text) {
        try {
            double s = Units.parseSeconds(text);
            if (s > 0) {
                return Duration.ofMillis((long) (s * 1000));
            }
        } catch (IllegalArgumentException e) {
            throw new UserException(option + ": " + e.getMessage());
        }
        throw new UserException(option + ": must be positive");
    }

    /** Whether {@code p} (which may not exist yet) is {@code root} or below it, symbolic links followed. */
    static boolean inside(Path p, Path root) throws IOException {
        Path abs = p.toAbsolutePath().normalize();
        Path existing = abs;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return false;
        }
        Path real = existing.toRealPath().resolve(existing.relativize(abs));
        return real.normalize().startsWith(root);
    }
}
