package org.mirrorswarm.strategies.testing;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import org.mirrorswarm.strategies.Action;
import org.mirrorswarm.strategies.DecisionTrace;
import org.mirrorswarm.strategies.Digest;
import org.mirrorswarm.strategies.Event;
import org.mirrorswarm.strategies.FailureReason;
import org.mirrorswarm.strategies.FileJob;
import org.mirrorswarm.strategies.FilePlan;
import org.mirrorswarm.strategies.HashAlgorithm;
import org.mirrorswarm.strategies.Mirror;
import org.mirrorswarm.strategies.Scheduler;
import org.mirrorswarm.strategies.SchedulerConfig;
import org.mirrorswarm.strategies.Strategies;

/**
 * A deterministic shell for tests: a small discrete-event loop that plays mirrors with fixed rates and
 * latencies (and faults) against a real {@link Scheduler}. Files hold real pseudo-random bytes with real
 * SHA-256 piece hashes; a piece is reported verified only when the bytes a mirror served hash right,
 * and written to the output only when the scheduler accepts it — as the live client does. No wall clock:
 * time is the loop's own, so every run is exactly repeatable.
 */
public final class FakeNetwork {
    private static final Strategies REGISTRY = Strategies.load();

    private final SchedulerConfig config;
    private final List<FakeMirror> mirrors;
    private final Map<String, Integer> mirrorIndex = new HashMap<>();
    private final SplittableRandom random;
    private final List<FileJob> jobs = new ArrayList<>();
    private final List<byte[]> contents = new ArrayList<>();
    private double lowSpeedTimeout = 5.0;
    private boolean trace;

    private final PriorityQueue<Pending> queue = new PriorityQueue<>();
    private long seq;
    private double now;
    private Scheduler scheduler;
    private DecisionTrace decisions;
    private final Map<Integer, Flight> flights = new HashMap<>();
    private byte[][] outputs;
    private int[][] accepts;
    private double[] completion;
    private final Map<Integer, String> failures = new LinkedHashMap<>();
    private final List<String> violations = new ArrayList<>();
    private long[] servedBytes;
    private int events;
    private int filesAdded;

    /** What a run produced. */
    public record Result(boolean finished, boolean deadlocked, double endTime, double[] completionTimes,
                         Map<Integer, String> failures, boolean outputsCorrect, int[][] acceptCounts,
                         List<String> violations, DecisionTrace trace, Scheduler.Stats stats, long[] servedBytes,
                         int events, Scheduler scheduler) {

        /** True when every file completed. */
        public boolean allCompleted() {
            for (double t : completionTimes) {
                if (Double.isNaN(t)) {
                    return false;
                }
            }
            return true;
        }

        /** Time the last file completed (NaN if one did not). */
        public double makespan() {
            double max = 0;
            for (double t : completionTimes) {
                max = Math.max(max, t);
            }
            return allCompleted() ? max : Double.NaN;
        }
    }

    public FakeNetwork(SchedulerConfig config, List<FakeMirror> mirrors, long seed) {
        this.config = config;
        this.mirrors = List.copyOf(mirrors);
        for (int i = 0; i < mirrors.size(); i++) {
            if (mirrorIndex.put(mirrors.get(i).id(), i) != null) {
                throw new IllegalArgumentException("duplicate mirror " + mirrors.get(i).id());
            }
        }
        this.random = new SplittableRandom(seed);
    }

    /** Requests that receive nothing for this long fail with LOW_SPEED, as the live client's low-speed limit. */
    public FakeNetwork lowSpeedTimeout(double seconds) {
        this.lowSpeedTimeout = seconds;
        return this;
    }

    /** Keep a {@link DecisionTrace} of the run. */
    public FakeNetwork traced() {
        this.trace = true;
        return this;
    }

    /** A file of random bytes listed on every mirror, in mirror order. */
    public FakeNetwork addFile(String name, long size, int pieceLength) {
        return addFile(name, size, pieceLength, mirrors.stream().map(FakeMirror::id).toList());
    }

    /** A file of random bytes listed on the given mirrors, in that order. */
    public FakeNetwork addFile(String name, long size, int pieceLength, List<String> mirrorIds) {
        byte[] content = new byte[Math.toIntExact(size)];
        new SplittableRandom(random.nextLong()).nextBytes(content);
        int pieces = size == 0 ? 0 : (int) ((size - 1) / pieceLength + 1);
        List<Digest> hashes = new ArrayList<>(pieces);
        for (int p = 0; p < pieces; p++) {
            int from = p * pieceLength;
            int to = (int) Math.min(size, (long) from + pieceLength);
            hashes.add(Digest.of(HashAlgorithm.SHA_256, sha256(content, from, to - from)));
        }
        FilePlan plan = new FilePlan(name, size, pieceLength, hashes,
                Digest.of(HashAlgorithm.SHA_256, sha256(content, 0, content.length)));
        List<Mirror> ms = new ArrayList<>();
        for (String id : mirrorIds) {
            ms.add(mirrors.get(index(id)).asMirror());
        }
        jobs.add(new FileJob(plan, ms));
        contents.add(content);
        return this;
    }

    /** Runs until every file is done, nothing is left to happen, or {@code timeLimit} passes. */
    public Result run(double timeLimit) {
        decisions = trace ? new DecisionTrace() : null;
        scheduler = new Scheduler(config, REGISTRY, trace ? decisions : org.mirrorswarm.strategies.TraceSink.NONE);
        outputs = new byte[jobs.size()][];
        accepts = new int[jobs.size()][];
        completion = new double[jobs.size()];
        Arrays.fill(completion, Double.NaN);
        servedBytes = new long[mirrors.size()];
        for (int f = 0; f < jobs.size(); f++) {
            outputs[f] = new byte[contents.get(f).length];
            accepts[f] = new int[jobs.get(f).plan().pieceCount()];
            FileJob job = jobs.get(f);
            post(0, () -> {
                deliver(new Event.AddFile(now, job));
                filesAdded++;
            });
        }
        while (!queue.isEmpty() && events < 2_000_000) {
            Pending p = queue.peek();
            if (p.time > timeLimit) {
                break;
            }
            queue.poll();
            now = p.time;
            p.action.run();
            if (filesAdded == jobs.size() && scheduler.isFinished() && flightsIdle()) {
                break;
            }
        }
        if (events >= 2_000_000) {
            violations.add("more than 2,000,000 events: livelock?");
        }
        boolean finished = scheduler.isFinished();
        boolean correct = true;
        for (int f = 0; f < jobs.size(); f++) {
            if (Double.isNaN(completion[f])) {
                continue;
            }
            if (!jobs.get(f).plan().fileHash().matches(sha256(outputs[f], 0, outputs[f].length))) {
                violations.add("file " + f + " completed but its whole-file hash does not match");
            }
            if (!Arrays.equals(outputs[f], contents.get(f))) {
                correct = false;
                violations.add("file " + f + " completed but its bytes differ from the original");
            }
        }
        return new Result(finished, queue.isEmpty() && !finished, now, completion.clone(), Map.copyOf(failures),
                correct, accepts, List.copyOf(violations), decisions, scheduler.stats(), servedBytes.clone(), events,
                scheduler);
    }

    private boolean flightsIdle() {
        for (Flight fl : flights.values()) {
            if (!fl.ended) {
                return false;
            }
        }
        return true;
    }

    // ------------------------------------------------------------------ scheduler side

    private void deliver(Event e) {
        events++;
        long doneBefore = totalDone();
        scheduler.handle(e, this::apply);
        if (!(e instanceof Event.PieceVerified) && totalDone() != doneBefore) {
            violations.add("a piece became done on " + e);
        }
    }

    private long totalDone() {
        long n = 0;
        for (int f = 0; f < scheduler.fileCount(); f++) {
            n += scheduler.file(f).doneCount();
        }
        return n;
    }

    private void apply(Action a) {
        if (a instanceof Action.StartRequest s) {
            start(s);
        } else if (a instanceof Action.CancelRequest c) {
            Flight fl = flights.get(c.request());
            if (fl != null && !fl.cancelled && !fl.ended) {
                fl.cancelled = true;
                post(now, () -> end(fl, null));
            }
        } else if (a instanceof Action.ShrinkRequest s) {
            Flight fl = flights.get(s.request());
            if (fl != null && s.newEndPiece() < fl.end) {
                fl.end = s.newEndPiece();
            }
        } else if (a instanceof Action.WakeAt w) {
            post(w.time(), () -> deliver(new Event.Timer(now)));
        } else if (a instanceof Action.FileCompleted c) {
            completion[c.file()] = now;
        } else if (a instanceof Action.FileFailed f) {
            failures.put(f.file(), f.reason());
        }
    }

    // ------------------------------------------------------------------ mirror side

    private final class Flight {
        final int id;
        final int file;
        final FakeMirror mirror;
        final int mirrorIndex;
        final int first;
        int end;
        int next;
        double firstByte;
        long sent;
        double cutAt = Double.POSITIVE_INFINITY;
        boolean cancelled;
        boolean ended;

        Flight(Action.StartRequest s) {
            id = s.request();
            file = s.file();
            mirrorIndex = index(s.mirrorId());
            mirror = mirrors.get(mirrorIndex);
            first = s.firstPiece();
            end = s.endPiece();
            next = first;
        }
    }

    private void start(Action.StartRequest s) {
        Flight fl = new Flight(s);
        flights.put(fl.id, fl);
        FakeMirror m = fl.mirror;
        double connect = Math.max(m.latency(), 1e-3);
        if (now >= m.deadFrom() && now < m.deadUntil()) {
            post(now + connect, () -> end(fl, FailureReason.CONNECT_FAILED));
            return;
        }
        if (m.missing()) {
            post(now + connect, () -> end(fl, FailureReason.NOT_FOUND));
            return;
        }
        if (m.dropShare() > 0 && random.nextDouble() < m.dropShare()) {
            fl.cutAt = random.nextDouble() * s.range().length();
        }
        fl.firstByte = now + m.latency();
        post(fl.firstByte, () -> {
            if (!fl.cancelled && !fl.ended) {
                deliver(new Event.BytesArrived(now, fl.id, 0));
                next(fl);
            }
        });
    }

    /** Schedules the next piece of a flight, or its end. */
    private void next(Flight fl) {
        if (fl.cancelled || fl.ended) {
            return;
        }
        if (fl.next >= fl.end) {
            post(now, () -> end(fl, null));
            return;
        }
        FilePlan plan = jobs.get(fl.file).plan();
        int p = fl.next;
        long target = fl.sent + plan.pieceLength(p);
        FakeMirror m = fl.mirror;
        double limit = Math.min(fl.cutAt, m.stallAfterBytes() < 0 ? Double.POSITIVE_INFINITY : m.stallAfterBytes());
        if (target > limit) {
            double stop = m.deliveredAt(fl.firstByte, limit);
            if (limit == fl.cutAt) {
                post(stop, () -> end(fl, FailureReason.CONNECTION_LOST));
            } else {
                post(stop + lowSpeedTimeout, () -> end(fl, FailureReason.LOW_SPEED));
            }
            return;
        }
        double t = m.deliveredAt(fl.firstByte, target);
        if (Double.isInfinite(t)) {
            post(m.stallTime(fl.firstByte) + lowSpeedTimeout, () -> end(fl, FailureReason.LOW_SPEED));
            return;
        }
        post(t, () -> piece(fl, p));
    }

    private void piece(Flight fl, int p) {
        if (fl.cancelled || fl.ended) {
            return;
        }
        FilePlan plan = jobs.get(fl.file).plan();
        int len = plan.pieceLength(p);
        fl.sent += len;
        fl.next = p + 1;
        servedBytes[fl.mirrorIndex] += len;
        deliver(new Event.BytesArrived(now, fl.id, len));
        byte[] bytes = served(fl, p);
        boolean ok = plan.pieceHash(p).matches(sha256(bytes, 0, bytes.length));
        boolean wasDone = scheduler.file(fl.file).isDone(p);
        long doneBefore = totalDone();
        if (ok) {
            deliver(new Event.PieceVerified(now, fl.id, p));
        } else {
            deliver(new Event.PieceFailed(now, fl.id, p, FailureReason.HASH_MISMATCH));
        }
        boolean accepted = !wasDone && scheduler.file(fl.file).isDone(p);
        if (accepted) {
            if (!ok) {
                violations.add("piece " + p + " of file " + fl.file + " accepted although its hash did not match");
            }
            accepts[fl.file][p]++;
            System.arraycopy(bytes, 0, outputs[fl.file], (int) plan.pieceStart(p), len);
        }
        long delta = totalDone() - doneBefore;
        if (delta != (accepted ? 1 : 0)) {
            violations.add("piece delivery changed the done count by " + delta);
        }
        next(fl);
    }

    private byte[] served(Flight fl, int p) {
        FilePlan plan = jobs.get(fl.file).plan();
        int from = (int) plan.pieceStart(p);
        byte[] bytes = Arrays.copyOfRange(contents.get(fl.file), from, from + plan.pieceLength(p));
        FakeMirror m = fl.mirror;
        boolean bad = m.corruptPieces().contains(p)
                || (m.corruptShare() > 0 && unit(fl.mirrorIndex, fl.file, p) < m.corruptShare());
        if (bad) {
            bytes[bytes.length / 2] ^= 0x5A;
        }
        return bytes;
    }

    /** A fixed pseudo-random number in [0, 1) per (mirror, file, piece): a damaged copy stays damaged. */
    private static double unit(int mirror, int file, int piece) {
        long h = 0x9E3779B97F4A7C15L * (mirror + 1) ^ 0xC2B2AE3D27D4EB4FL * (file + 1) ^ 0x165667B19E3779F9L * (piece + 1);
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        return (h >>> 11) * 0x1.0p-53;
    }

    private void end(Flight fl, FailureReason reason) {
        if (fl.ended) {
            return;
        }
        if (fl.cancelled && reason != null) {
            return; // the cancel already ended it with SlotFree
        }
        fl.ended = true;
        deliver(reason == null ? new Event.SlotFree(now, fl.id) : new Event.RequestFailed(now, fl.id, reason));
    }

    // ------------------------------------------------------------------ plumbing

    private int index(String id) {
        Integer i = mirrorIndex.get(id);
        if (i == null) {
            throw new IllegalArgumentException("unknown mirror " + id);
        }
        return i;
    }

    private void post(double time, Runnable action) {
        queue.add(new Pending(time, seq++, action));
    }

    private record Pending(double time, long seq, Runnable action) implements Comparable<Pending> {
        @Override
        public int compareTo(Pending o) {
            int c = Double.compare(time, o.time);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }

    static byte[] sha256(byte[] b, int off, int len) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(b, off, len);
            return md.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
