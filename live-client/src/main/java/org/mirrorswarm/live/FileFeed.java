package org.mirrorswarm.live;

import java.io.IOException;
import java.util.List;

/**
 * Where a download's files come from: a list known and checked up front ({@link #of}), or a source still
 * being read — a Metalink being parsed — that hands its files over as they come and says only at its end
 * whether the whole source is good. {@link LiveDownload} starts fetching the files of an unfinished
 * source at once, but until the source is good it writes nothing except the part files and journals of
 * files new to the target folder: no folder is created, no existing part file or journal is touched (such
 * files wait), nothing is moved under a final name. If the source turns out bad, the download stops and
 * removes what it wrote, and {@link LiveDownload#run} throws {@link LiveDownload.Refused}. A source that
 * reads as good is then {@linkplain #accept accepted} under the target folder's lock.
 */
public interface FileFeed {
    /**
     * Hands every file to {@code sink} in order, then calls {@link Sink#end} once. Runs on a thread of its
     * own (the calling thread for a {@link #complete} feed); a feed that throws is ended as refused.
     */
    void feed(Sink sink);

    /** True when every file was known and checked before the download started (nothing to hold back). */
    default boolean complete() {
        return false;
    }

    /**
     * The last word on a source that read as good, said by the download once it holds the target folder's
     * lock and before any of the source's files goes into place or touches what the folder held before (for a
     * {@link #complete} feed, before the download starts): null to go on, else why the source is refused
     * after all. This is where a Metalink
     * is checked against the folder's record of those accepted before and added to it ({@link MetalinkGuard}):
     * under the lock, two fetches cannot both read that record and write it back, one losing the other's
     * entry, and a fetch the lock turns away records nothing.
     */
    default String accept() throws IOException {
        return null;
    }

    /**
     * Told once, by the download's event loop, when holding back stops helping the download's start: the first
     * bytes of its first answer arrive, or a file handed over leaves no request waiting for one (it was held,
     * or it needs none). A feed that holds back work so as not to compete with the first requests for the
     * processor (a Metalink's parse, on a cold JVM) goes on then. Must not block.
     */
    default void underway() {
    }

    /** What {@link #accept} runs for a feed made by {@link #of(List, Acceptance)}. */
    @FunctionalInterface
    interface Acceptance {
        String accept() throws IOException;
    }

    /** Receives a feed's files. */
    interface Sink {
        void file(LiveFile f);

        /** No more files: {@code refusal} is null when the whole source is good, else why it is refused. */
        void end(String refusal);
    }

    /**
     * Every file of this feed, read to its end on the calling thread, and the source then {@linkplain #accept
     * accepted} (without a folder's lock: for callers that download nothing).
     *
     * @throws LiveDownload.Refused when the feed refuses its source
     */
    default List<LiveFile> readAll() throws IOException {
        List<LiveFile> files = new java.util.ArrayList<>();
        String[] refusal = new String[1];
        boolean[] ended = new boolean[1];
        run(this, new Sink() {
            @Override
            public void file(LiveFile f) {
                files.add(f);
            }

            @Override
            public void end(String why) {
                if (!ended[0]) {
                    ended[0] = true;
                    refusal[0] = why;
                }
            }
        });
        if (refusal[0] == null) {
            refusal[0] = accept();
        }
        if (refusal[0] != null) {
            throw new LiveDownload.Refused(refusal[0]);
        }
        return files;
    }

    /**
     * Runs {@code feed} into {@code sink}, which then ends: a feed that throws an exception, or returns without
     * ending, refuses its source. {@code sink} keeps the first end it is given. An error is thrown on as it is.
     */
    static void run(FileFeed feed, Sink sink) {
        try {
            feed.feed(sink);
        } catch (RuntimeException e) {
            sink.end("could not read the source: " + e);
        }
        // Not after an error (out of memory, a bug): the download ends with that, not with a refused source.
        sink.end("the source ended without saying it is good");
    }

    /** Files known up front, of a source that needs no acceptance. */
    static FileFeed of(List<LiveFile> files) {
        return of(files, () -> null);
    }

    /** Files known up front, of a source accepted (or refused) by {@code acceptance} (see {@link #accept}). */
    static FileFeed of(List<LiveFile> files, Acceptance acceptance) {
        List<LiveFile> copy = List.copyOf(files);
        return new FileFeed() {
            @Override
            public void feed(Sink sink) {
                copy.forEach(sink::file);
                sink.end(null);
            }

            @Override
            public boolean complete() {
                return true;
            }

            @Override
            public String accept() throws IOException {
                return acceptance.accept();
            }
        };
    }
}
