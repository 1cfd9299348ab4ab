package org.mirrorswarm.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Function;
import java.util.function.Supplier;
import okhttp3.OkHttpClient;
import org.mirrorswarm.live.FileFeed;
import org.mirrorswarm.live.FetchOptions;
import org.mirrorswarm.live.LiveFile;
import org.mirrorswarm.live.Sources;
import org.mirrorswarm.live.metalink.Metalink;
import org.mirrorswarm.live.metalink.MetalinkFile;
import org.mirrorswarm.live.metalink.MetalinkReader;

/**
 * A head start for {@code fetch FILE.meta4}: on a second core, the Metalink files named on the command line
 * are read and parsed from the first moment of {@code main}, each file handed over as soon as it is read,
 * while the main thread reads the options and builds the HTTP client; the download then takes the files
 * as they come ({@link #feed}). A Metalink not read ahead is read by {@link FetchCommand} itself.
 */
final class MetalinkPrefetch {
    /** The end of one document's files. */
    private static final Object END = new Object();

    /** One document being read: its files as they are parsed, then {@link #END}. */
    private static final class Ahead {
        final String source;
        final BlockingQueue<Object> parsed = new LinkedBlockingQueue<>();
        volatile Metalink metalink; // set before END when the whole document was good
        volatile String error; // set before END when it was not

        Ahead(String source) {
            this.source = source;
        }

        void read() {
            try {
                Path f = Path.of(source);
                if (Files.isRegularFile(f)) {
                    byte[] doc;
                    try (InputStream in = Files.newInputStream(f)) {
                        doc = MetalinkReader.readCapped(in, source);
                    }
                    metalink = MetalinkReader.parse(doc, source, null, file -> {
                        parsed.add(file);
                        if (file.urls().stream().anyMatch(u -> u.url().startsWith("https:"))) {
                            FetchCommand.httpsAhead(); // TLS set up while the rest is read
                        }
                    });
                } else {
                    error = source + ": no such file (a Metalink file, a URL, or NAME with --mirror)";
                }
            } catch (Exception e) {
                error = e.getMessage() != null ? e.getMessage() : source + ": " + e;
            } finally {
                parsed.add(END);
            }
        }
    }

    private static final Map<String, Ahead> AHEAD = new ConcurrentHashMap<>();

    private MetalinkPrefetch() {
    }

    /** Starts reading the local Metalink files named in {@code args} when they are a {@code fetch} command line. */
    static void start(String[] args) {
        if (args.length < 2 || !args[0].equals("fetch")) {
            return;
        }
        List<Ahead> tasks = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            String lower = a.toLowerCase(Locale.ROOT);
            if (a.startsWith("-") || !(lower.endsWith(".meta4") || lower.endsWith(".metalink"))
                    || lower.startsWith("http://") || lower.startsWith("https://")) {
                continue;
            }
            Ahead t = new Ahead(a);
            if (AHEAD.putIfAbsent(a, t) == null) {
                tasks.add(t);
            }
        }
        if (tasks.isEmpty()) {
            return;
        }
        Thread th = new Thread(() -> tasks.forEach(Ahead::read), "mirrorswarm-prefetch");
        th.setDaemon(true);
        th.start();
    }

    /**
     * The Metalink {@code source} as a {@link FileFeed}, if it is being read ahead: each file planned with
     * {@code options} as soon as it is parsed (a size the Metalink leaves out is asked of the mirrors
     * through {@code client}, which is asked for only then), so that the download starts before the
     * document's end. A document that does
     * not parse, or a file that cannot be planned, refuses the feed with the message the command would give;
     * a good one is then given to {@code accept} ({@link FileFeed#accept}: under the target folder's lock),
     * which looks at the whole document (its notes are in {@code notes} by then) and says why it is refused,
     * or null.
     */
    static FileFeed feed(String source, FetchOptions options, Supplier<OkHttpClient> client, List<String> notes,
                         Function<Metalink, String> accept) {
        Ahead a = AHEAD.remove(source);
        if (a == null) {
            return null;
        }
        return new FileFeed() {
            @Override
            public void feed(Sink sink) {
                read(a, options, client, notes, sink);
            }

            @Override
            public String accept() {
                return accept.apply(a.metalink); // called only once the feed ended without a refusal
            }
        };
    }

    /** Plans {@code a}'s files into {@code sink} as they are parsed, and ends it: refused, or null when good. */
    private static void read(Ahead a, FetchOptions options, Supplier<OkHttpClient> client, List<String> notes,
                             FileFeed.Sink sink) {
        String refusal = null;
        try {
            for (Object o = a.parsed.take(); o != END; o = a.parsed.take()) {
                if (refusal != null) {
                    continue; // on to the end: an error in the document itself is told first
                }
                try {
                    sink.file(Sources.fromMetalinkFile((MetalinkFile) o, options, client, notes));
                } catch (IOException e) {
                    refusal = e.getMessage();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            sink.end("interrupted");
            return;
        }
        if (a.metalink == null) {
            refusal = a.error; // as when the document is read whole before it is planned
        }
        sink.end(refusal);
    }
}
