package org.mirrorswarm.live;

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
     * @param current       the name of a file being fetched, or empty
     */
    record Progress(long verifiedBytes, long totalBytes, int filesDone, int filesFailed, int files, int liveRequests,
                    int mirrorsInUse, double seconds, String current) {
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
