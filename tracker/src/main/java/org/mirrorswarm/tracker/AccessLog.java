package org.mirrorswarm.tracker;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * disk: when the queue is full a line is dropped and counted, and the count is logged.
 */
final class AccessLog implements RequestLog, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AccessLog.class);
    private static final String STOP = new String("stop");

    private final ArrayBlockingQueue<String> queue = new ArrayBlockingQueue<>(1 << 16);
    private final AtomicLong dropped = new AtomicLong();
    private final BufferedWriter out;
    private final Thread writer;
    private volatile long second = -1;
    private volatile String secondText = "";

    AccessLog(Path file) throws IOException {
        if (file.getParent() != null) {
            Files.createDirectories(file.getParent());
        }
        out = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
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
        if (!queue.offer(sb.toString())) {
            dropped.incrementAndGet();
        }
    }

    private void drain() {
        List<String> batch = new ArrayList<>(4096);
        try {
            while (true) {
                String first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    out.flush();
                    reportDropped();
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, 4095);
                for (String line : batch) {
                    if (line == STOP) {
                        out.flush();
                        reportDropped();
                        return;
                    }
                    out.write(line);
                    out.write('\n');
                }
                batch.clear();
                if (queue.isEmpty()) {
                    out.flush();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            LOG.warn("access log: {}; no more lines are written", e.getMessage());
        }
    }

    private void reportDropped() {
        long n = dropped.getAndSet(0);
        if (n > 0) {
            LOG.warn("access log: {} lines dropped (the disk did not keep up)", n);
        }
    }

    @Override
    public void close() throws IOException, InterruptedException {
        try {
            queue.put(STOP);
            writer.join(5000);
        } finally {
            out.close();
        }
    }
}
