package org.mirrorswarm.cli;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import org.mirrorswarm.live.FetchOptions;
import org.mirrorswarm.live.LiveFile;
import org.mirrorswarm.live.Sources;
import org.mirrorswarm.live.metalink.Metalink;
import org.mirrorswarm.live.metalink.MetalinkFile;
import org.mirrorswarm.live.metalink.MetalinkReader;

/**
 * A head start for {@code fetch FILE.meta4}: on a second core, the Metalink files named on the command line
 * are read, parsed and planned while the main thread is still building the command line (a tenth of a
 * second on a cold JVM). Nothing here decides anything: {@link FetchCommand} takes a result only for the
 * exact file it was given and with the piece length it would have used, and on any failure here it
 * simply does the work itself and reports the error as it always does.
 */
final class MetalinkPrefetch {
    /** A Metalink read and planned ahead; {@code files} and {@code notes} as {@link Sources#fromMetalink} gives them. */
    record Planned(Metalink metalink, List<LiveFile> files, List<String> notes) {
    }

    private static final Map<String, FutureTask<Planned>> AHEAD = new ConcurrentHashMap<>();

    private MetalinkPrefetch() {
    }

    /** Starts reading the local Metalink files named in {@code args} when they are a {@code fetch} command line. */
    static void start(String[] args) {
        if (args.length < 2 || !args[0].equals("fetch")) {
            return;
        }
        List<FutureTask<Planned>> tasks = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            String lower = a.toLowerCase(Locale.ROOT);
            if (a.startsWith("-") || !(lower.endsWith(".meta4") || lower.endsWith(".metalink"))) {
                continue;
            }
            FutureTask<Planned> t = new FutureTask<>(() -> plan(a));
            if (AHEAD.putIfAbsent(a, t) == null) {
                tasks.add(t);
            }
        }
        if (tasks.isEmpty()) {
            return;
        }
        Thread th = new Thread(() -> tasks.forEach(FutureTask::run), "mirrorswarm-prefetch");
        th.setDaemon(true);
        th.start();
    }

    /**
     * The planned Metalink {@code source}, if it was read ahead, succeeded, and planned files without piece
     * hashes with {@code options}' piece length; else null (the caller does the work itself).
     */
    static Planned take(String source, FetchOptions options) {
        FutureTask<Planned> t = AHEAD.remove(source);
        if (t == null) {
            return null;
        }
        try {
            Planned p = t.get();
            if (p == null) {
                return null;
            }
            boolean pieceLengthMatters = p.metalink().files().stream().anyMatch(f -> f.pieces() == null);
            if (pieceLengthMatters && options.pieceLength() != FetchOptions.defaults().pieceLength()) {
                return null;
            }
            return p;
        } catch (ExecutionException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static Planned plan(String source) throws Exception {
        Path f = Path.of(source);
        if (!Files.isRegularFile(f)) {
            return null;
        }
        byte[] doc;
        try (InputStream in = Files.newInputStream(f)) {
            doc = MetalinkReader.readCapped(in, source);
        }
        Metalink m = MetalinkReader.parse(doc, source, null);
        for (MetalinkFile mf : m.files()) {
            if (mf.size() < 0) {
                return null; // its size is asked of the mirrors: that waits for the real options
            }
        }
        List<String> notes = new ArrayList<>();
        List<LiveFile> files = Sources.fromMetalink(m, FetchOptions.defaults(), null, notes);
        return new Planned(m, files, notes);
    }
}
