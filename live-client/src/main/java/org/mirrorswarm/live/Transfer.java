package org.mirrorswarm.live;

import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import javax.net.ssl.SSLException;
import okhttp3.Call;
import okhttp3.Credentials;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okhttp3.Request;
import okhttp3.Response;
import okio.BufferedSource;
import org.mirrorswarm.live.http.ContentRange;
import org.mirrorswarm.live.store.PartFile;
import org.mirrorswarm.strategies.FailureReason;
import org.mirrorswarm.strategies.FilePlan;
import org.mirrorswarm.strategies.HashAlgorithm;

/**
 * One range request on a worker thread: fetches pieces {@code [first, end)} of a file from one mirror,
 * checks every response header the fault matrix names, verifies each piece as it completes, writes the
 * verified ones and tells the event loop. It ends with exactly one {@link Msg.Done} or {@link Msg.Failed}.
 *
 * <p>The loop may shrink it (stop before a piece), cancel it (stop now; that is {@code Done}), or kill it
 * for a timeout or low speed (that is {@code Failed}); all three act between reads, and cancel and kill
 * also abort a blocked read by cancelling the OkHttp call.
 */
final class Transfer implements Runnable {
    /** Why the loop stopped a transfer. */
    enum Stop { NONE, CANCELLED, TIMEOUT, LOW_SPEED, COLLAPSED, UNANSWERED }

    private static final int READ_CHUNK = 64 << 10;
    private static final long REPORT_BYTES = 256 << 10;
    private static final long REPORT_NANOS = 100_000_000L;

    final int id;
    final int file;
    final String mirror;
    final int first;
    /** When the request could start: made, and its piece buffer granted (0 while waiting for one). */
    volatile long startNanos;
    volatile int end;
    /** The end piece asked for: the answer runs to there, whatever the loop shrinks {@link #end} to. */
    private final int askedEnd;
    volatile Stop stop = Stop.NONE;
    volatile long headersNanos;
    volatile long lastByteNanos;
    /** {@link #lastByteNanos} on this transfer's {@linkplain #effective own clock}. */
    volatile long lastByteEffective;
    volatile long bytes;
    /** Time spent waiting on the {@link RateLimit}, waits ended; and when the one under way began (0: none). */
    private volatile long throttledNanos;
    private volatile long throttledSince;

    private final HttpUrl url;
    private final FilePlan plan;
    private final PartFile part;
    private final GeneralClient client;
    private final FetchOptions options;
    private final BlockingQueue<Msg> inbox;
    private final Map<String, String> validators;
    private final BufferPool buffers;
    /** The client's own connections, and the gates of the general client's. */
    private final Pipes pipes;
    /** The download's rate limit, or null. */
    private final RateLimit limit;
    private volatile Call call;
    /** This request's place on one of {@link #pipes}' connections, once sent there. */
    private volatile Pipe.Turn turn;
    /** The connection this request opened for itself, while it connects (a stop closes it). */
    private volatile Pipe connecting;
    /** Where the answer on the client's own connection redirected to (the general client goes on from there). */
    private HttpUrl redirectedTo;
    /** A place on a connection given up before its turn: its answer is read past after the terminal message. */
    private Pipe.Turn passOver;
    /** The piece buffer, taken when the transfer starts and given back at its very end. */
    private byte[] buf;
    /**
     * Whether this request may open a connection beyond its mirror's limit, through the general client: true
     * unless the scheduler made it as a pipelined early request, holding no connection of the budget (before
     * it was told its mirror cannot be pipelined): such a request waits for one of the mirror's connections.
     */
    private volatile boolean extraConnection = true;
    /** The last piece, claimed and reported, written after the terminal message; -1 when none. */
    private int deferredPiece = -1;
    private byte[] deferredSha;

    Transfer(int id, int file, String mirror, int first, int end, HttpUrl url, FilePlan plan, PartFile part,
             GeneralClient client, FetchOptions options, BlockingQueue<Msg> inbox, Map<String, String> validators,
             BufferPool buffers, Pipes pipes, RateLimit limit) {
        this.id = id;
        this.file = file;
        this.mirror = mirror;
        this.first = first;
        this.end = end;
        this.askedEnd = end;
        this.url = url;
        this.plan = plan;
        this.part = part;
        this.client = client;
        this.options = options;
        this.inbox = inbox;
        this.validators = validators;
        this.buffers = buffers;
        this.pipes = pipes;
        this.limit = limit;
    }

    /**
     * {@code t} on this transfer's own clock, which stops while it waits on the download's rate limit: the
     * watchdog's timeouts and speeds are the mirror's, not the limit's (a limit of 64 KiB/s shared by 16
     * transfers would otherwise put every one of them under the default low-speed limit). The same as
     * {@code t} without a limit.
     */
    long effective(long t) {
        long since = throttledSince; // read first: a wait that just ended is then counted twice at worst, never missed
        long waited = throttledNanos;
        return t - waited - (since != 0 && t > since ? t - since : 0);
    }

    /** Waits, having read {@code n} bytes, until the rate limit has paid for them (or the transfer is stopped). */
    private void throttle(int n) {
        long now = System.nanoTime();
        long wait = limit.take(n, now);
        if (wait <= 0) {
            return;
        }
        throttledSince = now;
        long until = now + wait;
        // An interrupt (the download's workers shut down) ends the wait too: parkNanos would return at once, again
        // and again, until the end of it.
        for (long left = wait; left > 0 && stop == Stop.NONE && !Thread.currentThread().isInterrupted();
                left = until - System.nanoTime()) {
            java.util.concurrent.locks.LockSupport.parkNanos(Math.min(left, 20_000_000L));
        }
        throttledNanos += System.nanoTime() - now; // before throttledSince is cleared: see effective
        throttledSince = 0;
    }

    /**
     * How long this request, now next on its connection, may wait for its answer's head before the connection
     * is taken to have dropped its pipelined requests ({@link Pipe#MIN_UNANSWERED_NANOS}); 0 when that does not
     * apply (not pipelined, not yet its turn, or its head is in).
     */
    long unansweredLimitNanos() {
        Pipe.Turn t = turn;
        return t == null || !t.reading() || headersNanos != 0 ? 0 : t.unansweredLimitNanos();
    }

    /** Stops the transfer as soon as possible for {@code why}; a blocked read is aborted. */
    void stop(Stop why) {
        if (stop == Stop.NONE) {
            stop = why;
        }
        if (stop == Stop.UNANSWERED && why == Stop.UNANSWERED && turn != null) {
            turn.pipe().markRefusedPipelining();
            pipes.dropped(url, turn.pipe()); // after two such connections, nothing more is pipelined there
        }
        Call c = call;
        if (c != null) {
            c.cancel();
        }
        Pipe.Turn t = turn;
        Pipe p = connecting;
        if (t == null && p != null) {
            // Aborts the connect (a request queued on it meanwhile is asked again); once connected, others may
            // already be reading answers there, and this request, not yet sent, simply goes no further.
            p.abortConnect();
        } else if (t != null) {
            if (!t.reading()) {
                t.pipe().poke();
            } else if (why == Stop.CANCELLED) {
                t.cancel(); // read to its end if little is left, so the requests behind it keep the connection
            } else {
                t.abort(); // aborts the read; the requests behind it on the connection are asked again
            }
        }
    }

    /**
     * The piece buffer a transfer of {@code plan} needs: its largest piece, which is smaller than the piece
     * length for a file smaller than one piece (a 4 KiB file with 1 MiB pieces needs no 1 MiB buffer zeroed
     * and paged in, nor counted against the budget of buffers).
     */
    static int bufferSize(FilePlan plan) {
        return (int) Math.max(1, Math.min(plan.pieceLength(), plan.size()));
    }

    /** The transfer must now stop before piece {@code newEnd}. */
    void shrink(int newEnd) {
        end = Math.min(end, newEnd);
    }

    @Override
    public void run() {
        Msg terminal;
        try {
            buf = buffers.take(bufferSize(plan), () -> stop != Stop.NONE);
            if (buf == null) {
                terminal = failure(FailureReason.CANCELLED, "stopped while waiting for memory");
            } else {
                startNanos = System.nanoTime();
                terminal = fetch();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            terminal = failure(FailureReason.CANCELLED, "interrupted");
        } catch (LocalFailure e) {
            inbox.add(new Msg.LocalError(e.getMessage()));
            terminal = new Msg.Failed(id, FailureReason.CANCELLED, "local error");
        } catch (IOException e) {
            FailureReason reason = classify(e);
            if (headersNanos != 0 && reason == FailureReason.BAD_RESPONSE) {
                reason = FailureReason.CONNECTION_LOST; // a body cut short is a lost connection, not bad data
            }
            terminal = failure(reason, reason == FailureReason.TLS_FAILED ? describeTls(e) : describe(e));
        } catch (LiveDownload.TlsUnavailable e) {
            inbox.add(new Msg.LocalError(e.getMessage()));
            terminal = new Msg.Failed(id, FailureReason.CANCELLED, "local error");
        } catch (RuntimeException e) {
            terminal = failure(FailureReason.BAD_RESPONSE, "unexpected: " + e);
        }
        inbox.add(terminal);
        // The connection is back in the pool and the loop can give this mirror its next range while the
        // last piece goes to the disk: at tens of MiB/s, a millisecond per request is several percent.
        try {
            if (deferredPiece >= 0) {
                part.store(deferredPiece, buf, plan.pieceLength(deferredPiece), deferredSha, mirror);
            }
        } catch (IOException | RuntimeException e) {
            inbox.add(new Msg.LocalError(part.target() + ".part: " + e.getMessage()));
        } finally {
            if (buf != null) {
                buffers.give(buf);
            }
        }
        if (passOver != null) {
            passOver.pass();
        }
    }

    /** The terminal message for a failure: a stop by the loop wins over what the I/O layer reported. */
    private Msg failure(FailureReason reason, String detail) {
        return switch (stop) {
            case CANCELLED -> new Msg.Done(id);
            case TIMEOUT -> new Msg.Failed(id, FailureReason.TIMEOUT, headersNanos == 0
                    ? "no response within the header timeout" : "no data within the first-byte timeout");
            case LOW_SPEED -> new Msg.Failed(id, FailureReason.LOW_SPEED, "below " + options.lowSpeedLimit()
                    + " B/s for " + options.lowSpeedTime().toSeconds() + " s");
            case COLLAPSED -> new Msg.Failed(id, FailureReason.LOW_SPEED, "slowed to under a sixteenth of its rate after "
                    + bytes + " bytes (asking it for shorter ranges)");
            case UNANSWERED -> new Msg.Failed(id, FailureReason.CANCELLED,
                    "no answer to a pipelined request: the mirror dropped it, its connection closed (asked again)");
            case NONE -> new Msg.Failed(id, reason, detail);
        };
    }

    private Msg fetch() throws IOException {
        if (stop != Stop.NONE) { // cancelled between the scheduler's start and this thread's: nothing is asked
            return failure(FailureReason.CANCELLED, "cancelled before it was sent");
        }
        if (pipes.handles(url)) {
            Msg m = fetchPiped();
            if (m != null) {
                return m;
            }
        }
        if (pipes.firstUnpipelined(url)) {
            inbox.add(new Msg.NotPipelined(mirror)); // its early requests are connections of the budget now
        }
        // Early requests beyond what the gate lets through wait here for a connection (not timed meanwhile).
        Pipes.Gate gate = pipes.gate(url);
        int slot;
        startNanos = 0;
        try {
            while ((slot = gate.take(extraConnection, 50)) == Pipes.Gate.NONE) {
                if (stop != Stop.NONE) {
                    return failure(FailureReason.CANCELLED, "stopped");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failure(FailureReason.CANCELLED, "interrupted");
        }
        startNanos = System.nanoTime();
        try {
            return fetchGeneral();
        } finally {
            gate.give(slot);
        }
    }

    void noExtraConnection() {
        extraConnection = false;
    }

    /**
     * The request on one of the client's own connections, pipelined behind the answers already asked there.
     * Null when the answer needs the general client: a redirect (followed there, with its caps and credential
     * rules) or a range answer framed by chunks; that origin then goes through the general client from now on.
     */
    private Msg fetchPiped() throws IOException {
        long startByte = plan.pieceStart(first);
        long endByte = plan.range(first, end).end();
        Pipe.Turn t;
        try {
            t = pipes.send(url, startByte, endByte, p -> connecting = p);
        } catch (Pipe.Http2 e) {
            pipes.bypass(url); // it speaks only HTTP/2: the general client asks it from now on, as streams
            pipes.multiplexed(url);
            return null;
        } catch (Pipe.Closed e) {
            // The connection it was to go on closed first (its connect failed, which is counted against the
            // request that made it; or the mirror had closed it while idle): asked again, no fault of the mirror's.
            return stop != Stop.NONE ? failure(FailureReason.CANCELLED, "stopped")
                    : new Msg.Failed(id, FailureReason.CANCELLED, "its connection closed before it was sent (asked again)");
        }
        turn = t;
        // While the answers ahead of it arrive the watchdog leaves it alone: they are timed themselves, and
        // its own header timeout starts when it is next on the connection.
        startNanos = 0;
        boolean mine;
        try {
            mine = t.await(() -> stop != Stop.NONE);
        } catch (Pipe.Closed e) {
            if (t.pipe().refusedPipelining()) {
                pipes.dropped(url, t.pipe());
            }
            return stop != Stop.NONE ? failure(FailureReason.CANCELLED, "stopped")
                    : new Msg.Failed(id, FailureReason.CANCELLED, "its connection closed before its answer (asked again)");
        }
        if (!mine) {
            passOver = t; // its answer is read past once the loop has heard it is done, for the requests behind it
            return failure(FailureReason.CANCELLED, "stopped");
        }
        startNanos = System.nanoTime();
        boolean clean = false;
        try {
            if (stop != Stop.NONE) {
                return failure(FailureReason.CANCELLED, "stopped");
            }
            Pipe.Head head;
            try {
                head = t.readHead();
            } catch (EOFException e) {
                if (t.pipe().answered() > 0 && stop == Stop.NONE) {
                    // A kept connection the mirror closed: after it sat idle (its keep-alive timeout), or with
                    // this request pipelined behind an answer (it does not keep pipelined requests; after two
                    // such, no more are pipelined there). Not a fault of the mirror's either way.
                    if (!t.sentIdle()) {
                        pipes.dropped(url, t.pipe());
                    }
                    return new Msg.Failed(id, FailureReason.CANCELLED, "the mirror had closed the kept connection (asked again)");
                }
                throw e;
            }
            int code = head.code();
            if (redirect(code)) {
                pipes.bypass(url);
                clean = true; // past its (short) body the connection may serve the next request
                if (options.maxRedirects() == 0) {
                    return new Msg.Failed(id, FailureReason.BAD_RESPONSE, "more than 0 redirects");
                }
                String location = head.header("Location");
                redirectedTo = location == null ? null : url.resolve(location);
                if (redirectedTo == null) {
                    return new Msg.Failed(id, FailureReason.BAD_RESPONSE, "redirect without a usable Location");
                }
                return null; // followed by the general client, as its first hop
            }
            if (head.chunked() && (code == 200 || code == 206)) {
                pipes.bypass(url);
                return null;
            }
            headersNanos = System.nanoTime();
            Msg bad = checkHeaders(code, head.headers(), startByte, endByte);
            if (bad != null) {
                clean = true; // the connection may go on, past this answer's (short) body
                return bad;
            }
            long available = availableEnd(code, head.headers(), startByte, endByte);
            Msg m = body(t.body(), startByte, available);
            // Cancelled (that is Done): what is left of the answer is skipped if short, as after a shrink.
            clean = (stop == Stop.NONE || stop == Stop.CANCELLED) && !(m instanceof Msg.Failed);
            return m;
        } finally {
            t.finish(clean);
        }
    }

    private static boolean redirect(int code) {
        return code == 301 || code == 302 || code == 303 || code == 307 || code == 308;
    }

    private Msg fetchGeneral() throws IOException {
        long startByte = plan.pieceStart(first);
        long endByte = plan.range(first, end).end();
        HttpUrl target = redirectedTo != null ? redirectedTo : url;
        int firstHop = redirectedTo != null ? 1 : 0; // the client's own connection met the first redirect
        String auth = url.username().isEmpty() ? null : Credentials.basic(url.username(), url.password());
        String authHost = url.host();
        Response response = null;
        long bodyFrom = -1; // this transfer's bytes when the body began to be read
        try {
            for (int hop = firstHop; ; hop++) {
                if (stop != Stop.NONE) {
                    return failure(FailureReason.CANCELLED, "stopped");
                }
                Request.Builder rb = new Request.Builder()
                        .url(target.newBuilder().username("").password("").build())
                        .header("Range", "bytes=" + startByte + "-" + (endByte - 1))
                        .header("Accept-Encoding", "identity")
                        .header("User-Agent", options.userAgent());
                if (auth != null && target.host().equals(authHost) && target.scheme().equals(url.scheme())) {
                    rb.header("Authorization", auth); // never sent to another host or over a downgrade
                }
                call = LiveDownload.newCall(client.get(), rb.build());
                if (stop != Stop.NONE) {
                    call.cancel();
                }
                response = call.execute();
                if (hop == 0 && response.protocol() == okhttp3.Protocol.HTTP_2) {
                    pipes.multiplexed(url);
                }
                int code = response.code();
                if (redirect(code)) {
                    String location = response.header("Location");
                    if (limit != null) {
                        endUnderLimit(call, response.body(), 0, limit);
                    }
                    response.close();
                    response = null;
                    if (hop >= options.maxRedirects()) {
                        return new Msg.Failed(id, FailureReason.BAD_RESPONSE, "more than " + options.maxRedirects()
                                + " redirects");
                    }
                    HttpUrl next = location == null ? null : target.resolve(location);
                    if (next == null) {
                        return new Msg.Failed(id, FailureReason.BAD_RESPONSE, "redirect without a usable Location");
                    }
                    target = next;
                    continue;
                }
                break;
            }
            headersNanos = System.nanoTime();
            Msg bad = checkHeaders(response.code(), response.headers(), startByte, endByte);
            if (bad != null) {
                return bad;
            }
            long available = availableEnd(response.code(), response.headers(), startByte, endByte);
            bodyFrom = bytes;
            return body(response.body().source(), startByte, available);
        } finally {
            if (response != null) {
                if (limit != null && stop == Stop.NONE) {
                    endUnderLimit(call, response.body(), bodyFrom < 0 ? 0 : bytes - bodyFrom, limit);
                }
                response.close();
            }
        }
    }

    /**
     * Under a rate limit, the rest of an answer on OkHttp's connection that was not read (a request shrunk, its
     * tail given to another mirror; an answer refused; a redirect's body): read past and charged to the limit
     * when it is at most a tenth of a second of the rate, as on our own connections ({@link Pipe#skipCap}); else
     * the call is cancelled, which closes the connection (HTTP/2: the stream). Closing the response instead would
     * have OkHttp read the rest on its own to keep the connection, for up to 100 ms at whatever speed the link
     * has, uncounted.
     */
    static void endUnderLimit(Call call, okhttp3.ResponseBody body, long read, RateLimit limit) {
        long length = body.contentLength();
        long unread = length < 0 ? -1 : length - read;
        if (unread == 0) {
            return;
        }
        if (unread > 0 && unread <= Pipe.skipCap(limit)) {
            try {
                body.source().skip(unread);
                limit.take(unread, System.nanoTime());
                return;
            } catch (IOException e) {
                // the connection went meanwhile: cancelled below all the same
            }
        }
        call.cancel();
    }

    /** Null when the response is a usable answer to our range; else the failure it is. */
    private Msg checkHeaders(int code, Headers r, long startByte, long endByte) {
        String encoding = r.get("Content-Encoding");
        String type = r.get("Content-Type");
        type = type == null ? "" : type;
        if (code == 206) {
            if (type.toLowerCase(Locale.ROOT).startsWith("multipart/byteranges")) {
                return new Msg.Failed(id, FailureReason.BAD_RESPONSE, "multipart/byteranges answer to a single range");
            }
            if (encoding != null && !encoding.equalsIgnoreCase("identity")) {
                return new Msg.Failed(id, FailureReason.BAD_RESPONSE, "Content-Encoding " + encoding
                        + " on a range response");
            }
            String crh = r.get("Content-Range");
            ContentRange cr = ContentRange.parse(crh);
            if (cr == null) {
                return new Msg.Failed(id, FailureReason.BAD_RESPONSE, "malformed Content-Range: " + clip(crh));
            }
            if (cr.complete() >= 0 && cr.complete() != plan.size()) {
                return new Msg.Failed(id, FailureReason.SIZE_MISMATCH, "the mirror's copy is " + cr.complete()
                        + " bytes, the plan says " + plan.size());
            }
            if (cr.first() != startByte) {
                return new Msg.Failed(id, FailureReason.BAD_RESPONSE, "asked for bytes from " + startByte
                        + ", got a range starting at " + cr.first());
            }
            long cl = contentLength(r);
            if (cl >= 0 && cl != cr.length()) {
                return new Msg.Failed(id, FailureReason.BAD_RESPONSE, "Content-Length " + cl
                        + " disagrees with Content-Range " + clip(crh));
            }
        } else if (code == 200) {
            boolean whole = startByte == 0 && endByte == plan.size();
            long cl = contentLength(r);
            if (!whole) {
                return new Msg.Failed(id, FailureReason.RANGE_IGNORED, "answered a range request with the whole file (200)");
            }
            if (encoding != null && !encoding.equalsIgnoreCase("identity")) {
                return new Msg.Failed(id, FailureReason.BAD_RESPONSE, "Content-Encoding " + encoding);
            }
            if (cl >= 0 && cl != plan.size()) {
                return new Msg.Failed(id, FailureReason.SIZE_MISMATCH, "the mirror's copy is " + cl
                        + " bytes, the plan says " + plan.size());
            }
        } else if (code == 416) {
            long complete = ContentRange.unsatisfiedLength(r.get("Content-Range"));
            return new Msg.Failed(id, FailureReason.SIZE_MISMATCH, "416 range not satisfiable"
                    + (complete >= 0 ? ": the mirror's copy is " + complete + " bytes" : ""));
        } else if (code == 404 || code == 410 || code == 403 || code == 401) {
            return new Msg.Failed(id, FailureReason.NOT_FOUND, "HTTP " + code);
        } else {
            return new Msg.Failed(id, FailureReason.HTTP_ERROR, "HTTP " + code);
        }
        // The same mirror must keep serving the same version of the file.
        String validator = validator(r);
        if (validator != null) {
            String key = file + " " + mirror;
            String seen = validators.putIfAbsent(key, validator);
            if (seen != null && !seen.equals(validator)) {
                return new Msg.Failed(id, FailureReason.STALE, "the mirror's copy changed during the download ("
                        + clip(seen) + " → " + clip(validator) + ")");
            }
        }
        return null;
    }

    private long availableEnd(int code, Headers r, long startByte, long endByte) {
        if (code == 200) {
            return endByte;
        }
        ContentRange cr = ContentRange.parse(r.get("Content-Range"));
        return Math.min(endByte, cr.last() + 1); // a longer answer is cut at what we asked for
    }

    /** Streams pieces from {@code source}, which starts at {@code startByte} and holds bytes up to {@code available}. */
    private Msg body(BufferedSource source, long startByte, long available) throws IOException {
        HashAlgorithm check = plan.hasPieceHashes() ? plan.pieceHash(0).algorithm() : null;
        MessageDigest pieceDigest = check == null ? null : PartFile.digest(check);
        MessageDigest sha256 = check == HashAlgorithm.SHA_256 ? pieceDigest : PartFile.digest(HashAlgorithm.SHA_256);
        long pos = startByte;
        int readSize = limit == null ? READ_CHUNK : limit.readSize(READ_CHUNK);
        long unreported = 0;
        long lastReport = System.nanoTime();
        for (int p = first; p < end; p++) {
            int len = plan.pieceLength(p);
            if (pos + len > available) {
                flush(unreported);
                return new Msg.Failed(id, FailureReason.CONNECTION_LOST, "the mirror sent bytes up to " + available
                        + " only, short of piece " + p);
            }
            int have = 0;
            if (pieceDigest != null) {
                pieceDigest.reset();
            }
            if (sha256 != pieceDigest) {
                sha256.reset();
            }
            while (have < len) {
                if (stop != Stop.NONE) {
                    flush(unreported);
                    return failure(FailureReason.CANCELLED, "stopped");
                }
                int n = source.read(buf, have, Math.min(readSize, len - have));
                if (n < 0) {
                    flush(unreported);
                    return new Msg.Failed(id, FailureReason.CONNECTION_LOST, "connection closed after "
                            + (pos + have - startByte) + " of " + (available - startByte) + " bytes");
                }
                long now = System.nanoTime();
                // Hashed as it arrives, so that a piece's last byte leaves little to do.
                if (pieceDigest != null) {
                    pieceDigest.update(buf, have, n);
                }
                if (sha256 != pieceDigest) {
                    sha256.update(buf, have, n);
                }
                have += n;
                lastByteNanos = now;
                lastByteEffective = now - throttledNanos; // no wait under way while reading
                bytes += n;
                // The first bytes are told at once: the scheduler's latency sample ends there and its
                // rate sample starts there.
                boolean opening = pos == startByte && have == n;
                unreported += n;
                if (opening || unreported >= REPORT_BYTES || now - lastReport >= REPORT_NANOS) {
                    flush(unreported);
                    unreported = 0;
                    lastReport = now;
                }
                if (limit != null) {
                    throttle(n);
                }
            }
            pos += len;
            flush(unreported);
            unreported = 0;
            byte[] d = null;
            byte[] sha = null;
            if (pieceDigest != null) {
                d = pieceDigest.digest();
                if (pieceDigest == sha256) {
                    sha = d;
                }
            }
            if (d != null && !plan.pieceHash(p).matches(d)) {
                inbox.add(new Msg.PieceBad(id, p, FailureReason.HASH_MISMATCH, d));
                continue; // the loop decides: it cancels this request (and excludes the mirror, or drops it for the file)
            }
            if (sha == null) {
                sha = sha256.digest();
            }
            boolean claimed;
            try {
                claimed = part.claim(p);
            } catch (IOException e) {
                throw new LocalFailure(part.target() + ".part: " + e.getMessage());
            }
            inbox.add(new Msg.PieceOk(id, p, claimed, lastByteNanos));
            if (claimed && p + 1 >= end && end == askedEnd) {
                // The request's last piece: written once the loop knows we are done. Not when it was shrunk: the
                // rest of the answer is read past first, and the file's end must not wait for that.
                deferredPiece = p;
                deferredSha = sha;
                break;
            }
            if (claimed) {
                try {
                    part.store(p, buf, len, sha, mirror);
                } catch (IOException e) {
                    throw new LocalFailure(part.target() + ".part: " + e.getMessage());
                }
            }
        }
        return new Msg.Done(id);
    }


    private void flush(long unreported) {
        if (unreported > 0) {
            inbox.add(new Msg.Bytes(id, unreported, lastByteNanos));
        }
    }

    /** The Content-Length, -1 when absent, -2 when malformed. */
    private static long contentLength(Headers r) {
        String v = r.get("Content-Length");
        if (v == null) {
            return -1;
        }
        long n = ContentRange.number(v.strip());
        return n >= 0 ? n : -2;
    }

    private static String validator(Headers r) {
        String etag = r.get("ETag");
        if (etag != null && !etag.startsWith("W/")) {
            return "ETag " + etag;
        }
        String lm = r.get("Last-Modified");
        return lm == null ? null : "Last-Modified " + lm;
    }

    private static String clip(String s) {
        if (s == null) {
            return "(none)";
        }
        return s.length() > 80 ? s.substring(0, 80) + "…" : s;
    }

    static FailureReason classify(IOException e) {
        if (e instanceof UnknownHostException && nameDoesNotExist(e.getMessage())) {
            return FailureReason.NO_SUCH_HOST;
        }
        if (e instanceof UnknownHostException || e instanceof ConnectException || e instanceof NoRouteToHostException
                || connectTimedOut(e)) {
            return FailureReason.CONNECT_FAILED;
        }
        if (e instanceof SocketTimeoutException || e instanceof InterruptedIOException) {
            return FailureReason.TIMEOUT;
        }
        if (e instanceof javax.net.ssl.SSLHandshakeException || e instanceof javax.net.ssl.SSLPeerUnverifiedException) {
            // A handshake the connection's loss cut short ("Remote host terminated the handshake") may go through
            // next time; a verdict on the certificate or the protocol will not.
            for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
                if (c instanceof java.io.EOFException || c instanceof java.net.SocketException) {
                    return FailureReason.CONNECTION_LOST;
                }
                if (c instanceof InterruptedIOException) {
                    return FailureReason.TIMEOUT;
                }
            }
            return FailureReason.TLS_FAILED;
        }
        if (e instanceof java.net.ProtocolException || e instanceof SSLException) {
            return FailureReason.BAD_RESPONSE;
        }
        String m = String.valueOf(e.getMessage());
        if (m.contains("unexpected end of stream") || m.contains("Connection reset")) {
            return FailureReason.CONNECTION_LOST;
        }
        return FailureReason.CONNECTION_LOST;
    }

    /**
     * Whether the connection itself timed out (the JDK's "Connect timed out", on our connections and OkHttp's):
     * nothing answered its first packet — a host down, a firewall dropping it, a listen queue overflowing. That is
     * a connection that failed, as the simulator counts a connect to a host that is down, not a mirror slow to
     * answer: one that never answered is given up at its second (MirrorBook), so a list of such mirrors fails in
     * two connect timeouts, not five and 15 s of bans.
     */
    static boolean connectTimedOut(IOException e) {
        return e instanceof SocketTimeoutException
                && String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT).startsWith("connect timed out");
    }

    /**
     * Whether a failed lookup's message is the name server's verdict that the name does not exist: the JDK says
     * "HOST: Name or service not known" (or "No address associated with hostname") for that, and "HOST: Temporary
     * failure in name resolution" when it got no answer. A message of the host name alone says nothing (the JDK
     * repeats a failure from its cache that way for 10 s, whatever it was), nor does one saying to try again.
     */
    static boolean nameDoesNotExist(String message) {
        if (message == null || message.indexOf(": ") < 0) {
            return false;
        }
        String m = message.toLowerCase(java.util.Locale.ROOT);
        return !m.contains("temporar") && !m.contains("try again") && !m.contains("timed out")
                && !m.contains("non-recoverable");
    }

    /** What a failed handshake says of the mirror's certificate, in a line. */
    private String describeTls(IOException e) {
        if (e instanceof javax.net.ssl.SSLPeerUnverifiedException) {
            return "its certificate is not for " + url.host();
        }
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof java.security.cert.CertificateException && String.valueOf(c.getMessage()).contains(" matching ")) {
                return "its certificate is not for " + url.host(); // the JDK's own host-name check ("No name matching …")
            }
            if (c instanceof java.security.cert.CertPathValidatorException
                    || c instanceof java.security.cert.CertPathBuilderException
                    || c instanceof java.security.cert.CertificateException) {
                Throwable root = c; // the innermost says it best: "unable to find valid certification path …"
                while (root.getCause() != null) {
                    root = root.getCause();
                }
                String m = String.valueOf(root.getMessage());
                int nl = m.indexOf('\n');
                return "its certificate is not trusted (" + clip(nl < 0 ? m : m.substring(0, nl)) + ")";
            }
        }
        return describe(e);
    }

    private static String describe(IOException e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + clip(m));
    }

    /** A failure of the local disk, not of the mirror. */
    static final class LocalFailure extends IOException {
        LocalFailure(String message) {
            super(message);
        }
    }
}
