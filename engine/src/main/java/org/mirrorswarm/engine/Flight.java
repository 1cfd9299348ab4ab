package org.mirrorswarm.engine;

import org.mirrorswarm.engine.net.Flow;
import org.mirrorswarm.engine.net.FlowListener;
import org.mirrorswarm.engine.sim.Hashing;
import org.mirrorswarm.strategies.Action;
import org.mirrorswarm.strategies.Event.BytesArrived;
import org.mirrorswarm.strategies.Event.PieceFailed;
import org.mirrorswarm.strategies.Event.PieceVerified;
import org.mirrorswarm.strategies.Event.RequestFailed;
import org.mirrorswarm.strategies.Event.SlotFree;
import org.mirrorswarm.strategies.FailureReason;
import org.mirrorswarm.strategies.FilePlan;
import umontreal.ssj.simevents.Event;

/**
 * One range request on the simulated network: a new connection's handshake (or a kept-alive one), a
 * round trip for the headers, then the body as a flow whose segments are the pieces, verified one by one.
 * The same SSJ event object times every phase: headers, slow-start window doublings, a late failure.
 */
final class Flight extends Event implements FlowListener {
    private static final int CONNECTING = 0;
    private static final int BODY = 1;
    private static final int FAILING = 2;
    private static final int ENDED = 3;
    /** Pipelined on a busy connection, behind the answers ahead of it (network.pipelining). */
    private static final int QUEUED = 4;
    /**
     * Cancelled (the scheduler has its slot back), its answer still read past on its connection so that the
     * answers pipelined behind it can follow, as the live client does.
     */
    private static final int DRAIN = 5;
    /**
     * The most of a cancelled answer read past to keep its connection for the answers pipelined behind it
     * (the live client's {@code Pipe.MAX_SKIP}); a longer one closes the connection, and they are asked again.
     */
    static final long MAX_SKIP = 1 << 20;
    /**
     * Without pipelining, the live client's requests go through OkHttp, which on closing an answer not read to
     * its end reads the rest for up to this long (its {@code DISCARD_STREAM_TIMEOUT_MILLIS}) and keeps the
     * connection if that was enough.
     */
    static final double DISCARD_WINDOW = 0.1;

    private final Run run;
    private final ClientNode client;
    final int id;
    private final int file;
    private final int pkg;
    private final FilePlan plan;
    final MirrorNode mirror;
    private final int first;
    private int end;
    /** The end piece the request was sent for: its answer runs to there, whatever the scheduler shrinks it to. */
    private final int asked;
    private int next;
    private final double rtt;
    private ClientNode.Conn conn;
    private Flow flow;
    private int phase;
    /**
     * Its pieces are all in (it was shrunk) and the rest of its answer is being read past so that the connection
     * is kept, as the live client does: it still holds its slot, given back when that is done.
     */
    private boolean skipping;
    /** When the new connection this request opened is set up (its request sent); 0 on a kept-alive one. */
    private double connectedAt;
    private FailureReason failure;
    private double segmentBytes;
    private double segmentStart;
    /** When a queued request's answer could start at the earliest: a round trip after it was sent. */
    private double headerAt;
    /** Bytes of a cancelled answer still to read past (see {@link #DRAIN}); 0 when none. */
    private long drainBytes;
    /** Position in the mirror's list of requests being served, or -1. */
    int mirrorSlot = -1;

    Flight(Run run, ClientNode client, Action.StartRequest s, int pkg, MirrorNode mirror) {
        super(run.sim);
        this.run = run;
        this.client = client;
        this.id = s.request();
        this.file = s.file();
        this.pkg = pkg;
        this.plan = run.plans[pkg];
        this.mirror = mirror;
        this.first = s.firstPiece();
        this.end = s.endPiece();
        this.asked = end;
        this.next = first;
        this.rtt = run.rtt(client.id, client.region, mirror.index, mirror.region);
    }

    /** Sends the request: opens or reuses a connection, and waits for the headers. */
    void begin() {
        double now = run.sim.time();
        run.requests++;
        mirror.requests++;
        run.headerBytes += run.scenario.network().requestHeaderBytes();
        if (!mirror.isUp() || mirror.isStale(now)) {
            run.staleHits++;
        }
        conn = client.takeIdle(mirror, now);
        double delay = rtt;
        if (conn == null && run.scenario.network().pipelining() && mirror.isUp()) {
            ClientNode.Conn busy = client.pipelineOn(mirror);
            if (busy != null) {
                conn = busy;
                busy.queued().add(this);
                phase = QUEUED;
                headerAt = now + rtt;
                return;
            }
        }
        if (conn == null) {
            if (!mirror.isUp()) {
                // Refused after a round trip when only its server is down; else the connect timeout runs out.
                fail(FailureReason.CONNECT_FAILED, refusesWhenDown() ? rtt : run.scenario.network().connectTimeout());
                return;
            }
            conn = new ClientNode.Conn(mirror, run.scenario.network().initialWindow());
            double setUp = rtt * (run.scenario.network().tls() ? 2 : 1);
            delay += setUp;
            connectedAt = now + setUp;
        }
        conn.current = this;
        phase = CONNECTING;
        schedule(delay);
    }

    /** The connection to {@code m} this request is being answered on, if requests may be pipelined behind it. */
    ClientNode.Conn pipelineHead(MirrorNode m) {
        // Also behind an answer shrunk so far that its connection will close after it, as the live client's
        // connections take them: the requests pipelined there are then asked again.
        return mirror == m && conn != null && conn.current == this
                && (phase == CONNECTING || phase == BODY || phase == DRAIN) ? conn : null;
    }

    /** Bytes of the answer past the pieces still wanted (the scheduler shrank the request); 0 when none. */
    private long unasked() {
        return end < asked ? plan.range(end, asked).length() : 0;
    }

    /**
     * Whether the live client reads the {@code rest} of a shrunk answer past, to keep its connection, at {@code
     * rate}: on its own connections (network.pipelining) up to {@link #MAX_SKIP}; through OkHttp what comes
     * within {@link #DISCARD_WINDOW}.
     */
    private boolean readsPast(long rest, double rate) {
        return run.scenario.network().pipelining() ? rest <= MAX_SKIP : rest <= rate * DISCARD_WINDOW;
    }

    /** This request's answer is next on its connection: its head comes now, or a round trip after it was sent. */
    private void resume() {
        conn.current = this;
        if (drainBytes > MAX_SKIP) {
            // Cancelled while queued, with an answer too long to read past: the connection closes, and the
            // requests behind it are asked again.
            phase = ENDED;
            client.drained(this);
            release(false);
            return;
        }
        phase = drainBytes > 0 ? DRAIN : CONNECTING;
        schedule(Math.max(0, headerAt - run.sim.time()));
    }

    /**
     * The answer on this request's connection is over: the next request pipelined there (if any) goes on,
     * or the connection is kept alive — or closed when {@code keep} is false, and the requests waiting on it
     * are then asked again (a closed connection loses them, not the mirror's fault).
     */
    private void release(boolean keep) {
        ClientNode.Conn c = conn;
        if (c == null || c.current != this) {
            return;
        }
        c.current = null;
        if (!keep) {
            double now = run.sim.time();
            for (Flight q; (q = c.next()) != null; ) {
                q.phase = ENDED;
                if (q.drainBytes > 0) {
                    client.drained(q); // cancelled already: nothing to ask again
                } else {
                    client.deliver(new RequestFailed(now, q.id, FailureReason.CANCELLED));
                }
            }
        } else if (c.waiting() > 0) {
            c.next().resume();
        } else {
            client.keepIdle(c, run.sim.time());
        }
    }

    @Override
    public void actions() {
        switch (phase) {
            case CONNECTING -> headers();
            case DRAIN -> startDrain();
            case BODY -> slowStartTick();
            case FAILING -> {
                phase = ENDED;
                if (failure == null) {
                    client.deliver(new SlotFree(run.sim.time(), id)); // its pieces were all in (mirrorDied)
                } else {
                    run.failedRequests++;
                    client.deliver(new RequestFailed(run.sim.time(), id, failure));
                }
            }
            default -> throw new IllegalStateException("flight event in phase " + phase);
        }
    }

    private void headers() {
        double now = run.sim.time();
        if (!mirror.isUp()) {
            if (refusesWhenDown()) {
                failNow(FailureReason.CONNECTION_LOST); // its host resets the connection the request came on
            } else {
                fail(FailureReason.TIMEOUT, run.scenario.network().stallTimeout());
            }
            return;
        }
        if (mirror.isStale(now)) {
            failNow(FailureReason.NOT_FOUND);
            return;
        }
        if (mirror.connectionLimit > 0 && mirror.activeCount() >= mirror.connectionLimit) {
            failNow(FailureReason.HTTP_ERROR);
            return;
        }
        if (mirror.faults.ignoresRanges() && !(first == 0 && end == plan.pieceCount())) {
            failNow(FailureReason.RANGE_IGNORED);
            return;
        }
        run.headerBytes += run.scenario.network().responseHeaderBytes();
        phase = BODY;
        mirror.add(this);
        segmentBytes = plan.pieceLength(next) + run.scenario.network().responseHeaderBytes();
        segmentStart = now;
        flow = run.net.start(mirror.uplink, client.down, cap(), segmentBytes, this);
        client.deliver(new BytesArrived(now, id, 0));
        if (phase == BODY && windowLimited()) {
            schedule(rtt);
        }
    }

    private double cap() {
        double c = Math.min(mirror.perConnectionRate, run.scenario.network().tcpWindow() / rtt);
        if (run.scenario.network().slowStart()) {
            c = Math.min(c, conn.cwnd / rtt);
        }
        return c;
    }

    private boolean windowLimited() {
        return run.scenario.network().slowStart() && rtt > 0
                && conn.cwnd < run.scenario.network().tcpWindow()
                && conn.cwnd / rtt < mirror.perConnectionRate;
    }

    /**
     * Slow start: the window doubles every round trip while it limits the flow. Once the flow runs
     * below its window (held back by a shared link), the window would keep growing until a loss, so it
     * is opened fully at once and the doubling stops: no more events for this connection.
     */
    private void slowStartTick() {
        double window = run.scenario.network().tcpWindow();
        if (run.net.rate(flow) < 0.99 * cap()) {
            conn.cwnd = window;
        } else {
            conn.cwnd = Math.min(2 * conn.cwnd, window);
        }
        run.net.setCap(flow, cap());
        if (windowLimited()) {
            schedule(rtt);
        }
    }

    /**
     * How long the live client reads a cancelled answer past before it closes the connection anyway: two
     * round trips, within 50 ms and 1 s ({@code Pipe.MIN_GRACE_NANOS}, {@code MAX_GRACE_NANOS}).
     */
    private double drainGrace() {
        return Math.max(0.05, Math.min(1.0, 2 * rtt));
    }

    /** The answer of a request cancelled while queued comes, to be read past: a flow of its bytes. */
    private void startDrain() {
        if (!mirror.isUp()) {
            endDrain(false);
            return;
        }
        mirror.add(this);
        segmentBytes = drainBytes;
        segmentStart = run.sim.time();
        flow = run.net.start(mirror.uplink, client.down, cap(), drainBytes, this);
    }

    /** A drained answer is read past ({@code keep}: the connection goes on to the next), or given up. */
    private void endDrain(boolean keep) {
        if (keep) {
            run.wastedBytes += drainBytes;
            mirror.served(drainBytes, segmentStart, run.sim.time());
            run.net.stop(flow);
            mirror.remove(this);
        } else {
            stopFlow();
        }
        cancel();
        phase = ENDED;
        client.drained(this);
        release(keep);
    }

    @Override
    public void segmentDone(Flow f) {
        if (phase == DRAIN) {
            endDrain(true);
            return;
        }
        if (skipping) {
            endSkip();
            return;
        }
        double now = run.sim.time();
        segmentBytes = 0; // delivered: nothing of it is wasted if the request is cancelled now
        int p = next++;
        long len = plan.pieceLength(p);
        mirror.served(len, segmentStart, now);
        double rate = now > segmentStart ? len / (now - segmentStart) : cap(); // the piece's, as measured
        segmentStart = now;
        boolean corrupt = mirror.faults.corruptShare() > 0
                && Hashing.unit(run.hashSeed, mirror.index, pkg, p) < mirror.faults.corruptShare();
        boolean last = next >= end;
        if (last) {
            // The answer's last wanted byte is in: its connection is free (kept alive, or on to the request
            // pipelined behind it) before the client hears of the piece — a request it makes then to this mirror
            // (an early request) takes that connection instead of opening another; or, shrunk, the rest of the
            // answer is read past first.
            endAnswer(rate);
        }
        client.deliver(corrupt ? new PieceFailed(now, id, p, FailureReason.HASH_MISMATCH) : new PieceVerified(now, id, p));
        if (corrupt) {
            run.badPieces++;
        } else {
            client.pieceOverHttp(file, p);
        }
        if (phase != BODY || skipping) {
            return; // cancelled while the piece was handled, or the rest of the answer is read past
        }
        if (last) {
            cancel();
            phase = ENDED;
            client.deliver(new SlotFree(run.sim.time(), id));
        } else if (next < end) {
            segmentBytes = plan.pieceLength(next);
            run.net.next(flow, segmentBytes);
        } else {
            finish(rate); // shrunk to end here: the rest of the answer is read past, or its connection closes
        }
    }

    private void finish(double rate) {
        if (endAnswer(rate)) {
            return;
        }
        cancel();
        phase = ENDED;
        client.deliver(new SlotFree(run.sim.time(), id));
    }

    /**
     * The last piece still wanted is in, at {@code rate}. An answer that runs on past it (the request was
     * shrunk) is read past when the live client would ({@link #readsPast}), to keep the connection: true, and
     * the slot is given back when that is done ({@link #endSkip}). Otherwise the flow ends here and the
     * connection goes on, or closes when the rest of the answer is left unread.
     */
    private boolean endAnswer(double rate) {
        long rest = unasked();
        if (rest > 0 && readsPast(rest, rate)) {
            skipping = true;
            segmentBytes = rest;
            segmentStart = run.sim.time();
            run.net.next(flow, rest);
            return true;
        }
        run.net.stop(flow);
        mirror.remove(this);
        release(rest == 0);
        return false;
    }

    /** Whether its pieces are all in and it only reads the rest of its answer past ({@link #endAnswer}). */
    boolean readingPast() {
        return skipping;
    }

    /**
     * Its client is done: an answer (or its rest) still being read past, or awaited to be, is dropped — the live
     * client's download ends without waiting for it, and its connections close.
     */
    void dropRest() {
        if (skipping || phase == DRAIN) {
            skipping = false;
            stopFlow();
            cancel();
            phase = ENDED;
            client.drained(this);
            release(false);
        }
    }

    /** The rest of a shrunk answer has been read past: wasted, the mirror's bytes; the connection goes on. */
    private void endSkip() {
        double now = run.sim.time();
        run.wastedBytes += (long) segmentBytes;
        mirror.served((long) segmentBytes, segmentStart, now);
        run.net.stop(flow);
        mirror.remove(this);
        skipping = false;
        cancel();
        phase = ENDED;
        release(true);
        client.deliver(new SlotFree(now, id));
    }

    /**
     * The scheduler cancelled this request: the slot is freed at once. As the live client does, a request
     * queued on a connection has its answer read past when its turn comes (up to {@link #MAX_SKIP}; a longer
     * one closes the connection then), and one being answered, or awaiting its head, with requests pipelined
     * behind it has the rest of its answer read (up to {@link #MAX_SKIP}, and if that takes at most {@link
     * #drainGrace}) before the next goes on; otherwise its connection closes, as does a new one still being set
     * up (the live client aborts the connect). One whose pieces are all in, its answer's rest being read past,
     * goes on being read past.
     */
    void abort() {
        if (phase == ENDED || phase == DRAIN) {
            return;
        }
        if (skipping) {
            skipping = false;
            cancel(); // a slow-start tick: in DRAIN the event starts a drain
            drainBytes = (long) segmentBytes;
            phase = DRAIN;
            client.draining(this);
            client.deliver(new SlotFree(run.sim.time(), id));
            return;
        }
        if (phase == QUEUED) {
            drainBytes = Math.max(1, plan.range(first, asked).length()); // read past at its turn, or closes then
            client.draining(this);
            client.deliver(new SlotFree(run.sim.time(), id));
            return;
        }
        boolean body = phase == BODY && flow != null && flow.isActive();
        boolean awaited = phase == CONNECTING && conn != null && conn.current == this // its head is to come
                && run.sim.time() >= connectedAt; // its connection is set up
        long rest = body
                ? (long) run.net.remaining(flow) + (next + 1 < asked ? plan.range(next + 1, asked).length() : 0)
                : awaited ? plan.range(next, asked).length() : 0;
        double rate = body ? run.net.rate(flow) : awaited ? cap() : 0;
        if ((body || awaited) && conn.waiting() > 0 && rest > 0 && rest <= MAX_SKIP
                && rest <= rate * drainGrace()) {
            drainBytes = rest;
            client.draining(this);
            if (body) {
                stopFlow();
                cancel();
                phase = DRAIN;
                startDrain();
            } else {
                phase = DRAIN; // its head still comes at the time set: the drain starts then
            }
        } else {
            stopFlow();
            cancel();
            release(false);
            phase = ENDED;
        }
        client.deliver(new SlotFree(run.sim.time(), id));
    }

    /** The scheduler gave the pieces from {@code newEnd} on to another request. */
    void shrink(int newEnd) {
        if (newEnd < end && !skipping) {
            end = newEnd; // the answer still runs to the end asked for: read past, or its connection closes
        }
    }

    /** The mirror crashed: no reset arrives, the client notices after its stall timeout. */
    void mirrorDied() {
        if (phase == DRAIN && flow != null && flow.isActive()) {
            endDrain(false);
            return;
        }
        if (phase == BODY) {
            stopFlow();
            cancel();
            // Noticed after the stall timeout (at once when its host resets the connection); one whose pieces were
            // all in (its rest read past) then just ends.
            if (refusesWhenDown()) {
                fail(skipping ? null : FailureReason.CONNECTION_LOST, 0);
            } else {
                fail(skipping ? null : FailureReason.TIMEOUT, run.scenario.network().stallTimeout());
            }
            skipping = false;
        }
    }

    private boolean refusesWhenDown() {
        return mirror.faults.whenDown() == Faults.WhenDown.REFUSE;
    }

    private void stopFlow() {
        if (flow != null && flow.isActive()) {
            run.wastedBytes += (long) (segmentBytes - run.net.remaining(flow));
            run.net.stop(flow);
        }
        mirror.remove(this);
    }

    private void fail(FailureReason reason, double after) {
        release(false);
        failure = reason;
        phase = FAILING;
        schedule(after);
    }

    private void failNow(FailureReason reason) {
        release(false);
        phase = ENDED;
        run.failedRequests++;
        client.deliver(new RequestFailed(run.sim.time(), id, reason));
    }
}
