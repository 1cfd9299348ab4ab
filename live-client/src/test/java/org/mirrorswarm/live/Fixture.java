package org.mirrorswarm.live;

import java.io.IOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import org.mirrorswarm.strategies.Digest;
import org.mirrorswarm.strategies.FilePlan;
import org.mirrorswarm.strategies.HashAlgorithm;
import org.mirrorswarm.strategies.Mirror;
import org.mirrorswarm.strategies.SchedulerConfig;

/** Files, plans and runs for the live client's tests. */
final class Fixture {
    static final int PIECE = 64 << 10;

    private Fixture() {
    }

    static byte[] content(int size, long seed) {
        byte[] b = new byte[size];
        new SplittableRandom(seed).nextBytes(b);
        return b;
    }

    static Digest sha256(byte[] data, int from, int len) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(data, from, len);
            return Digest.of(HashAlgorithm.SHA_256, md.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A plan with SHA-256 piece hashes (or none) and the whole-file SHA-256. */
    static FilePlan plan(String name, byte[] data, int pieceLength, boolean pieceHashes) {
        List<Digest> pieces = new ArrayList<>();
        if (pieceHashes) {
            for (int off = 0; off < data.length; off += pieceLength) {
                pieces.add(sha256(data, off, Math.min(pieceLength, data.length - off)));
            }
        }
        return new FilePlan(name, data.length, pieceLength, pieces, sha256(data, 0, data.length));
    }

    static LiveFile file(FilePlan plan, HttpUrl... urls) {
        List<LiveFile.Source> s = new ArrayList<>();
        for (HttpUrl u : urls) {
            s.add(new LiveFile.Source(Mirror.of(LiveFile.mirrorId(u)), u));
        }
        return new LiveFile(plan, s);
    }

    /**
     * Short timeouts, so faults show within a second or two; no low-speed check unless a test sets one.
     * Early requests off (the live client's default is on): each fault test checks one mechanism, and an
     * early request would change which requests a fault meets (with them, a mirror that throttles long
     * answers is also asked for short ranges before its collapse is seen, as {@code ThrottledMirrorTest}
     * assumes it is not). {@code ManyFilesTest} and the end-to-end tests run them. Every request through the
     * general client (OkHttp): {@code PipelinedFaultMatrixTest} and {@code PipeliningTest} run the client's own
     * connections, which are the default for plain-http mirrors.
     */
    static FetchOptions options() {
        return FetchOptions.defaults().withPipelining(false)
                .withScheduler(SchedulerConfig.defaults().withConnections(8, 1, 0)
                        .withBans(0.2, 2, 5, SchedulerConfig.defaults().badPieceLimit()))
                .withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(2))
                .withLowSpeed(0, Duration.ofSeconds(1));
    }

    static FetchReport run(Path dir, FetchOptions o, LiveFile... files) throws IOException {
        String trace = System.getProperty("mirrorswarm.trace");
        if (trace != null) { // -Dmirrorswarm.trace=FILE keeps the scheduler's decisions of a failing test
            try (TraceFile t = new TraceFile(Path.of(trace), o.scheduler())) {
                FetchReport r = new LiveDownload(List.of(files), dir, o, FetchListener.NONE, t).run();
                t.keep();
                return r;
            }
        }
        return new LiveDownload(List.of(files), dir, o, FetchListener.NONE, null).run();
    }

    static FetchReport run(Path dir, FetchOptions o, OkHttpClient client, LiveFile... files) throws IOException {
        return new LiveDownload(List.of(files), dir, o, FetchListener.NONE, null, client).run();
    }

    static FetchReport.MirrorResult mirror(FetchReport r, String id) {
        return r.mirrors().stream().filter(m -> m.id().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("no row for " + id + " in " + r.mirrors()));
    }

    /**
     * A started thread that interrupts {@code download} (as Ctrl-C does) once {@code when} holds, polled every
     * 10 ms, or after 20 s whatever it says.
     */
    static Thread interruptWhen(LiveDownload download, java.util.function.BooleanSupplier when) {
        Thread t = new Thread(() -> {
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (!when.getAsBoolean() && System.nanoTime() < deadline) {
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    return;
                }
            }
            download.interrupt("interrupted");
        });
        t.start();
        return t;
    }
}
