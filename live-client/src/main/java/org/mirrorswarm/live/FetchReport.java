package org.mirrorswarm.live;

import java.util.List;

/**
 * What a fetch did.
 *
 * @param files   one row per file, in the order given
 * @param mirrors one row per mirror that was asked for anything
 * @param seconds wall-clock time of the whole fetch
 * @param notes   what the sources skipped or the fetch noticed (not errors)
 */
public record FetchReport(List<FileResult> files, List<MirrorResult> mirrors, double seconds, List<String> notes) {
    public FetchReport {
        files = List.copyOf(files);
        mirrors = List.copyOf(mirrors);
        notes = List.copyOf(notes);
    }

    /**
     * One file.
     *
     * @param name          its name under the target folder
     * @param size          bytes
     * @param ok            verified and in place under its final name
     * @param detail        why it failed, or how it was verified
     * @param resumedBytes  bytes found verified on disk from an earlier run
     * @param seconds       from the start of the fetch to the file's end
     */
    public record FileResult(String name, long size, boolean ok, String detail, long resumedBytes, double seconds) {
    }

    /**
     * One mirror.
     *
     * @param id          host (and port)
     * @param bytes       verified bytes it delivered that were used
     * @param received    body bytes received from it in all
     * @param busySeconds seconds it had at least one request in flight
     * @param requests    requests sent to it
     * @param failures    requests that failed
     * @param badPieces   pieces that failed verification
     * @param lastError   the last failure's detail, or empty
     * @param verdict     empty, or what the fetch concluded about it (e.g. "served a corrupt copy")
     */
    public record MirrorResult(String id, long bytes, long received, double busySeconds, int requests, int failures,
                               int badPieces, String lastError, String verdict) {
        /** Mean rate while busy, bytes per second. */
        public double meanRate() {
            return busySeconds > 0 ? received / busySeconds : 0;
        }
    }

    // Loops, not streams: a stream's first use links its lambdas and pipeline classes, and these are read after
    // a fetch's last byte, on the path to its end, by a JVM that has not used them before.

    public boolean ok() {
        for (FileResult f : files) {
            if (!f.ok()) {
                return false;
            }
        }
        return true;
    }

    public long bytes() {
        long sum = 0;
        for (FileResult f : files) {
            sum += f.size();
        }
        return sum;
    }
}
