package org.mirrorswarm.tracker;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.RequestLog;
import org.eclipse.jetty.server.Response;
import org.mirrorswarm.strategies.JsonText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The structured access log: one JSON object per request (time, client, method, path, status, bytes,
 * milliseconds, agent), appended by one writer thread in batches. Request threads never wait for the
 * disk: when the queue is full a line is dropped and counted, and the count is logged. When the file
 * reaches its size limit it becomes {@code FILE.1} (the older ones {@code FILE.2} … up to the number
 * kept, the oldest deleted) and a new file is started, so a tracker that runs for months holds a bounded
 * amount of log. A file truncated from outside (logrotate's {@code copytruncate}) is simply appended to.
 * A file that cannot be written (a full disk) is said once; its lines are dropped and counted meanwhile, and it
 * is opened again every {@link #RETRY_NANOS retry interval} until it can be written, which is said too.
 */
final class AccessLog implements RequestLog, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AccessLog.class);
    private static final String STOP = new String("stop");

    private final ArrayBlockingQueue<String> queue = new ArrayBlockingQueue<>(1 << 16);
    private final AtomicLong dropped = new AtomicLong();
    private final Path file;
    private final long maxBytes;
    private final int keep;
    private volatile BufferedWriter out;
    private long size; // bytes in the current file as this writer counts them (writer thread only)
    private final Thread writer;
    private volatile long second = -1;
    private volatile String secondText = "";
    /** How long after a failed write or open the file is opened again. */
    private final long retryNanos;
    /** A write failed and none has succeeded since (writer thread only). */
    private boolean failing;
    /** Lines written since the last flush that went through: lost with the buffer if the next one fails. */
    private int unflushed;
    /** Lines lost because the file could not be written, not yet said (writer thread only). */
    private long lost;
    /** When the file is next opened again after it could not be written (writer thread only). */
    private long retryAt;
    static final long RETRY_NANOS = 10_000_000_000L;

    /** The log {@code spec} describes: its file, rotated at its size limit (0: never) keeping its older files. */
    AccessLog(TrackerServer.LogFile spec) throws IOException {
        this(spec, RETRY_NANOS);
    }

    /** As above, the file opened again {@code retryNanos} after it could not be written. */
    AccessLog(TrackerServer.LogFile spec, long retryNanos) throws IOException {
        this.retryNanos = retryNanos;
        this.file = spec.path();
        this.maxBytes = spec.maxBytes();
        this.keep = spec.keep();
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        out = open();
        writer = new Thread(this::drain, "tracker-access-log");
        writer.setDaemon(true);
        writer.start();
    }

    @Override
    public void log(Request request, Response response) {
        long ms = Request.getTimeStamp(request);
        long sec = Math.floorDiv(ms, 1000);
        String stamp = secondText;
        if (sec != second) {
            String t = Instant.ofEpochSecond(sec).toString();
            stamp = t.substring(0, t.length() - 1);
            secondText = stamp;
            second = sec;
        }
        long micros = (System.nanoTime() - request.getBeginNanoTime()) / 1000;
        String path = request.getHttpURI().getPathQuery();
        if (path != null && path.length() > 512) {
            path = path.substring(0, 512) + "…";
        }
        String agent = request.getHeaders().get(HttpHeader.USER_AGENT);
        if (agent != null && agent.length() > 200) {
            agent = agent.substring(0, 200) + "…";
        }
        long milli = Math.floorMod(ms, 1000);
        StringBuilder sb = new StringBuilder(200);
        sb.append("{\"time\":\"").append(stamp).append('.').append((char) ('0' + milli / 100))
                .append((char) ('0' + milli / 10 % 10)).append((char) ('0' + milli % 10)).append("Z\",\"client\":")
                .append(JsonText.quote(Request.getRemoteAddr(request))).append(",\"method\":")
                .append(JsonText.quote(request.getMethod())).append(",\"path\":").append(JsonText.quote(path))
                .append(",\"status\":").append(response.getStatus()).append(",\"bytes\":")
                .append(Response.getContentBytesWritten(response)).append(",\"ms\":").append(micros / 1000).append('.')
                .append((char) ('0' + micros / 100 % 10)).append((char) ('0' + micros / 10 % 10))
                .append(",\"agent\":").append(JsonText.quote(agent)).append('}');
        append(sb.toString());
    }

    /** Queues {@code line} for the writer, or counts it dropped when the queue is full. */
    void append(String line) {
        if (!queue.offer(line)) {
            dropped.incrementAndGet();
        }
    }

    private void drain() {
        List<String> batch = new ArrayList<>(4096);
        try {
            while (true) {
                String first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (out == null && System.nanoTime() - retryAt >= 0) {
                    try {
                        out = open(); // said once a line is written in it
                    } catch (IOException e) {
                        retryAt = System.nanoTime() + retryNanos;
                    }
                }
                if (first == null) {
                    flush();
                    reportDropped(false);
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, 4095);
                int i = 0;
                boolean written = false; // line i is in the writer (counted in unflushed)
                try {
                    for (; i < batch.size(); i++) {
                        written = false;
                        String line = batch.get(i);
                        if (line == STOP) {
                            flush();
                            reportDropped(true);
                            return;
                        }
                        if (out == null) {
                            lost++;
                            continue;
                        }
                        out.write(line);
                        out.write('\n');
                        unflushed++;
                        written = true;
                        size += utf8Length(line) + 1;
                        if (maxBytes > 0 && size >= maxBytes) {
                            rotate();
                        }
                    }
                    if (queue.isEmpty()) {
                        flush();
                    }
                } catch (IOException e) {
                    broken(e);
                    lost += batch.size() - i - (written ? 1 : 0); // the lines not yet in the writer
                    if (batch.get(batch.size() - 1) == STOP) { // told to stop behind the lines lost
                        lost--;
                        reportDropped(true);
                        return;
                    }
                }
                batch.clear();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Flushes what was written, if the file is open; an error there is {@link #broken}. */
    private void flush() {
        BufferedWriter w = out;
        if (w == null) {
            return;
        }
        try {
            w.flush();
            unflushed = 0;
            if (failing) {
                failing = false;
                LOG.warn("access log: {} is written again", file);
            }
        } catch (IOException e) {
            broken(e);
        }
    }

    /**
     * The file could not be written: said (once until it is written again), closed; lines are dropped until it
     * is opened again.
     */
    private void broken(IOException e) {
        lost += unflushed; // in the buffer, or cut short in the file
        unflushed = 0;
        retryAt = System.nanoTime() + retryNanos;
        if (!failing) {
            failing = true;
            LOG.warn("access log: {}; lines are dropped and counted until it can be written again (tried every {} s)",
                    e.getMessage(), retryNanos / 1_000_000_000L);
        }
        BufferedWriter w = out;
        out = null;
        if (w != null) {
            try {
                w.close();
            } catch (IOException again) {
                // what it held is lost with the write that failed
            }
        }
    }

    private BufferedWriter open() throws IOException {
        BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
        size = Files.size(file);
        return w;
    }

    /** FILE becomes FILE.1, FILE.1 becomes FILE.2 …, the oldest beyond {@code keep} is deleted. */
    private void rotate() throws IOException {
        out.flush();
        unflushed = 0;
        long real = Files.size(file);
        if (real < maxBytes) {
            size = real; // truncated from outside: keep appending
            return;
        }
        out.close();
        try {
            Files.deleteIfExists(numbered(keep));
            for (int i = keep - 1; i >= 1; i--) {
                if (Files.exists(numbered(i))) {
                    Files.move(numbered(i), numbered(i + 1), StandardCopyOption.REPLACE_EXISTING);
                }
            }
            Files.move(file, numbered(1), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            LOG.warn("access log: cannot rotate ({}); appending to {}", e.getMessage(), file);
            out = open();
            size = 0; // tried again after another maxBytes, not on every line
            return;
        }
        out = open();
    }

    private Path numbered(int i) {
        return file.resolveSibling(file.getFileName() + "." + i);
    }

    private static int utf8Length(String s) {
        int n = s.length();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x80) {
                n += c >= 0x800 && !Character.isSurrogate(c) ? 2 : 1; // a surrogate pair is 4 bytes in all
            }
        }
        return n;
    }

    /** Says the lines dropped, and those lost once the file is written again or the writer {@code stopping}. */
    private void reportDropped(boolean stopping) {
        long n = dropped.getAndSet(0);
        if (n > 0) {
            LOG.warn("access log: {} lines dropped (the disk did not keep up)", n);
        }
        if (lost > 0 && (!failing || stopping)) { // counted in one line once it is over, not on every pause
            LOG.warn("access log: {} lines lost while it could not be written", lost);
            lost = 0;
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        try {
            queue.put(STOP);
            writer.join(5000);
        } finally {
            BufferedWriter w = out;
            if (w != null) {
                w.close();
            }
        }
    }
}
