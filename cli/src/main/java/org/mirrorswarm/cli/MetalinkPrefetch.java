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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
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
import org.mirrorswarm.live.metalink.MetalinkUrl;
import org.mirrorswarm.strategies.SchedulerConfig;

/**
 * A head start for {@code fetch FILE.meta4}: on a second core, the Metalink files named on the command line
 * are read and parsed from the first moment of {@code main}, each file handed over as soon as it is read,
 * while the main thread reads the options and builds the HTTP client; the download then takes the files
 * as they come ({@link #feed}). A Metalink not read ahead is read by {@link FetchCommand} itself.
 */
final class MetalinkPrefetch {
    /** The end of one document's files. */
    private static final Object END = new Object();

    /**
     * Files parsed before the parse waits for the download to be underway ({@link FileFeed#underway}: its first
     * answer arriving, or no request left waiting for one): the default connection budget's worth, as many
     * requests as can start before any mirror has answered (the scheduler asks none for early requests until it
     * has measured it). The rest of the document is not needed before that answer, and on a cold JVM its parse
     * competes for the processor with what the first answer waits for (the TLS set-up, the handshakes): on the
     * small-files https benchmark (200 files, a Metalink of 129 KB, four loopback mirrors) the whole parse had
     * ended 0.31-0.50 s after launch, after the first answer (bench/RESULTS.md).
     */
    static int holdAfter() {
        return Hold.AFTER;
    }

    /** Set when first needed, not as {@link #start} runs: the scheduler's defaults are not needed to read ahead. */
    private static final class Hold {
        static final int AFTER = SchedulerConfig.defaults().maxConnections();
    }

    /**
     * The longest the parse waits: where the first answer is slow to come (mirrors far away), the processor is
     * idle meanwhile, and the files are better read while the handshakes travel (mirrors 100 ms away: the first
     * answer came 0.63-0.73 s after launch; on loopback the parse reached its 16th file 0.17-0.22 s after it).
     */
    static volatile long holdMillis = 100; // tests lengthen it

    /** One document being read: its files as they are parsed, then {@link #END}. */
    private static final class Ahead {
        final String source;
        final BlockingQueue<Object> parsed = new LinkedBlockingQueue<>();
        volatile Metalink metalink; // set before END when the whole document was good
        volatile String error; // set before END when it was not
        /** Set before END when the read died of an error (out of memory): the download rethrows it on its feed. */
        volatile Error crash;
        /** Opened by the download ({@link FileFeed#underway}), or by one that may start more requests at once. */
        final CountDownLatch underway = new CountDownLatch(1);
        private int count;

        Ahead(String source) {
            this.source = source;
        }

        /** After the first {@link #holdAfter} files: waits for the download to be underway, at most {@link #holdMillis}. */
        private void pace() {
            if (++count == holdAfter()) {
                try {
                    underway.await(holdMillis, TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        void read() {
            try {
                Path f = Path.of(source);
                if (Files.isRegularFile(f)) {
                    byte[] doc;
                    try (InputStream in = Files.newInputStream(f)) {
                        doc = MetalinkReader.readCapped(in, source);
                    }
                    metalink = MetalinkReader.parse(doc, source, null, new Consumer<MetalinkFile>() {
                        @Override
                        public void accept(MetalinkFile file) {
                            parsed.add(file);
                            for (MetalinkUrl u : file.urls()) {
                                if (u.url().startsWith("https:")) {
                                    FetchCommand.httpsAhead(); // TLS set up while the rest is read
                                    break;
                                }
                            }
                            pace();
                        }
                    });
                } else {
                    error = FetchCommand.notAMetalinkFile(source);
                }
            } catch (Exception e) {
                error = e.getMessage() != null ? e.getMessage() : source + ": " + e;
            } catch (Error e) {
                crash = e;
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
        // Classes, not lambdas, here and in Ahead.read: the JVM's first lambda sets its method-handle machinery up
        // (about 4 ms at the start of main, timing marks), which the main thread now does while this one reads.
        Thread th = new Thread(new Runnable() {
            @Override
            public void run() {
                for (Ahead t : tasks) {
                    t.read();
                }
            }
        }, "mirrorswarm-prefetch");
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
        if (options.scheduler().maxConnections() > holdAfter()) {
            a.underway.countDown(); // a first wave larger than the files held to
        }
        return new FileFeed() {
            @Override
            public void feed(Sink sink) {
                read(a, options, client, notes, sink);
            }

            @Override
            public void underway() {
                a.underway.countDown();
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
        if (a.crash != null) {
            throw a.crash; // the download ends with it (LiveDownload), not as a refused source
        }
        if (a.metalink == null) {
            refusal = a.error; // as when the document is read whole before it is planned
        }
        sink.end(refusal);
    }
}
