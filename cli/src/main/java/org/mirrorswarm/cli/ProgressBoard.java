package org.mirrorswarm.cli;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.mirrorswarm.live.FetchListener;
import org.mirrorswarm.strategies.Units;

/**
 * The fetch's progress on a terminal: a line for the whole download (a bar, bytes, speed, ETA, files, mirrors
 * and requests in use) and one for each file in flight (bytes arrived, speed, ETA, mirrors in use), redrawn in place
 * ({@link InPlace}). A file that fails is said on a line of its own above them, which stays.
 */
final class ProgressBoard implements AutoCloseable {
    /** File lines at most; the rest are counted on one more line. */
    static final int MAX_FILES = 8;
    /** Speeds are measured over this many seconds. */
    static final double WINDOW = 3.0;
    private static final long REDRAW_NANOS = 250_000_000L;

    private final InPlace screen;
    private final Rates rates = new Rates();
    private boolean drawn;
    private long lastDraw;
    private FetchListener.Progress last;

    ProgressBoard(InPlace screen) {
        this.screen = screen;
    }

    /** Takes a snapshot; redraws at most four times a second. */
    void progress(FetchListener.Progress p) {
        rates.add(p);
        last = p;
        long now = System.nanoTime();
        if (!drawn || now - lastDraw >= REDRAW_NANOS) {
            lastDraw = now;
            redraw();
        }
    }

    /** A line that stays above the board (a file given up). */
    void say(String line) {
        screen.keep(line);
        redraw();
    }

    /** Draws the last snapshot in full, the cursor left below it, and lets the terminal go. */
    @Override
    public void close() {
        redraw();
        screen.close();
    }

    private void redraw() {
        drawn = true;
        screen.draw(last == null ? List.of() : render(last, rates, screen.width()));
    }

    /** The board's lines for snapshot {@code p}, each at most {@code width - 1} characters. */
    static List<String> render(FetchListener.Progress p, Rates rates, int width) {
        List<String> lines = new ArrayList<>(MAX_FILES + 2);
        double rate = rates.total();
        StringBuilder tail = new StringBuilder(96).append(' ').append(Units.formatBytes(p.verifiedBytes()))
                .append(" / ").append(Units.formatBytes(p.totalBytes())).append("  ")
                .append(Units.formatBytes((long) rate)).append("/s  ETA ")
                .append(eta(p.totalBytes() - p.verifiedBytes(), rate)).append("  ").append(p.filesDone()).append('/')
                .append(p.files()).append(" files");
        if (p.filesFailed() > 0) {
            tail.append(" (").append(p.filesFailed()).append(" failed)");
        }
        tail.append("  ").append(count(p.mirrorsInUse(), "mirror"));
        String requests = "  " + count(p.liveRequests(), "request");
        if (width - 1 - 5 - tail.length() - requests.length() >= 20) { // else the bar has the room
            tail.append(requests);
        }
        double share = p.totalBytes() == 0 ? 1 : Math.min(1, (double) p.verifiedBytes() / p.totalBytes());
        String percent = Math.round(Math.floor(share * 100)) + "%";
        int barWidth = Math.max(10, Math.min(40, width - 1 - 5 - tail.length()));
        lines.add(InPlace.cut(" ".repeat(Math.max(0, 4 - percent.length())) + percent + " " + bar(share, barWidth) + tail,
                width - 1));
        if (p.waiting() != null) {
            lines.add(InPlace.cut("  " + waiting(p.waiting()), width - 1));
        }
        int shown = Math.min(MAX_FILES, p.active().size());
        for (int i = 0; i < shown; i++) {
            FetchListener.FileProgress f = p.active().get(i);
            double r = rates.file(f.name());
            String rest = "  " + Units.formatBytes(f.arrivedBytes()) + " / " + Units.formatBytes(f.size()) + "  "
                    + Units.formatBytes((long) r) + "/s  ETA " + eta(f.size() - f.arrivedBytes(), r) + "  "
                    + count(f.mirrorsInUse(), "mirror");
            int room = Math.max(8, width - 1 - 2 - rest.length());
            lines.add(InPlace.cut("  " + shorten(f.name(), room) + rest, width - 1));
        }
        if (p.active().size() > shown) {
            lines.add(InPlace.cut("  and " + (p.active().size() - shown) + " more files in flight", width - 1));
        }
        return lines;
    }

    static String bar(double share, int width) {
        int inner = width - 2;
        int full = (int) Math.floor(share * inner);
        StringBuilder b = new StringBuilder(width).append('[');
        b.append("=".repeat(full));
        if (full < inner) {
            b.append('>').append(" ".repeat(inner - full - 1));
        }
        return b.append(']').toString();
    }

    /** Time left at {@code rate}: {@code m:ss}, {@code h:mm:ss}, or {@code --:--} when not known. */
    static String eta(long remaining, double rate) {
        if (remaining <= 0) {
            return "0:00";
        }
        if (!(rate > 0) || remaining / rate > 100 * 3600) {
            return "--:--";
        }
        return clock((long) Math.ceil(remaining / rate));
    }

    /** {@code s} seconds as {@code m:ss}, or {@code h:mm:ss} from an hour. */
    static String clock(long s) {
        long h = s / 3600;
        long m = s / 60 % 60;
        String mmss = (h > 0 && m < 10 ? "0" : "") + m + ":" + (s % 60 < 10 ? "0" : "") + s % 60;
        return h > 0 ? h + ":" + mmss : mmss;
    }

    /**
     * What a download with nothing in flight waits for: "waiting for 2 banned mirrors, the first asked again in
     * 3.8 s (last: connection failed)".
     */
    static String waiting(FetchListener.Waiting w) {
        return "waiting for " + count(w.banned(), "banned mirror") + ", " + (w.banned() == 1 ? "" : "the first ")
                + "asked again in " + Units.appendFixed(new StringBuilder(), Math.max(0, w.inSeconds()), 1) + " s"
                + (w.lastFailure().isEmpty() ? "" : " (last: " + w.lastFailure() + ")");
    }

    private static String count(int n, String thing) {
        return n + " " + thing + (n == 1 ? "" : "s");
    }

    /** {@code name} in at most {@code room} characters: its end kept, as that tells files apart. */
    static String shorten(String name, int room) {
        return name.length() <= room ? name : "..." + name.substring(name.length() - Math.max(1, room - 3));
    }

    /** Speeds, the download's and each file's, over the last {@link #WINDOW} seconds of snapshots. */
    static final class Rates {
        private final ArrayDeque<double[]> total = new ArrayDeque<>();
        private final Map<String, ArrayDeque<double[]>> files = new HashMap<>();

        void add(FetchListener.Progress p) {
            push(total, p.seconds(), p.verifiedBytes());
            Set<String> now = new HashSet<>();
            for (FetchListener.FileProgress f : p.active()) {
                now.add(f.name());
                push(files.computeIfAbsent(f.name(), k -> new ArrayDeque<>()), p.seconds(), f.arrivedBytes());
            }
            files.keySet().retainAll(now); // a file no longer in flight starts afresh if it comes back
        }

        private static void push(ArrayDeque<double[]> q, double t, double bytes) {
            q.addLast(new double[] {t, bytes});
            // The oldest kept is the last one at least WINDOW old: the speed spans the whole window.
            while (q.size() > 1) {
                double[] first = q.removeFirst();
                if (q.peekFirst()[0] > t - WINDOW) {
                    q.addFirst(first);
                    break;
                }
            }
        }

        double total() {
            return rate(total);
        }

        double file(String name) {
            ArrayDeque<double[]> q = files.get(name);
            return q == null ? 0 : rate(q);
        }

        private static double rate(ArrayDeque<double[]> q) {
            if (q.size() < 2) {
                return 0;
            }
            double[] a = q.peekFirst();
            double[] b = q.peekLast();
            return b[0] > a[0] ? Math.max(0, (b[1] - a[1]) / (b[0] - a[0])) : 0;
        }
    }
}
