package org.mirrorswarm.live;

import java.util.List;

/** Hears how a fetch goes; called from the fetch's event loop thread, about five times a second. */
public interface FetchListener {
    /**
     * A snapshot of progress.
     *
     * @param verifiedBytes bytes verified so far, resumed ones included
     * @param totalBytes    bytes of all files
     * @param filesDone     files in place
     * @param filesFailed   files given up
     * @param files         files in all
     * @param liveRequests  requests in flight
     * @param mirrorsInUse  distinct mirrors with a request in flight
     * @param seconds       since the fetch started
     * @param active        the files with a request in flight, in the order they were handed over
     * @param waiting       with no request in flight and files left, the mirrors waited for; else null
     */
    record Progress(long verifiedBytes, long totalBytes, int filesDone, int filesFailed, int files, int liveRequests,
                    int mirrorsInUse, double seconds, List<FileProgress> active, Waiting waiting) {
        public Progress {
            active = List.copyOf(active);
        }

        /** A snapshot with requests in flight, or nothing waited for. */
        public Progress(long verifiedBytes, long totalBytes, int filesDone, int filesFailed, int files, int liveRequests,
                        int mirrorsInUse, double seconds, List<FileProgress> active) {
            this(verifiedBytes, totalBytes, filesDone, filesFailed, files, liveRequests, mirrorsInUse, seconds, active,
                    null);
        }
    }

    /**
     * Nothing in flight: the download waits for mirrors banned for a while after failures (all its mirrors
     * refuse connections, say), which a user otherwise sees only as time passing.
     *
     * @param banned      mirrors banned for now (not those given up for the download)
     * @param inSeconds   when the first of them may be asked again, from now
     * @param lastFailure that one's last failure, as the final table words it
     */
    record Waiting(int banned, double inSeconds, String lastFailure) {
    }

    /**
     * One file in flight.
     *
     * @param name          its name in the plan
     * @param verifiedBytes its bytes verified so far, resumed ones included
     * @param arrivedBytes  its bytes arrived so far, verified or not (at least the verified ones, at most its size):
     *                      a piece is verified whole, so this is what moves while a piece comes in
     * @param size          its size
     * @param mirrorsInUse  distinct mirrors with a request in flight for it
     */
    record FileProgress(String name, long verifiedBytes, long arrivedBytes, long size, int mirrorsInUse) {
    }

    FetchListener NONE = new FetchListener() {
        @Override
        public void progress(Progress p) {
        }
    };

    void progress(Progress p);

    /** A file ended, in place or given up. */
    default void fileEnded(FetchReport.FileResult result) {
    }
}
