package org.mirrorswarm.live;

import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProtocolException;
import java.net.Socket;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Locale;
import java.util.function.BooleanSupplier;
import okhttp3.Dns;
import okhttp3.Headers;
import okio.Buffer;
import okio.BufferedSource;
import okio.Okio;
import okio.Source;
import okio.Timeout;
import org.mirrorswarm.live.http.ContentRange;

/**
 * One HTTP/1.1 connection of the live client's own to an http or https mirror, on which requests may be
 * pipelined: sent without waiting for the answers before them, which the server gives in order (RFC 9112
 * §9.3.2; Debian's apt pipelines too). A mirror that allows one connection per client can thus start
 * its next answer as soon as the last one ends, instead of a round trip later.
 *
 * <p>Requests are written in the order they are queued; each sender then waits for its {@link Turn} (every
 * answer ahead of it read whole), reads its head and body, and hands the connection on with {@link
 * Turn#finish}. A request stopped before its turn has its answer read past ({@link Turn#pass}); one
 * cancelled while read is read to its end when others wait behind it ({@link Turn#cancel}). Anything that
 * leaves the stream's position unknown (a body not read to its end and too long to skip, an error, a timeout,
 * {@code Connection: close}) closes the connection: whoever waits behind then gets {@link Closed} and the
 * request is asked again, at no cost to the mirror.
 */
final class Pipe {
    /** A header line longer than this is refused, as are headers longer than {@link #MAX_HEADERS} in all. */
    static final int MAX_LINE = 64 << 10;
    /** The same cap as OkHttp's on the other path (256 KiB). */
    static final int MAX_HEADERS = 256 << 10;
    /**
     * Unread rest of an answer skipped to keep the connection (longer: the connection closes). A mebibyte
     * takes 40 ms at 25 MB/s; closing costs the requests waiting behind it a new connection and a round trip
     * each (their handshake and their request).
     */
    static final long MAX_SKIP = 1 << 20;
    /**
     * How long a cancelled answer may take to be read to its end before its connection is closed anyway: two
     * of the connection's round trips (what the requests behind it would lose on a new connection: its
     * handshake and their request), within these bounds; 250 ms before the first is measured.
     */
    static final long MIN_GRACE_NANOS = 50_000_000L;
    static final long MAX_GRACE_NANOS = 1_000_000_000L;
    static final long DEFAULT_GRACE_NANOS = 250_000_000L;
    /**
     * How long the head of a pipelined answer may keep the connection waiting once the answers ahead of it
     * are read: four of the connection's round trips (its request has been there since before the last answer
     * ended, so a working server starts the answer at once), and never less than this. Past it the server is
     * taken to have dropped the pipelined requests while keeping the connection open, as some servers and
     * middleboxes do: the connection closes and its requests are asked again.
     */
    static final long MIN_UNANSWERED_NANOS = 1_000_000_000L;
    private static final java.util.concurrent.ScheduledExecutorService LATER =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "mirrorswarm-pipe-timer");
                t.setDaemon(true);
                return t;
            });

    /**
     * How an https connection is set up: the general client's socket factory and host-name check (what it
     * trusts, this trusts; a certificate for another host is refused as it would be there). The factory is
     * asked for once the socket is connected: TLS may still be being set up on a thread of its own as the
     * first connections are made, and they connect meanwhile instead of after it.
     */
    record Tls(java.util.function.Supplier<javax.net.ssl.SSLSocketFactory> factory, javax.net.ssl.HostnameVerifier verifier) {
    }

    /** The server will speak only HTTP/2 (it refused HTTP/1.1 in the TLS handshake): the general client asks it. */
    static final class Http2 extends IOException {
        Http2(String host) {
            super(host + " speaks HTTP/2");
        }
    }

    /** The connection closed before this request could be sent or its answer read. */
    static final class Closed extends IOException {
        Closed(String message) {
            super(message);
        }
    }

    /** A response's status code and headers, and whether its body comes in chunks. */
    record Head(int code, Headers headers, boolean chunked) {
        String header(String name) {
            return headers.get(name);
        }
    }

    /** One request's place on the connection. */
    final class Turn {
        private volatile boolean reading;
        private volatile long unread;
        /** Cancelled, and read to its end for the requests behind it (within the grace). */
        private volatile boolean draining;
        /** When it was sent on an idle connection (its answer's wait is then a round trip); 0 otherwise. */
        private long sentIdle;
        private boolean keepAlive;

        Pipe pipe() {
            return Pipe.this;
        }

        /** Whether it was sent on an idle connection (not pipelined behind another answer). */
        boolean sentIdle() {
            return sentIdle != 0;
        }

        /**
         * How long this answer's head may be waited for once its turn has come before its connection is
         * taken to have dropped it ({@link #MIN_UNANSWERED_NANOS}); 0 when it was sent on an idle connection
         * (only the header timeout applies then).
         */
        long unansweredLimitNanos() {
            if (sentIdle != 0) {
                return 0;
            }
            synchronized (Pipe.this) {
                return Math.max(MIN_UNANSWERED_NANOS, 4 * roundTrip);
            }
        }

        /** Whether this answer is the one being read (a stop must then close the connection). */
        boolean reading() {
            return reading;
        }

        /**
         * This answer, being read, is no longer wanted. With requests waiting behind it, it is read to its end
         * (and skipped) so that they keep the connection, which is closed anyway if that takes longer than two
         * round trips (see {@link #MIN_GRACE_NANOS}); with none, or a body of unknown length, it closes now.
         */
        void cancel() {
            long grace;
            synchronized (Pipe.this) {
                if (!reading) {
                    return; // read whole meanwhile: the connection is the next answer's now
                }
                if (queue.size() < 2 || unread < 0) {
                    closeLocked();
                    return;
                }
                grace = roundTrip == 0 ? DEFAULT_GRACE_NANOS
                        : Math.max(MIN_GRACE_NANOS, Math.min(MAX_GRACE_NANOS, 2 * roundTrip));
                draining = true;
            }
            LATER.schedule(this::abort, grace, java.util.concurrent.TimeUnit.NANOSECONDS);
        }

        /**
         * This answer, being read, is abandoned (a timeout, a crawl): the connection closes, and the requests
         * behind it are asked again. Nothing happens if it was read whole meanwhile — the connection then
         * carries the next answer, which is not this one's to abort.
         */
        void abort() {
            synchronized (Pipe.this) {
                if (reading) {
                    closeLocked();
                }
            }
        }

        /**
         * Waits until every answer ahead of this one has been read. False when {@code stopped} turned true
         * first: the answer must then be read past ({@link #pass}) for the connection to go on.
         */
        boolean await(BooleanSupplier stopped) throws Closed {
            synchronized (Pipe.this) {
                while (queue.peekFirst() != this) {
                    if (closed) {
                        throw new Closed("the connection closed before this request's answer");
                    }
                    if (stopped.getAsBoolean()) {
                        return false;
                    }
                    try {
                        Pipe.this.wait(50);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new Closed("interrupted");
                    }
                }
                if (closed) {
                    throw new Closed("the connection closed before this request's answer");
                }
                reading = true;
                return true;
            }
        }

        /**
         * Reads past this answer when its turn comes (its request was stopped while it waited), skipping a
         * body of up to {@link #MAX_SKIP}, so that the connection stays for the requests behind it; anything
         * else closes it. Blocks: called on the stopped request's thread once the loop knows it is done.
         */
        void pass() {
            boolean clean = false;
            try {
                await(() -> false);
                readHead();
                clean = true;
            } catch (IOException e) {
                // closed meanwhile, or an answer that cannot be read past: the connection closes
            } finally {
                finish(clean);
            }
        }

        /** Reads the status line and headers of this answer (call after {@link #await}). */
        Head readHead() throws IOException {
            String status;
            try {
                status = line();
            } catch (EOFException e) {
                synchronized (Pipe.this) {
                    if (sentIdle == 0 && answered > 0) {
                        refusedPipelining = true; // it hung up on a request sent behind an answer
                    }
                }
                throw e;
            }
            if (sentIdle != 0) {
                synchronized (Pipe.this) {
                    long rt = System.nanoTime() - sentIdle;
                    roundTrip = roundTrip == 0 ? rt : (roundTrip * 3 + rt) / 4;
                }
            }
            long total = status.length();
            int code = code(status);
            Headers.Builder hb = new Headers.Builder();
            total = headers(hb, total);
            while (code >= 100 && code < 200 && code != 101) { // informational answers come before the answer
                status = line();
                code = code(status);
                hb = new Headers.Builder();
                total = headers(hb, total + status.length());
            }
            if (code < 200) {
                throw new ProtocolException("unexpected answer: " + clip(status));
            }
            Headers h = hb.build();
            long length = -1;
            for (String v : h.values("Content-Length")) {
                long n = ContentRange.number(v.strip());
                if (n < 0 || (length >= 0 && n != length)) {
                    throw new ProtocolException("bad Content-Length: " + clip(v));
                }
                length = n;
            }
            boolean chunked = h.get("Transfer-Encoding") != null;
            if (code == 204 || code == 304) {
                length = 0;
            }
            String connection = String.valueOf(h.get("Connection")).toLowerCase(Locale.ROOT);
            keepAlive = status.startsWith("HTTP/1.1") && !connection.contains("close") && !chunked && length >= 0;
            unread = chunked ? -1 : length;
            return new Head(code, h, chunked);
        }

        /**
         * Reads header lines up to the blank one into {@code hb}; {@code total} bytes of head were read before
         * them. Returns the new total; more than {@link #MAX_HEADERS} is refused.
         */
        private long headers(Headers.Builder hb, long total) throws IOException {
            for (String l = line(); !l.isEmpty(); l = line()) {
                total += l.length() + 2;
                if (total > MAX_HEADERS) {
                    throw new ProtocolException("response headers longer than " + (MAX_HEADERS >> 10) + " KiB");
                }
                if (l.charAt(0) == ' ' || l.charAt(0) == '\t') {
                    continue; // an obsolete line folding: the headers read here are never folded by real mirrors
                }
                int colon = l.indexOf(':');
                if (colon <= 0) {
                    throw new ProtocolException("malformed header line: " + clip(l));
                }
                try {
                    hb.addUnsafeNonAscii(l.substring(0, colon).strip(), l.substring(colon + 1).strip());
                } catch (IllegalArgumentException e) {
                    throw new ProtocolException("malformed header line: " + clip(l));
                }
            }
            return total;
        }

        /**
         * The body of the answer whose head was just read: its Content-Length bytes, or up to the end of the
         * stream when it has none (the connection then closes after it).
         */
        BufferedSource body() {
            return Okio.buffer(new Source() {
                @Override
                public long read(Buffer sink, long byteCount) throws IOException {
                    if (unread == 0) {
                        return -1;
                    }
                    long n = in.read(sink, unread < 0 ? byteCount : Math.min(byteCount, unread));
                    if (n > 0 && unread > 0) {
                        unread -= n;
                    }
                    return n;
                }

                @Override
                public Timeout timeout() {
                    return in.timeout();
                }

                @Override
                public void close() {
                    // the connection outlives the body
                }
            });
        }

        /**
         * This answer is done with. When {@code clean} (nothing went wrong, no stop) and the connection may be
         * kept, what is left of the body is skipped (up to {@link #skipCap}, or all of it while {@linkplain
         * #cancel draining} without a rate limit) and the next answer's reader goes on; otherwise the connection
         * closes. Skipped bytes are read all the same: the rate limit is charged with them (paid by the waits of
         * the reads that follow).
         */
        void finish(boolean clean) {
            boolean keep = clean && keepAlive && !isClosed() && unread >= 0
                    && (unread <= skipCap() || draining && limit == null);
            if (keep && unread > 0) {
                try {
                    in.skip(unread);
                    if (limit != null) {
                        limit.take(unread, System.nanoTime());
                    }
                    unread = 0;
                } catch (IOException e) {
                    keep = false;
                }
            }
            synchronized (Pipe.this) {
                queue.remove(this);
                reading = false;
                if (keep) {
                    answered++;
                } else {
                    if (clean && !keepAlive && !queue.isEmpty() && answered < 16) {
                        refusedPipelining = true; // it hung up early on requests it had been sent
                    }
                    closeLocked();
                }
                Pipe.this.notifyAll();
            }
        }
    }

    private final String host;
    private final int port;
    /** Null for plain http. */
    private final Tls tls;
    private volatile Socket socket = new Socket();
    private BufferedSource in;
    private OutputStream out;
    private final Object writing = new Object();
    private final ArrayDeque<Turn> queue = new ArrayDeque<>();
    private boolean connected;
    private boolean closed;
    private int answered;
    /** Requests {@link Pipes} chose this connection for that have not been sent yet. */
    private int reserved;
    private boolean refusedPipelining;
    /** A request could not be sent: the server hung up; the answers ahead of it are read, then it closes. */
    private boolean sendBroken;
    private boolean dropReported;
    /** Smoothed wait for the head of an answer sent on the idle connection, nanoseconds (0: none yet). */
    private long roundTrip;

    /** The download's rate limit, charged with the bytes skipped ({@link Turn#finish}); null for none. */
    private final RateLimit limit;

    Pipe(String host, int port, Tls tls) {
        this(host, port, tls, null);
    }

    Pipe(String host, int port, Tls tls, RateLimit limit) {
        this.host = host;
        this.port = port;
        this.tls = tls;
        this.limit = limit;
    }

    /**
     * The most of an answer's unread rest {@link Turn#finish} skips to keep the connection: {@link #MAX_SKIP},
     * or under a rate limit a tenth of a second of it (at least 1 KiB), however long it was being drained:
     * a connection is cheaper to make again than bytes the user has limited.
     */
    long skipCap() {
        return skipCap(limit);
    }

    /** {@link #skipCap()} under {@code limit} (null: none), for any connection: OkHttp's too ({@link Transfer}). */
    static long skipCap(RateLimit limit) {
        return limit == null ? MAX_SKIP : limit.readSize((int) MAX_SKIP);
    }

    /**
     * Connects (by the request that made the pipe; others queue on it meanwhile) to the first of {@code dns}'s
     * addresses for the host that answers.
     */
    void connect(Dns dns, int connectTimeoutMillis, int readTimeoutMillis) throws IOException {
        try {
            List<InetAddress> addresses = dns.lookup(host);
            if (addresses.isEmpty()) {
                throw new java.net.UnknownHostException(host);
            }
            IOException last = null;
            for (int i = 0; i < addresses.size(); i++) {
                if (i > 0) {
                    socket = new Socket();
                }
                try {
                    socket.connect(new InetSocketAddress(addresses.get(i), port), connectTimeoutMillis);
                    last = null;
                    break;
                } catch (IOException e) {
                    last = e;
                    if (isClosed()) {
                        throw e;
                    }
                }
            }
            if (last != null) {
                throw last;
            }
            socket.setSoTimeout(readTimeoutMillis);
            socket.setTcpNoDelay(true);
            if (tls != null) {
                handshake();
            }
            BufferedSource source = Okio.buffer(Okio.source(socket.getInputStream()));
            OutputStream o = socket.getOutputStream();
            synchronized (this) {
                in = source;
                out = o;
                connected = true;
                notifyAll();
            }
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /**
     * Puts TLS over the connected socket: the certificate checked by the general client's trust and its
     * host-name check before anything is sent, as on OkHttp's own connections (not also by the JDK's endpoint
     * identification: it builds the JDK's index of its ~140 authorities at the first handshake, to tell public
     * ones' wildcards apart, which a cold fetch over https paid on the path to its first byte: 3.36 s against
     * 3.39 s on the small-files https case, 11 interleaved runs), HTTP/1.1 asked for by ALPN — also of a
     * server that speaks HTTP/2: pipelined on one connection, answers come as they would as streams, without
     * HTTP/2's flow-control windows or a second handshake (measured with nginx 100 ms away, 200 small files:
     * 4.2 s pipelined, 5.2 s over HTTP/2 after a first handshake that found it). Inside TLS no proxy can
     * mangle pipelined requests. A server that will speak nothing but HTTP/2 gets {@link Http2}: the general
     * client asks it.
     */
    private void handshake() throws IOException {
        javax.net.ssl.SSLSocket s = (javax.net.ssl.SSLSocket) tls.factory().get().createSocket(socket, host, port, true);
        synchronized (this) {
            if (closed) {
                s.close();
                throw new Closed("closed while connecting");
            }
            socket = s;
        }
        javax.net.ssl.SSLParameters params = s.getSSLParameters();
        params.setApplicationProtocols(new String[] {"http/1.1"});
        s.setSSLParameters(params);
        try {
            s.startHandshake();
        } catch (javax.net.ssl.SSLHandshakeException e) {
            // The alert's name as the JDK's TLS says it, and as BoringSSL does (TLSV1_ALERT_NO_APPLICATION_PROTOCOL)
            if (String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT).contains("no_application_protocol")) {
                throw new Http2(host);
            }
            throw e;
        }
        if (!tls.verifier().verify(host, s.getSession())) {
            throw new javax.net.ssl.SSLPeerUnverifiedException("Hostname " + host + " not verified");
        }
    }

    /** Writes {@code request} and queues its turn. */
    Turn send(byte[] request) throws IOException {
        synchronized (writing) {
            Turn t = new Turn();
            OutputStream o;
            synchronized (this) {
                while (!connected && !closed) {
                    try {
                        wait(50);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new Closed("interrupted");
                    }
                }
                if (closed || sendBroken) {
                    throw new Closed("the connection is closed");
                }
                if (queue.isEmpty()) {
                    t.sentIdle = System.nanoTime();
                }
                reserved = Math.max(0, reserved - 1);
                queue.addLast(t);
                o = out;
            }
            try {
                o.write(request);
                o.flush();
            } catch (IOException e) {
                // The server hung up. Its answers already on the way are still read (closing now cut the one
                // being read short: counted against the mirror), then the connection closes; nothing more is
                // sent on it. Hanging up with requests pipelined on it is dropping them.
                synchronized (this) {
                    queue.remove(t);
                    sendBroken = true;
                    if (t.sentIdle == 0) {
                        refusedPipelining = true;
                    }
                    if (queue.isEmpty()) {
                        closeLocked();
                    }
                    notifyAll();
                }
                throw new Closed("the connection closed while sending: " + e.getMessage());
            }
            return t;
        }
    }

    /**
     * Answers waiting on this connection (sent, or about to be: {@link #reserve}; not yet read whole); -1 when
     * it is closed.
     */
    synchronized int waiting() {
        return closed || sendBroken ? -1 : queue.size() + reserved;
    }

    /**
     * A request is about to be sent here ({@link Pipes} chose this connection for it): until it is, the
     * connection does not look idle — one still connecting, with nothing sent yet, would otherwise take a
     * second request behind the first, pipelined where pipelining is off.
     */
    synchronized void reserve() {
        reserved++;
    }

    /** Whether nothing more can be sent here: closed, or the server hung up while a request was being sent. */
    synchronized boolean isClosed() {
        return closed || sendBroken;
    }

    /** Answers read whole on this connection so far. */
    synchronized int answered() {
        return answered;
    }

    /**
     * Whether the server dropped requests pipelined on this connection: it closed it, after few answers, with
     * them unanswered, or never answered one ({@link #markRefusedPipelining}). Set before the connection is
     * closed, so that {@link Pipes} counts the drop before it chooses a connection for the next request.
     */
    synchronized boolean refusedPipelining() {
        return refusedPipelining;
    }

    /** The server kept this connection open but never answered a request pipelined on it. */
    synchronized void markRefusedPipelining() {
        refusedPipelining = true;
    }

    /** True the first time only: the requests a connection dropped count as one drop ({@link Pipes#dropped}). */
    synchronized boolean firstDropReport() {
        if (dropReported) {
            return false;
        }
        dropReported = true;
        return true;
    }

    /** Wakes the requests waiting for their turn (one of them was stopped). */
    synchronized void poke() {
        notifyAll();
    }

    /** Closes the connection if it is still connecting (a stop of the request that opened it). */
    synchronized void abortConnect() {
        if (!connected) {
            closeLocked();
        }
    }

    /** Closes the connection: a blocked read or connect fails, every request still waiting gets {@link Closed}. */
    void close() {
        synchronized (this) {
            closeLocked();
        }
    }

    private void closeLocked() {
        if (!closed) {
            closed = true;
            try {
                socket.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
        notifyAll();
    }

    private static int code(String status) throws ProtocolException {
        if (!status.startsWith("HTTP/1.") || status.length() < 12 || status.charAt(8) != ' ') {
            throw new ProtocolException("not an HTTP/1.x status line: " + clip(status));
        }
        try {
            return Integer.parseInt(status.substring(9, 12));
        } catch (NumberFormatException e) {
            throw new ProtocolException("bad status code: " + clip(status));
        }
    }

    private String line() throws IOException {
        long nl = in.indexOf((byte) '\n', 0, MAX_LINE);
        if (nl < 0) {
            if (in.getBuffer().size() >= MAX_LINE) {
                throw new ProtocolException("a response header line longer than " + (MAX_LINE >> 10) + " KiB");
            }
            throw new EOFException("the connection closed in the response headers");
        }
        String l = in.readUtf8(nl);
        in.skip(1);
        return l.endsWith("\r") ? l.substring(0, l.length() - 1) : l;
    }

    private static String clip(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "…" : s;
    }
}
