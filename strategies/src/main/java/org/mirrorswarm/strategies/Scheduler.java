package org.mirrorswarm.strategies;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import org.mirrorswarm.strategies.Action.Purpose;
import org.mirrorswarm.strategies.spi.Assignment;
import org.mirrorswarm.strategies.spi.ChunkStrategy;
import org.mirrorswarm.strategies.spi.FileView;
import org.mirrorswarm.strategies.spi.MirrorSelector;
import org.mirrorswarm.strategies.spi.RequestView;
import org.mirrorswarm.strategies.spi.SchedulerView;
import org.mirrorswarm.strategies.spi.TailPolicy;

/**
 * The multi-mirror download scheduler: an event-driven state machine shared by the simulator and the
 * live client. A shell feeds it {@link Event}s stamped with its time and carries out the {@link Action}s
 * it answers with. One scheduler serves any number of files under one connection budget (in total, per
 * mirror, per file).
 *
 * <p>What the scheduler guarantees whatever the strategies do: every request covers whole pieces; a piece
 * counts as done only when the shell reported it verified; a proposal that breaks these rules is refused
 * with an {@link IllegalStateException}; a failed or corrupt piece goes back to the pool; a mirror that
 * misbehaves is banned with exponential backoff and, after repeated offences, excluded; a file fails
 * only when no mirror that may serve it remains. What it leaves to strategies: which pieces, which
 * mirror, and what to do with idle connections near the end.
 *
 * <p>Not thread-safe: one shell thread drives it. Cost per event is proportional to the live requests
 * and the pieces it touches, never to all files or all pieces.
 */
public final class Scheduler {

    /** Where a file stands. */
    public enum FileStatus { ACTIVE, COMPLETE, FAILED }

    /**
     * Counters over the scheduler's life. {@code verifiedBytes} came through its own requests,
     * {@code obtainedBytes} by another route ({@link Event.PieceObtained}, or held when the file was added:
     * {@link FileJob#have}).
     */
    public record Stats(int requestsStarted, int duplicatesStarted, int stolenStarted, int cancelled,
                        long verifiedBytes, long wastedBytes, int piecesFailed, long obtainedBytes) {
    }

    private static final int PIECE_TIME_WINDOW = 256;

    private final SchedulerConfig config;
    private final ChunkStrategy chunk;
    private final MirrorSelector selector;
    private final TailPolicy tail;
    private final MirrorBook book;
    private final SplittableRandom random;
    private final TraceSink trace;
    private final View view = new View();

    private final List<FileState> files = new ArrayList<>();
    private final List<Req> requests = new ArrayList<>();
    private final List<Req> live = new ArrayList<>();
    /**
     * Connections the live requests hold, for {@link SchedulerConfig#maxConnections}: one each, except that
     * with {@linkplain SchedulerConfig#earlyPipelined pipelined} early requests a mirror holds at most its
     * connection limit, however many are queued on them (unless the shell told it {@link Event.NotPipelined};
     * see {@link #holdsConnection}). Counting those too let two mirrors' early requests fill the budget: 200
     * files of 4 KiB from four mirrors 20 ms away went 103, 81, 10 and 6 to them, the last two idle most of
     * the time.
     */
    private int connections;
    /** The last piece times in arrival order (a ring) and the same values kept sorted. */
    private final double[] pieceTimes = new double[PIECE_TIME_WINDOW];
    private final double[] sortedPieceTimes = new double[PIECE_TIME_WINDOW];
    private int pieceTimeCount;
    private int activeFiles;

    private double now;
    private boolean started;
    private double pendingWake = Double.POSITIVE_INFINITY;
    private double requestedWake = Double.POSITIVE_INFINITY;
    /**
     * Whether a file may have lost its last possible mirror since {@link #schedule()} last looked: set when a file
     * is added, a mirror dropped for one, or a file's last request ends; exclusions are seen by {@link
     * MirrorBook#exclusions()}. Looking after every event cost about 5% of a simulation's time.
     */
    private boolean mirrorsMayBeGone;
    private int exclusionsSeen;
    private Consumer<Action> sink;
    private int[] scratch = new int[8];

    private int duplicatesStarted;
    private int stolenStarted;
    private int cancelledCount;
    private int piecesFailed;
    private long verifiedBytes;
    private long wastedBytes;
    private long obtainedBytes;

    /** A scheduler with the strategies on the class path and no trace. */
    public Scheduler(SchedulerConfig config) {
        this(config, Strategies.load(), TraceSink.NONE);
    }

    /** A scheduler with the strategies on the class path. */
    public Scheduler(SchedulerConfig config, TraceSink trace) {
        this(config, Strategies.load(), trace);
    }

    /**
     * A scheduler whose strategies come from {@code registry} (load it once and share it when creating
     * many schedulers). Unknown strategy ids or parameters throw IllegalArgumentException.
     */
    public Scheduler(SchedulerConfig config, Strategies registry, TraceSink trace) {
        this.config = Objects.requireNonNull(config, "config");
        this.trace = Objects.requireNonNull(trace, "trace");
        registry.validate(config);
        this.chunk = registry.chunk(config.chunk());
        this.selector = registry.selector(registry.effectiveSelector(config));
        this.tail = registry.tail(registry.effectiveTail(config));
        this.book = new MirrorBook(config);
        this.random = new SplittableRandom(config.seed());
    }

    // ------------------------------------------------------------------ public API

    /** Handles one event, passing every resulting action to {@code out} in order. */
    public void handle(Event e, Consumer<Action> out) {
        Objects.requireNonNull(e, "event");
        Objects.requireNonNull(out, "out");
        double t = e.time();
        if (Double.isNaN(t) || Double.isInfinite(t)) {
            throw new IllegalArgumentException("event time must be finite: " + e);
        }
        if (started && t < now) {
            throw new IllegalArgumentException("time went backwards: " + e + " after time " + now);
        }
        started = true;
        now = t;
        trace.event(e);
        sink = out;
        try {
            if (e instanceof Event.BytesArrived b) {
                onBytes(liveRequest(b.request()), b.bytes());
                return; // bytes free no slot and change no piece: nothing to decide
            }
            if (e instanceof Event.AddFile a) {
                onAddFile(a.job());
            } else if (e instanceof Event.Timer) {
                if (t >= pendingWake) {
                    pendingWake = Double.POSITIVE_INFINITY;
                }
            } else if (e instanceof Event.PieceVerified v) {
                onPieceVerified(liveRequest(v.request()), v.piece());
            } else if (e instanceof Event.PieceFailed f) {
                onPieceFailed(liveRequest(f.request()), f.piece(), f.reason());
            } else if (e instanceof Event.PieceObtained o) {
                onPieceObtained(o.file(), o.piece());
            } else if (e instanceof Event.RequestFailed f) {
                onRequestEnd(liveRequest(f.request()), f.reason());
            } else if (e instanceof Event.SlotFree s) {
                onRequestEnd(liveRequest(s.request()), null);
            } else if (e instanceof Event.NotPipelined n) {
                onNotPipelined(book.indexOf(n.mirror()));
            } else if (e instanceof Event.OtherVersion o) {
                onOtherVersion(o.file(), o.mirror());
            } else {
                throw new AssertionError(e);
            }
            schedule();
        } finally {
            sink = null;
        }
    }

    /** Handles one event and returns the resulting actions. */
    public List<Action> handle(Event e) {
        List<Action> out = new ArrayList<>();
        handle(e, out::add);
        return out;
    }

    public SchedulerConfig config() {
        return config;
    }

    /** What this scheduler has learnt about the mirrors. */
    public MirrorBook book() {
        return book;
    }

    /** Time of the last event handled. */
    public double now() {
        return now;
    }

    public int fileCount() {
        return files.size();
    }

    /** Read-only state of file {@code f}. */
    public FileView file(int f) {
        return fileState(f);
    }

    public FileStatus status(int f) {
        return fileState(f).status;
    }

    /** True when every file added so far has completed or failed. */
    public boolean isFinished() {
        return activeFiles == 0;
    }

    /** Requests started and not yet reported ended, cancelled ones included. */
    public int liveRequests() {
        return live.size();
    }

    /** A live request by id, or null once it has ended. */
    public RequestView request(int id) {
        return id >= 0 && id < requests.size() ? requests.get(id) : null;
    }

    public Stats stats() {
        return new Stats(requests.size(), duplicatesStarted, stolenStarted, cancelledCount, verifiedBytes,
                wastedBytes, piecesFailed, obtainedBytes);
    }

    // ------------------------------------------------------------------ events

    private void onAddFile(FileJob job) {
        int[] ms = new int[job.mirrors().size()];
        for (int k = 0; k < ms.length; k++) {
            ms[k] = book.add(job.mirrors().get(k));
        }
        FileState fs = new FileState(files.size(), job.plan(), ms);
        files.add(fs);
        activeFiles++;
        mirrorsMayBeGone = true;
        BitSet have = job.have();
        for (int p = have.nextSetBit(0); p >= 0; p = have.nextSetBit(p + 1)) {
            fs.markDone(p);
            obtainedBytes += fs.plan.pieceLength(p);
        }
        if (fs.doneCount == fs.pieces) {
            complete(fs);
        }
    }

    private void onBytes(Req r, long n) {
        if (Double.isNaN(r.firstByte)) {
            r.firstByte = now;
            r.sampleStart = now;
            // What arrived with the first report came in before the sample's start: a client that reports
            // its first bytes late (after a buffer's worth) must not count them as delivered in no time.
            r.sampleBytes = -n;
            r.firstReport = n;
            if (waitedInQueue(r)) {
                book.recordLatencyBound(r.mirror, now - r.start, now);
            } else {
                book.recordLatency(r.mirror, now - r.start, now);
            }
        }
        r.bytes += n;
        r.lastBytes = now;
        book.noteBytes(r.mirror, now);
    }

    /**
     * Whether request {@code r}, at its first byte, waited for the answers ahead of it on its mirror's
     * connection: it was pipelined behind them, and the pause since the mirror's last bytes is at most
     * {@link #QUEUE_GAP} or under half its wait. Its wait then only bounds the mirror's latency from above
     * ({@link MirrorBook#recordLatencyBound}). Otherwise the link was left idle: the request reached the
     * mirror after it had sent all before it, and its wait was a round trip.
     */
    private boolean waitedInQueue(Req r) {
        double gap = now - book.lastBytes(r.mirror);
        return r.queued && !book.notPipelined(r.mirror) && (gap <= QUEUE_GAP || gap < (now - r.start) / 2);
    }

    /**
     * A pause after a mirror's last bytes short enough to be the client's own: on loopback mirrors, queued
     * answers followed the ones ahead of them 0–5 ms apart (turns of the reader on a busy start). Taken as
     * round trips, those waits ratcheted the estimate up: one of 0.24 s with a pause of 3 ms took a mirror's
     * typical latency from 30 to 72 ms, hence also the half-the-wait rule.
     */
    static final double QUEUE_GAP = 0.002;

    /** Bytes a throughput sample spans at least once the mirror has one (see {@link #minSampleBytes}). */
    private static final long MIN_SAMPLE_BYTES = 256 << 10;

    /**
     * Bytes a throughput sample must span: any for a mirror's first sample (its probe, however short),
     * then 256 KiB or one of the file's pieces, whichever is less. A shorter span measures how the client's
     * reads were clumped more than the link: on 25 MB/s loopback mirrors, samples under 64 KiB averaged
     * 148 MB/s and those of 128–256 KiB 40 MB/s, against 25.2 MB/s for whole 1 MiB pieces; with many small
     * files the estimates ended at 27–95 MB/s. Bytes short of it carry on into the request's next piece.
     */
    private long minSampleBytes(Req r) {
        return book.hasThroughput(r.mirror) ? Math.min(MIN_SAMPLE_BYTES, files.get(r.file).plan.pieceLength()) : 1;
    }

    private void onPieceVerified(Req r, int p) {
        FileState fs = files.get(r.file);
        advance(r, fs, p);
        int len = fs.plan.pieceLength(p);
        r.sampleBytes += len;
        book.noteBytes(r.mirror, now);
        if (r.remainingBytes() == 0 && r.sampleStart == r.firstByte && r.sampleBytes <= r.firstReport) {
            // All it was asked for came with its first report, or most of it did: nothing to time. What came
            // after measures how the answer was cut into reads, not the link: a 4 KiB answer read as 3,564 bytes
            // then 532 bytes 1.5 ms later made 357 KB/s of a 24 MiB/s mirror, which stayed its rate (small
            // files make no further sample), so it took one request per round trip where the others took eight.
            book.sawWholeAnswer(r.mirror);
        } else if (now > r.sampleStart && r.sampleBytes >= minSampleBytes(r)) {
            book.recordThroughput(r.mirror, r.sampleBytes / (now - r.sampleStart));
            r.sampleStart = now;
            r.sampleBytes = 0;
        }
        recordPieceTime(now - r.lastPiece);
        r.lastPiece = now;
        if (fs.done.get(p) || fs.status != FileStatus.ACTIVE) {
            wastedBytes += len;
            return;
        }
        fs.markDone(p);
        verifiedBytes += len;
        book.addBytes(r.mirror, len);
        if (fs.doneCount == fs.pieces) {
            complete(fs);
        } else {
            cancelLosers(fs, p);
        }
    }

    private void onPieceObtained(int f, int p) {
        FileState fs = fileState(f);
        if (p < 0 || p >= fs.pieces) {
            throw new IllegalArgumentException("piece " + p + " of " + fs.pieces + " in file " + f);
        }
        if (fs.status != FileStatus.ACTIVE || fs.done.get(p)) {
            return;
        }
        fs.markDone(p);
        obtainedBytes += fs.plan.pieceLength(p);
        if (fs.doneCount == fs.pieces) {
            complete(fs);
        } else {
            cancelLosers(fs, p);
        }
    }

    private void onPieceFailed(Req r, int p, FailureReason reason) {
        FileState fs = files.get(r.file);
        advance(r, fs, p);
        wastedBytes += fs.plan.pieceLength(p);
        piecesFailed++;
        r.failedPiece = true;
        r.lastPiece = now;
        penalize(r, fs, reason);
        cancel(r, "piece " + p + " failed: " + reason.description());
    }

    private void onRequestEnd(Req r, FailureReason reason) {
        FileState fs = files.get(r.file);
        for (int q = r.position; q < r.end; q++) {
            fs.release(q);
        }
        r.end = Math.min(r.end, r.position);
        r.live = false;
        live.remove(r);
        requests.set(r.id, null);
        book.ended(r.mirror);
        if (holdsConnection(r.mirror, book.inFlight(r.mirror))) {
            connections--; // the request that ends is counted as the last one in: the counts add up the same
        }
        if (--fs.activeRequests == 0) {
            mirrorsMayBeGone = true;
        }
        if (reason == null) {
            if (!r.cancelled && !r.failedPiece && r.position >= r.originalEnd) {
                book.recordSuccess(r.mirror);
            }
        } else if (r.overlapped && Double.isNaN(r.firstByte) && refusal(reason)) {
            // A mirror that limits connections per client (nginx's limit_conn answers 503) turned away one of
            // the requests in flight together with an early one (which one depends on which reached it first):
            // not a fault; after a few, no more early requests there.
            book.refuseEarly(r.mirror);
        } else if (!r.cancelled || reason.kind() == FailureReason.Kind.CORRUPT
                || reason.kind() == FailureReason.Kind.MALFORMED || reason.kind() == FailureReason.Kind.FATAL) {
            if (reason == FailureReason.LOW_SPEED && r.position > r.first) {
                // It served whole pieces at speed before it slowed down: it throttles long responses. Ask it
                // for ranges a piece shorter than what it delivered (at least one piece).
                book.capRange(r.mirror, fs.plan.range(r.first, Math.max(r.first + 1, r.position - 1)).length());
            }
            penalize(r, fs, reason);
        }
    }

    /** How a server turns away a connection beyond its per-client limit. */
    private static boolean refusal(FailureReason reason) {
        return reason == FailureReason.HTTP_ERROR || reason == FailureReason.CONNECT_FAILED
                || reason == FailureReason.CONNECTION_LOST;
    }

    // ------------------------------------------------------------------ decisions

    private void schedule() {
        requestedWake = Double.POSITIVE_INFINITY;
        if (activeFiles > 0 && anyMirrorFree()) {
            while (budgetLeft()) {
                Assignment a = chunk.next(view);
                if (a == null) {
                    break;
                }
                start(a, "chunk strategy " + config.chunk().id());
            }
            while (budgetLeft()) {
                Assignment a = tail.next(view);
                if (a == null) {
                    break;
                }
                start(a, "tail policy");
            }
        }
        if (activeFiles > 0 && (mirrorsMayBeGone || book.exclusions() != exclusionsSeen)) {
            mirrorsMayBeGone = false;
            exclusionsSeen = book.exclusions();
            for (int f = 0; f < files.size(); f++) {
                FileState fs = files.get(f);
                if (fs.status == FileStatus.ACTIVE && fs.activeRequests == 0 && !fs.hasPossibleMirror()) {
                    fail(fs);
                }
            }
        }
        if (config.earlyRequests() > 0 && activeFiles > 0) {
            wakeForEarlyRequests();
        }
        double wake = Math.min(requestedWake, banExpiryThatMatters());
        if (wake > now && wake < Double.POSITIVE_INFINITY && (wake < pendingWake || pendingWake <= now)) {
            pendingWake = wake;
            emit(new Action.WakeAt(wake));
        }
    }

    /**
     * Whether a request to mirror {@code m} now would be a pipelined early one: queued on a connection it
     * holds, so within the budget even when that is spent.
     */
    private boolean pipelinedEarly(int m) {
        return !holdsConnection(m, book.inFlight(m));
    }

    /**
     * Whether the request started last at mirror {@code m} holds a connection of the budget (false: an early
     * request pipelined on one of its connections). For the shell, while it handles that request's {@link
     * Action.StartRequest}.
     */
    public boolean startedOnOwnConnection(int m) {
        return holdsConnection(m, book.inFlight(m) - 1);
    }

    /**
     * Whether the request that makes {@code inFlight + 1} at mirror {@code m} holds a connection of the budget:
     * always, unless early requests are pipelined there and it is one (the mirror's connections are taken).
     */
    private boolean holdsConnection(int m, int inFlight) {
        return inFlight < book.connectionLimit(m) || !config.earlyPipelined() || book.notPipelined(m);
    }

    private void onOtherVersion(int f, String mirror) {
        if (f < 0 || f >= files.size()) {
            throw new IllegalArgumentException("unknown file " + f);
        }
        int m = book.indexOf(mirror);
        if (m < 0) {
            throw new IllegalArgumentException("unknown mirror " + mirror);
        }
        book.otherVersion(m);
        dropForFile(m, files.get(f), FailureReason.STALE);
    }

    /**
     * Mirror {@code m} cannot serve file {@code fs}; a mirror found serving another version of a {@link
     * MirrorBook#STALE_FILE_LIMIT}th file is excluded instead.
     */
    private void dropForFile(int m, FileState fs, FailureReason reason) {
        boolean fresh = !fs.dropped.get(m);
        fs.dropped.set(m);
        mirrorsMayBeGone = true;
        if (fresh && reason == FailureReason.STALE && book.anotherVersion(m)) {
            cancelOn(m, -1, "mirror excluded: " + book.exclusionReason(m));
        } else {
            cancelOn(m, fs.index, "mirror dropped for this file: " + reason.description());
        }
    }

    /**
     * Mirror {@code m}'s early requests hold connections of their own from now on: those in flight are counted
     * against the budget at once.
     */
    private void onNotPipelined(int m) {
        if (m < 0 || book.notPipelined(m)) {
            return;
        }
        if (config.earlyPipelined()) {
            connections += Math.max(0, book.inFlight(m) - book.connectionLimit(m));
        }
        book.markNotPipelined(m);
    }

    /**
     * Whether a request could start within the budget: a connection is left, or early requests are pipelined
     * (then each mirror's own room decides, in {@link View#canStart}).
     */
    private boolean budgetLeft() {
        return connections < config.maxConnections() || config.earlyPipelined() && config.earlyRequests() > 0;
    }

    /**
     * True when some mirror could take a request now: with {@linkplain #hasRoom room} and usable. When none
     * can, no strategy could start anything, so they are not asked — most events of a busy client.
     */
    private boolean anyMirrorFree() {
        if (!budgetLeft()) {
            return false;
        }
        boolean spent = connections >= config.maxConnections();
        for (int m = 0; m < book.size(); m++) {
            if (hasRoom(m) && book.isUsable(m, now) && (!spent || pipelinedEarly(m))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether mirror {@code m} may take one more request: it is under its connection limit, or — with
     * early requests — fewer than {@link SchedulerConfig#earlyRequests} past it, and all it was asked for should be delivered
     * within its typical latency (the next answer's first byte would come after that anyway).
     * O(live requests).
     */
    private boolean hasRoom(int m) {
        return book.inFlight(m) < book.connectionLimit(m)
                || earlyRequestAt(m) <= now + 1e-9; // a wake computed for this instant may land an ulp short
    }

    /**
     * When mirror {@code m}, at its connection limit, may take an early request: once all it was asked for
     * should be delivered within its typical latency, or — pipelined — at once for the first one behind short
     * answers in progress. +infinity when early requests are off, the mirror is under its limit or as many
     * past it as the config allows, refuses them, or is not measured yet.
     */
    private double earlyRequestAt(int m) {
        int limit = book.connectionLimit(m);
        int inFlight = book.inFlight(m);
        if (inFlight < limit || inFlight >= limit + config.earlyRequests() || book.refusesEarly(m)) {
            return Double.POSITIVE_INFINITY;
        }
        double rate = book.throughput(m);
        double latency = book.typicalLatency(m);
        if (!(rate > 0) && book.answersWhole(m)) {
            // No rate yet, but its answers came whole with their first bytes (small files, each in one read:
            // a live client tells its first bytes with them): their length costs no time next to the latency.
            // Without this, a mirror serving only small files never had a rate, so never took early requests:
            // 200 files of 4 KiB from 4 mirrors 20 ms away took 1.47 s, against 0.55 s for aria2c -j16.
            rate = Double.POSITIVE_INFINITY;
        }
        if (!(rate > 0) || !(latency > 0)) {
            return Double.POSITIVE_INFINITY;
        }
        if (inFlight == limit && pipelinedEarly(m) && answeringShort(m)) {
            // One request may always wait behind short answers in progress on a pipelined connection: then the
            // mirror has it when they end, however their length was misjudged (a mirror that trickled each
            // 16 KiB answer's last byte measured slow, and its next request went out only as the answer ended).
            // Not behind long ones: a range queued a whole answer ahead is committed to that mirror (with a
            // stalling one among four, 7.6 s against 7.0 s).
            return now;
        }
        return now + drainTime(m, rate, latency) - latency;
    }

    /**
     * Whether every request in flight at mirror {@code m} has had its first byte and asked for at most {@link
     * #MIN_SAMPLE_BYTES}. O(live requests).
     */
    private boolean answeringShort(int m) {
        for (int i = 0; i < live.size(); i++) { // indexed: no iterator per call on the hot path
            Req r = live.get(i);
            if (r.mirror == m && (Double.isNaN(r.firstByte)
                    || files.get(r.file).plan.bytes(r.first, r.originalEnd) > MIN_SAMPLE_BYTES)) {
                return false;
            }
        }
        return true;
    }


    /**
     * Seconds until mirror {@code m} should have delivered all it was asked for: the latest of its requests'
     * ends, and no sooner than their bytes take at its rate.
     */
    private double drainTime(int m, double rate, double latency) {
        double last = 0;
        double transfer = 0;
        for (int i = 0; i < live.size(); i++) { // indexed: no iterator per call on the hot path
            Req r = live.get(i);
            if (r.mirror == m) {
                double left = timeLeft(r, rate, latency);
                last = Math.max(last, left);
                transfer += Double.isNaN(r.firstByte) ? r.remainingBytes() / rate : left;
            }
        }
        return Math.max(last, transfer);
    }

    /**
     * Seconds until request {@code r} should end: its first byte (if still to come), then what it has left at
     * {@code rate}, less what may have come since bytes were last told of (a simulator tells whole pieces) —
     * at most the rest of the piece in progress: a transfer that has slowed to a crawl is not taken to
     * have kept its mirror's pace.
     */
    private double timeLeft(Req r, double rate, double latency) {
        long remaining = r.remainingBytes();
        if (Double.isNaN(r.firstByte)) {
            return Math.max(0, r.start + latency - now) + remaining / rate;
        }
        double piece = r.position < r.end
                ? files.get(r.file).plan.pieceLength(r.position) - r.partialBytes() : 0;
        double since = Math.min(now - Math.max(r.lastBytes, r.lastPiece), piece / rate);
        return Math.max(0, remaining / rate - since);
    }

    /**
     * Asks to be woken when a mirror at its limit will have delivered all it was asked for within its
     * typical latency, so that an early request can start then (only while some file has pieces to give).
     */
    private void wakeForEarlyRequests() {
        boolean work = false;
        for (int f = 0; f < files.size() && !work; f++) {
            work = files.get(f).status == FileStatus.ACTIVE && files.get(f).freeCount > 0;
        }
        if (!work) {
            return;
        }
        for (int m = 0; m < book.size(); m++) {
            double t = book.isUsable(m, now) ? earlyRequestAt(m) : Double.POSITIVE_INFINITY;
            if (t > now && t < requestedWake) {
                requestedWake = t;
            }
        }
    }

    /** The earliest end of a ban on a mirror that some active file with free pieces could use. */
    private double banExpiryThatMatters() {
        double best = Double.POSITIVE_INFINITY;
        for (int m = 0; m < book.size(); m++) {
            double until = book.bannedUntil(m);
            if (until > now && until < best && !book.isExcluded(m)) {
                for (FileState fs : files) {
                    if (fs.status == FileStatus.ACTIVE && fs.freeCount > 0 && fs.listed.get(m) && !fs.dropped.get(m)) {
                        best = until;
                        break;
                    }
                }
            }
        }
        return best;
    }

    private void start(Assignment a, String who) {
        if (a.file() < 0 || a.file() >= files.size()) {
            throw new IllegalStateException(who + " proposed unknown file " + a.file());
        }
        FileState fs = files.get(a.file());
        int first = a.firstPiece();
        int end = a.endPiece();
        if (end > fs.pieces) {
            throw new IllegalStateException(who + " proposed pieces [" + first + ", " + end + ") of "
                    + fs.pieces + " in " + fs.plan.name());
        }
        if (!view.canStart(a.file(), a.mirror())) {
            throw new IllegalStateException(who + " proposed mirror " + a.mirror() + " for file " + a.file()
                    + ", which may not start a request now");
        }
        Req victim = null;
        switch (a.purpose()) {
            case NORMAL -> {
                for (int q = first; q < end; q++) {
                    if (fs.done.get(q) || fs.holders[q] != 0) {
                        throw new IllegalStateException(who + " proposed piece " + q + " of file " + a.file()
                                + ", which is not free");
                    }
                }
            }
            case STOLEN -> {
                victim = a.victim() < requests.size() ? requests.get(a.victim()) : null;
                if (victim == null || victim.cancelled || victim.file != a.file()
                        || first <= victim.position || first >= victim.end) {
                    throw new IllegalStateException(who + " proposed to steal [" + first + ", " + end
                            + ") from request " + a.victim() + ", which does not hold a tail there");
                }
                for (int q = first; q < end; q++) {
                    boolean victims = q < victim.end && fs.holders[q] == 1;
                    if (fs.done.get(q) || (fs.holders[q] != 0 && !victims)) {
                        throw new IllegalStateException(who + " proposed to steal piece " + q
                                + ", which is done or held by another request");
                    }
                }
            }
            case DUPLICATE -> {
                for (int q = first; q < end; q++) {
                    if (fs.done.get(q) || fs.holders[q] >= config.maxCopies()) {
                        throw new IllegalStateException(who + " proposed a copy of piece " + q
                                + ", which is done or already has " + fs.holders[q] + " copies in flight");
                    }
                }
                for (Req r : live) {
                    if (r.file == a.file() && r.mirror == a.mirror() && r.position < end && first < r.end) {
                        throw new IllegalStateException(who + " proposed a copy on mirror " + a.mirror()
                                + ", which already fetches those pieces");
                    }
                }
            }
            default -> throw new AssertionError(a.purpose());
        }

        if (victim != null) {
            for (int q = first; q < victim.end; q++) {
                fs.release(q);
            }
            victim.end = first;
            emit(new Action.ShrinkRequest(victim.id, first, fs.plan.pieceStart(first)));
            stolenStarted++;
        } else if (a.purpose() == Purpose.DUPLICATE) {
            duplicatesStarted++;
        }
        Req r = new Req(requests.size(), a.file(), a.mirror(), first, end, a.purpose(), now);
        r.queued = pipelinedEarly(a.mirror());
        if (book.inFlight(a.mirror()) >= book.connectionLimit(a.mirror())) { // an early request
            r.overlapped = true;
            for (Req q : live) {
                if (q.mirror == r.mirror) {
                    q.overlapped = true;
                }
            }
        }
        for (int q = first; q < end; q++) {
            fs.hold(q);
        }
        requests.add(r);
        live.add(r);
        if (holdsConnection(r.mirror, book.inFlight(r.mirror))) {
            connections++;
        }
        book.started(r.mirror);
        fs.activeRequests++;
        emit(new Action.StartRequest(r.id, r.file, r.mirror, book.mirror(r.mirror).id(), first, end,
                fs.plan.range(first, end), a.purpose()));
    }

    private void advance(Req r, FileState fs, int p) {
        if (p != r.position || p >= r.originalEnd) {
            throw new IllegalArgumentException("request " + r.id + " reported piece " + p + " but its next piece is "
                    + r.position + " of [" + r.first + ", " + r.originalEnd + ")");
        }
        if (p < r.end) {
            fs.release(p);
        }
        r.position = p + 1;
        r.resolvedBytes = fs.plan.bytes(r.first, r.position);
    }

    /** Cancels every live request of the file whose remaining pieces are all done elsewhere. */
    private void cancelLosers(FileState fs, int p) {
        for (int i = live.size() - 1; i >= 0; i--) {
            Req r = live.get(i);
            if (r.file == fs.index && !r.cancelled && r.position < r.end && r.position <= p + 1 && p < r.end
                    && fs.allDone(r.position, r.end)) {
                cancel(r, "its pieces were verified from another mirror");
            }
        }
    }

    private void penalize(Req r, FileState fs, FailureReason reason) {
        MirrorBook.Outcome o = book.recordFailure(r.mirror, reason, now);
        switch (o) {
            case DROPPED_FOR_FILE -> dropForFile(r.mirror, fs, reason);
            case EXCLUDED -> cancelOn(r.mirror, -1, "mirror excluded: " + book.exclusionReason(r.mirror));
            case BANNED -> {
                if (reason.kind() == FailureReason.Kind.CORRUPT || reason.kind() == FailureReason.Kind.MALFORMED) {
                    cancelOn(r.mirror, -1, "mirror banned: " + reason.description());
                }
            }
            case IGNORED -> {
            }
            default -> throw new AssertionError(o);
        }
    }

    private void cancelOn(int mirror, int file, String why) {
        for (int i = live.size() - 1; i >= 0; i--) {
            Req r = live.get(i);
            if (r.mirror == mirror && (file < 0 || r.file == file)) {
                cancel(r, why);
            }
        }
    }

    private void cancel(Req r, String why) {
        if (!r.live || r.cancelled || r.position >= r.end) {
            return; // a request that has delivered its whole range ends by itself
        }
        r.cancelled = true;
        FileState fs = files.get(r.file);
        for (int q = r.position; q < r.end; q++) {
            fs.release(q);
        }
        r.end = Math.min(r.end, r.position);
        cancelledCount++;
        emit(new Action.CancelRequest(r.id, why));
    }

    private void complete(FileState fs) {
        fs.status = FileStatus.COMPLETE;
        activeFiles--;
        emit(new Action.FileCompleted(fs.index));
        for (int i = live.size() - 1; i >= 0; i--) {
            Req r = live.get(i);
            if (r.file == fs.index) {
                cancel(r, "file complete");
            }
        }
    }

    private void fail(FileState fs) {
        fs.status = FileStatus.FAILED;
        activeFiles--;
        StringBuilder why = new StringBuilder();
        if (fs.mirrors.length == 0) {
            why.append("no mirror lists this file");
        } else {
            why.append("no usable mirror left: ");
            for (int k = 0; k < fs.mirrors.length; k++) {
                int m = fs.mirrors[k];
                if (k > 0) {
                    why.append("; ");
                }
                why.append(book.mirror(m).id()).append(" ");
                if (fs.dropped.get(m)) {
                    FailureReason lf = book.lastFailure(m);
                    why.append("dropped (").append(lf == null ? "unusable" : lf.description()).append(')');
                } else {
                    why.append("excluded (").append(book.exclusionReason(m)).append(')');
                }
            }
        }
        emit(new Action.FileFailed(fs.index, why.toString()));
    }

    private void emit(Action a) {
        trace.action(now, a);
        sink.accept(a);
    }

    private Req liveRequest(int id) {
        Req r = id >= 0 && id < requests.size() ? requests.get(id) : null;
        if (r == null) {
            throw new IllegalArgumentException(id >= 0 && id < requests.size()
                    ? "request " + id + " has already ended" : "unknown request " + id);
        }
        return r;
    }

    private FileState fileState(int f) {
        if (f < 0 || f >= files.size()) {
            throw new IndexOutOfBoundsException("file " + f + " of " + files.size());
        }
        return files.get(f);
    }

    /** Adds a piece time to the window, keeping a sorted copy: O(window) moves, no sort. */
    private void recordPieceTime(double t) {
        int n = Math.min(pieceTimeCount, PIECE_TIME_WINDOW);
        int slot = pieceTimeCount % PIECE_TIME_WINDOW;
        if (pieceTimeCount >= PIECE_TIME_WINDOW) {
            int out = java.util.Arrays.binarySearch(sortedPieceTimes, 0, n, pieceTimes[slot]);
            System.arraycopy(sortedPieceTimes, out + 1, sortedPieceTimes, out, n - out - 1);
            n--;
        }
        int in = java.util.Arrays.binarySearch(sortedPieceTimes, 0, n, t);
        if (in < 0) {
            in = -in - 1;
        }
        System.arraycopy(sortedPieceTimes, in, sortedPieceTimes, in + 1, n - in);
        sortedPieceTimes[in] = t;
        pieceTimes[slot] = t;
        pieceTimeCount++;
    }

    // ------------------------------------------------------------------ state

    private final class FileState implements FileView {
        final int index;
        final FilePlan plan;
        final int pieces;
        final int[] mirrors;
        final BitSet listed = new BitSet();
        final BitSet dropped = new BitSet();
        final BitSet done = new BitSet();
        final int[] holders;
        int doneCount;
        long doneBytes;
        int freeCount;
        long freeBytes;
        /** No free piece lies below this index. */
        int freeHint;
        int activeRequests;
        FileStatus status = FileStatus.ACTIVE;

        FileState(int index, FilePlan plan, int[] mirrors) {
            this.index = index;
            this.plan = plan;
            this.pieces = plan.pieceCount();
            this.mirrors = mirrors;
            for (int m : mirrors) {
                listed.set(m);
            }
            this.holders = new int[pieces];
            this.freeCount = pieces;
            this.freeBytes = plan.size();
        }

        void hold(int p) {
            if (holders[p]++ == 0 && !done.get(p)) {
                freeCount--;
                freeBytes -= plan.pieceLength(p);
            }
        }

        void release(int p) {
            if (--holders[p] == 0 && !done.get(p)) {
                freeCount++;
                freeBytes += plan.pieceLength(p);
                freeHint = Math.min(freeHint, p);
            }
        }

        void markDone(int p) {
            done.set(p);
            doneCount++;
            doneBytes += plan.pieceLength(p);
            if (holders[p] == 0) {
                freeCount--;
                freeBytes -= plan.pieceLength(p);
            }
        }

        boolean allDone(int from, int to) {
            int next = done.nextClearBit(from);
            return next >= to;
        }

        boolean hasPossibleMirror() {
            for (int m : mirrors) {
                if (!dropped.get(m) && !book.isExcluded(m)) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public int index() {
            return index;
        }

        @Override
        public FilePlan plan() {
            return plan;
        }

        @Override
        public boolean isActive() {
            return status == FileStatus.ACTIVE;
        }

        @Override
        public boolean isDone(int piece) {
            return done.get(piece);
        }

        @Override
        public int holders(int piece) {
            return holders[piece];
        }

        @Override
        public int owner(int piece) {
            for (int i = live.size() - 1; i >= 0; i--) {
                Req r = live.get(i);
                if (r.file == index && r.position <= piece && piece < r.end) {
                    return r.id;
                }
            }
            return -1;
        }

        @Override
        public int doneCount() {
            return doneCount;
        }

        @Override
        public long doneBytes() {
            return doneBytes;
        }

        @Override
        public int freeCount() {
            return freeCount;
        }

        @Override
        public long freeBytes() {
            return freeBytes;
        }

        @Override
        public int nextFree(int from) {
            if (freeCount == 0) {
                return -1;
            }
            int start = Math.max(Math.max(from, 0), freeHint);
            for (int p = done.nextClearBit(start); p < pieces; p = done.nextClearBit(p + 1)) {
                if (holders[p] == 0) {
                    if (from <= freeHint) {
                        freeHint = p;
                    }
                    return p;
                }
            }
            if (from <= freeHint) {
                freeHint = pieces;
            }
            return -1;
        }

        @Override
        public int freeRunEnd(int start) {
            int p = start;
            while (p < pieces && holders[p] == 0 && !done.get(p)) {
                p++;
            }
            return p;
        }

        @Override
        public int activeRequests() {
            return activeRequests;
        }

        @Override
        public int mirrorCount() {
            return mirrors.length;
        }

        @Override
        public int mirror(int k) {
            return mirrors[k];
        }

        @Override
        public boolean isDropped(int mirror) {
            return dropped.get(mirror);
        }
    }

    private final class Req implements RequestView {
        final int id;
        final int file;
        final int mirror;
        final int first;
        final int originalEnd;
        final Purpose purpose;
        final double start;
        int end;
        int position;
        boolean live = true;
        /**
         * An early request (started beyond its mirror's connection limit as the requests there were ending),
         * or in flight on its mirror together with one: any of them may be the one a server turns away.
         */
        boolean overlapped;
        /** Pipelined behind the answers in flight on its mirror's connection: its answer may wait for theirs. */
        boolean queued;
        boolean cancelled;
        boolean failedPiece;
        double firstByte = Double.NaN;
        /** When bytes or a piece were last told of. */
        double lastBytes;
        double lastPiece;
        double sampleStart;
        long sampleBytes;
        /** Bytes told of with the first byte (a simulator tells none; a live client tells its first read). */
        long firstReport;
        long bytes;
        long resolvedBytes;

        Req(int id, int file, int mirror, int first, int end, Purpose purpose, double start) {
            this.id = id;
            this.file = file;
            this.mirror = mirror;
            this.first = first;
            this.end = end;
            this.originalEnd = end;
            this.position = first;
            this.purpose = purpose;
            this.start = start;
            this.lastPiece = start;
            this.sampleStart = start;
        }

        @Override
        public int id() {
            return id;
        }

        @Override
        public int file() {
            return file;
        }

        @Override
        public int mirror() {
            return mirror;
        }

        @Override
        public int firstPiece() {
            return first;
        }

        @Override
        public int endPiece() {
            return end;
        }

        @Override
        public int position() {
            return position;
        }

        @Override
        public Purpose purpose() {
            return purpose;
        }

        @Override
        public boolean isLive() {
            return live;
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }

        @Override
        public double startTime() {
            return start;
        }

        @Override
        public double firstByteTime() {
            return firstByte;
        }

        @Override
        public double lastPieceTime() {
            return lastPiece;
        }

        @Override
        public long bytesReceived() {
            return bytes;
        }

        @Override
        public long partialBytes() {
            if (position >= originalEnd) {
                return 0;
            }
            long partial = bytes - resolvedBytes;
            return Math.max(0, Math.min(partial, files.get(file).plan.pieceLength(position)));
        }

        @Override
        public long remainingBytes() {
            if (position >= end) {
                return 0;
            }
            return files.get(file).plan.bytes(position, end) - partialBytes();
        }

        @Override
        public String toString() {
            return "request " + id + " [" + position + ", " + end + ") of file " + file + " on mirror " + mirror;
        }
    }

    private final class View implements SchedulerView {
        @Override
        public double now() {
            return now;
        }

        @Override
        public SchedulerConfig config() {
            return config;
        }

        @Override
        public MirrorBook book() {
            return book;
        }

        @Override
        public RandomGenerator random() {
            return random;
        }

        @Override
        public int fileCount() {
            return files.size();
        }

        @Override
        public FileView file(int file) {
            return fileState(file);
        }

        @Override
        public int freeSlots() {
            return config.maxConnections() - connections;
        }

        @Override
        public int requestsStarted() {
            return requests.size();
        }

        @Override
        public int liveCount() {
            return live.size();
        }

        @Override
        public RequestView live(int i) {
            return live.get(i);
        }

        @Override
        public RequestView request(int id) {
            return Scheduler.this.request(id);
        }

        @Override
        public boolean canStart(int file, int mirror) {
            if (file < 0 || file >= files.size() || mirror < 0 || mirror >= book.size()) {
                return false;
            }
            FileState fs = files.get(file);
            return fs.status == FileStatus.ACTIVE
                    && fs.listed.get(mirror) && !fs.dropped.get(mirror)
                    && book.isUsable(mirror, now)
                    && hasRoom(mirror)
                    && (connections < config.maxConnections() || pipelinedEarly(mirror))
                    && (config.maxPerFile() == 0 || fs.activeRequests < config.maxPerFile());
        }

        @Override
        public boolean mayServe(int file, int mirror) {
            FileState fs = fileState(file);
            return fs.listed.get(mirror) && !fs.dropped.get(mirror) && !book.isExcluded(mirror);
        }

        @Override
        public int candidates(int file, int exclude, int[] out) {
            FileState fs = fileState(file);
            int n = 0;
            for (int m : fs.mirrors) {
                if (m != exclude && canStart(file, m)) {
                    out[n++] = m;
                }
            }
            return n;
        }

        @Override
        public int choose(int file, int exclude) {
            FileState fs = fileState(file);
            if (scratch.length < fs.mirrors.length) {
                scratch = new int[Math.max(fs.mirrors.length, scratch.length * 2)];
            }
            int n = candidates(file, exclude, scratch);
            return n == 0 ? -1 : pick(file, scratch, n);
        }

        @Override
        public int select(int file, int[] candidates, int count) {
            for (int i = 0; i < count; i++) {
                if (!canStart(file, candidates[i])) {
                    throw new IllegalStateException("mirror " + candidates[i] + " offered to the selector for file "
                            + file + " may not start a request now");
                }
            }
            return count == 0 ? -1 : pick(file, candidates, count);
        }

        private int pick(int file, int[] c, int n) {
            int m = selector.select(this, file, c, n);
            if (m < 0) {
                return -1;
            }
            for (int i = 0; i < n; i++) {
                if (c[i] == m) {
                    return m;
                }
            }
            throw new IllegalStateException("selector chose mirror " + m + ", which was not a candidate");
        }

        @Override
        public double pieceTimeQuantile(double q, int minSamples) {
            int n = Math.min(pieceTimeCount, PIECE_TIME_WINDOW);
            if (n == 0 || n < minSamples) {
                return Double.NaN;
            }
            int idx = (int) Math.ceil(q * n) - 1;
            return sortedPieceTimes[Math.max(0, Math.min(n - 1, idx))];
        }

        @Override
        public void wakeAt(double time) {
            if (time > now && time < requestedWake) {
                requestedWake = time;
            }
        }
    }
}
