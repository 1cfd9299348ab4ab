package org.mirrorswarm.tracker;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.mirrorswarm.live.http.ContentRange;
import org.mirrorswarm.live.metalink.SafeNames;
import org.mirrorswarm.strategies.Digest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Probes each mirror as MirrorManager's crawler does: the marker file (is the mirror in sync? its SHA-256
 * must be the repository's) and a ranged GET of one random piece of each of a few random files (does it
 * serve good bytes, by range?). The board withdraws a mirror after the configured number of failed
 * crawls in a row and lists it again after a good one.
 */
public final class Crawler {
    private static final Logger LOG = LoggerFactory.getLogger(Crawler.class);
    /** A marker file larger than this is not read whole. */
    private static final long MAX_MARKER = 64L << 20;

    private final Repository repo;
    private final MirrorBoard board;
    private final OkHttpClient http;
    private final SplittableRandom random;

    public Crawler(Repository repo, MirrorBoard board, long seed) {
        this.repo = repo;
        this.board = board;
        Duration t = Duration.ofMillis((long) (board.config().crawlTimeout() * 1000));
        this.http = new OkHttpClient.Builder().connectTimeout(t).readTimeout(t).callTimeout(t.multipliedBy(3))
                .followRedirects(true).retryOnConnectionFailure(false).build();
        this.random = new SplittableRandom(seed);
    }

    /** One crawl of every mirror, one after another. */
    public synchronized void crawlAll() {
        List<Repository.Entry> files = repo.all().stream().filter(x -> x.size() > 0).toList();
        for (MirrorBoard.State s : board.states()) {
            String problem;
            try {
                problem = probe(s.spec, files);
            } catch (IOException e) {
                problem = "unreachable: " + oneLine(e);
            } catch (RuntimeException e) {
                problem = "probe failed: " + oneLine(e);
            }
            if (problem != null) {
                LOG.info("crawl {}: {}", s.spec.id(), problem);
            }
            board.crawled(s, problem);
        }
    }

    /** Null when the mirror looks good, else what is wrong; samples come from {@code files} (non-empty ones). */
    String probe(TrackerConfig.MirrorSpec m, List<Repository.Entry> files) throws IOException {
        String marker = board.config().crawlMarker();
        if (marker != null) {
            Repository.Entry e = repo.get(marker);
            if (e != null) {
                String p = checkWhole(m, e);
                if (p != null) {
                    return p;
                }
            }
        }
        int samples = Math.min(board.config().crawlSample(), files.size());
        for (int i = 0; i < samples; i++) {
            Repository.Entry e;
            int piece;
            synchronized (random) {
                e = files.get(random.nextInt(files.size()));
                piece = random.nextInt(e.hashes().pieces().size());
            }
            String p = checkPiece(m, e, piece);
            if (p != null) {
                return p;
            }
        }
        return null;
    }

    private String checkWhole(TrackerConfig.MirrorSpec m, Repository.Entry e) throws IOException {
        HttpUrl url = HttpUrl.parse(m.url() + SafeNames.urlPath(e.name()));
        Request req = new Request.Builder().url(url).header("Accept-Encoding", "identity")
                .header("Cache-Control", "no-cache").build();
        try (Response r = http.newCall(req).execute()) {
            if (r.code() != 200) {
                return "marker " + e.name() + ": HTTP " + r.code();
            }
            byte[] got = read(r, Math.min(MAX_MARKER, e.size() + 1));
            if (got.length != e.size() || !e.hashes().sha256().matches(sha256(got))) {
                return "stale: marker " + e.name() + " differs from the repository's";
            }
        }
        return null;
    }

    private String checkPiece(TrackerConfig.MirrorSpec m, Repository.Entry e, int piece) throws IOException {
        long from = (long) piece * repo.pieceLength();
        long to = Math.min(e.size(), from + repo.pieceLength()) - 1;
        HttpUrl url = HttpUrl.parse(m.url() + SafeNames.urlPath(e.name()));
        Request req = new Request.Builder().url(url).header("Range", "bytes=" + from + "-" + to)
                .header("Accept-Encoding", "identity").header("Cache-Control", "no-cache").build();
        try (Response r = http.newCall(req).execute()) {
            boolean whole = from == 0 && to == e.size() - 1;
            if (r.code() == 206) {
                ContentRange cr;
                try {
                    cr = ContentRange.parse(r.header("Content-Range"));
                } catch (IllegalArgumentException ex) {
                    return "bad data: " + e.name() + ": malformed Content-Range";
                }
                if (cr == null || cr.first() != from || cr.last() != to) {
                    return "bad data: " + e.name() + ": answered another range than bytes " + from + "-" + to;
                }
                if (cr.complete() >= 0 && cr.complete() != e.size()) {
                    return "stale: " + e.name() + " is " + cr.complete() + " bytes there, " + e.size() + " here";
                }
            } else if (!(r.code() == 200 && whole)) {
                return e.name() + ": HTTP " + r.code() + " to a range request";
            }
            byte[] got = read(r, to - from + 2);
            if (got.length != to - from + 1) {
                return "stale: " + e.name() + ": piece " + piece + " is " + got.length + " bytes there";
            }
            Digest want = e.hashes().pieces().get(piece);
            if (!want.matches(sha256(got))) {
                return "stale or bad data: " + e.name() + ": piece " + piece + " differs from the repository's";
            }
        }
        return null;
    }

    private static byte[] read(Response r, long cap) throws IOException {
        try (InputStream in = r.body().byteStream()) {
            return in.readNBytes((int) Math.min(cap, Integer.MAX_VALUE - 8));
        }
    }

    private static byte[] sha256(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String oneLine(Throwable e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + m.lines().findFirst().orElse(""));
    }

    public void close() {
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }
}
