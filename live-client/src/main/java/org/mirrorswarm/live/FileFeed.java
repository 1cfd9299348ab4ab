package org.mirrorswarm.live;

import java.util.List;

/**
 * Where a download's files come from: a list known and checked up front ({@link #of}), or a source still
 * being read — a Metalink being parsed — that hands its files over as they come and says only at its end
 * whether the whole source is good. {@link LiveDownload} starts fetching the files of an unfinished
 * source at once, but until the source is good it writes nothing except the part files and journals of
 * files new to the target folder: no folder is created, no existing part file or journal is touched (such
 * files wait), nothing is moved under a final name. If the source turns out bad, the download stops and
 * removes what it wrote, and {@link LiveDownload#run} throws {@link LiveDownload.Refused}.
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

    /** Receives a feed's files. */
    interface Sink {
        void file(LiveFile f);

        /** No more files: {@code refusal} is null when the whole source is good, else why it is refused. */
        void end(String refusal);
    }

    /**
     * Every file of this feed, read to its end on the calling thread.
     *
     * @throws LiveDownload.Refused when the feed refuses its source
     */
    default List<LiveFile> readAll() throws LiveDownload.Refused {
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
        if (refusal[0] != null) {
            throw new LiveDownload.Refused(refusal[0]);
        }
        return files;
    }

    /**
     * Runs {@code feed} into {@code sink}, which then always ends: a feed that throws, or returns without
     * ending, refuses its source. {@code sink} keeps the first end it is given.
     */
    static void run(FileFeed feed, Sink sink) {
        try {
            feed.feed(sink);
        } catch (RuntimeException e) {
            sink.end("could not read the source: " + e);
        } finally {
            sink.end("the source ended without saying it is good");
        }
    }

    /** Files known up front. */
    static FileFeed of(List<LiveFile> files) {
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
        };
    }
}
