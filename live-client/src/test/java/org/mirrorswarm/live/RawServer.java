package org.mirrorswarm.live;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.HttpUrl;

/**
 * An HTTP server that writes exactly the bytes a test wants, for faults a well-behaved server library
 * will not produce: a body cut short, endless headers, silence after accepting.
 */
final class RawServer implements Closeable {
    /** Writes the answer for one request on a connection. */
    interface Handler {
        void handle(String requestLine, Map<String, String> headers, OutputStream out, Socket socket) throws IOException;
    }

    private final ServerSocket server;
    private final Thread thread;
    final AtomicInteger requests = new AtomicInteger();
    final AtomicInteger connections = new AtomicInteger();
    /** The request reader of the connection the calling handler serves. */
    private static final ThreadLocal<BufferedReader> READER = new ThreadLocal<>();

    /** A server that answers {@code GET /N} with N bytes (zeros), keeping the connection. */
    static RawServer sized() throws IOException {
        return new RawServer((line, headers, out, socket) -> {
            int n = Integer.parseInt(line.substring(line.indexOf('/') + 1, line.indexOf(' ', line.indexOf('/'))));
            out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + n + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(new byte[n]);
            out.flush();
        });
    }

    RawServer(Handler handler) throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0." + TestMirror.nextHost()));
        thread = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    connections.incrementAndGet();
                    Thread t = new Thread(() -> serve(s, handler), "raw-conn");
                    t.setDaemon(true);
                    t.start();
                } catch (IOException e) {
                    return;
                }
            }
        }, "raw-server");
        thread.setDaemon(true);
        thread.start();
    }

    private void serve(Socket s, Handler handler) {
        try (s) {
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
            READER.set(in);
            while (true) {
                String line = in.readLine();
                if (line == null || line.isEmpty()) {
                    return;
                }
                Map<String, String> headers = new LinkedHashMap<>();
                String h;
                while ((h = in.readLine()) != null && !h.isEmpty()) {
                    int c = h.indexOf(':');
                    headers.put(h.substring(0, c).trim().toLowerCase(Locale.ROOT), h.substring(c + 1).trim());
                }
                requests.incrementAndGet();
                handler.handle(line, headers, s.getOutputStream(), s);
                if (s.isClosed() || s.isOutputShutdown()) {
                    return;
                }
            }
        } catch (IOException e) {
            // the client went away
        }
    }

    /** For a handler: whether the client's next request on this connection has (partly) arrived already. */
    static boolean nextRequestWaiting(Socket s) throws IOException {
        return READER.get().ready() || s.getInputStream().available() > 0;
    }

    HttpUrl url(String path) {
        return HttpUrl.get("http://" + server.getInetAddress().getHostAddress() + ":" + server.getLocalPort() + path);
    }

    /** The head of a {@code 206} answering range {@code q} (first and last byte) of a file of {@code size} bytes. */
    static byte[] partialHead(long[] q, long size) {
        return ("HTTP/1.1 206 Partial Content\r\nContent-Range: bytes " + q[0] + "-" + q[1] + "/" + size
                + "\r\nContent-Length: " + (q[1] - q[0] + 1) + "\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    static long[] range(Map<String, String> headers) {
        String h = headers.get("range");
        String[] p = h.substring(6).split("-");
        return new long[] {Long.parseLong(p[0]), Long.parseLong(p[1])};
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
