package org.mirrorswarm.live.store;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;
import org.mirrorswarm.strategies.Digest;
import org.mirrorswarm.strategies.FilePlan;
import org.mirrorswarm.strategies.HashAlgorithm;

/**
 * A file being downloaded: its bytes in {@code NAME.part}, and beside it {@code NAME.part.journal}, the
 * list of pieces whose bytes are verified and on disk. A piece is written only once it has verified
 * (whole, from one response), and only if no other copy of it was written first; the journal records it
 * only after the data is forced to disk, so after a crash or {@code kill -9} a journaled piece can be
 * trusted and an unjournaled byte never is. {@link #commit} renames {@code NAME.part} to {@code NAME}
 * atomically once the caller has checked the whole-file hash.
 *
 * <p>Thread-safe: workers write pieces concurrently (positional writes), a flusher journals them. A
 * {@link FileChannel} is closed for every thread when one thread using it is interrupted; here a worker
 * stopped by an interrupt (a download that ends or is stopped) neither closes it under the others nor
 * loses its own write: the I/O runs with the interrupt set aside, and a channel closed anyway is reopened.
 */
public final class PartFile implements Closeable {
    /** A journal line: one verified piece. */
    private static final Pattern JOURNAL_LINE = Pattern.compile("p [0-9]{1,10}");

    private static final String MAGIC = "mirrorswarm-journal 1";

    private final Path target;
    private final Path part;
    private final Path journal;
    private final FilePlan plan;
    /** The journal's first line ({@link #header(FilePlan)}): made when a journal is read or first written. */
    private String header;
    /** Null until the first piece is written: a fresh file costs no file system work until it gets bytes. */
    private FileChannel channel;
    private BufferedWriter journalOut;
    private final BitSet written = new BitSet();
    private final BitSet stored = new BitSet();
    private final BitSet pending = new BitSet();
    private MessageDigest whole;
    private int wholeCursor;
    private final List<Integer> resumed;
    private final byte[][] pieceSha256;
    private final String[] pieceSource;
    private boolean closed;
    /** Pieces claimed and not yet stored. */
    private int inFlight;

    private PartFile(Path target, FilePlan plan, String header, FileChannel channel, BufferedWriter journalOut,
                     List<Integer> resumed) {
        this.target = target;
        this.part = partOf(target);
        this.journal = journalOf(target);
        this.plan = plan;
        this.header = header;
        this.channel = channel;
        this.journalOut = journalOut;
        this.resumed = List.copyOf(resumed);
        // Kept only where they can serve: finding the mirror behind a whole-file mismatch, with no piece hashes.
        boolean keep = !plan.hasPieceHashes() && plan.fileHash() != null;
        this.pieceSha256 = keep ? new byte[plan.pieceCount()][] : null;
        this.pieceSource = keep ? new String[plan.pieceCount()] : null;
        for (int p : resumed) {
            written.set(p);
            stored.set(p);
        }
        if (plan.fileHash() != null) {
            whole = digest(plan.fileHash().algorithm());
        }
    }

    public static Path partOf(Path target) {
        return target.resolveSibling(target.getFileName() + ".part");
    }

    public static Path journalOf(Path target) {
        return target.resolveSibling(target.getFileName() + ".part.journal");
    }

    /**
     * Opens the part file of {@code target}, resuming from its journal when that was written for the same
     * plan. With piece hashes every journaled piece is read back and hashed again; a piece that no longer
     * matches is simply fetched again. A journal for another plan (another version of the file) is
     * discarded with its part file. A fresh file's {@code NAME.part} and journal are created when its first
     * piece is written (or when it is committed), not here: a batch of hundreds of files starts at once.
     */
    public static PartFile open(Path target, FilePlan plan) throws IOException {
        Path part = partOf(target);
        Path journal = journalOf(target);
        String header = null;
        List<Integer> resumed = new ArrayList<>();
        boolean resume = false;
        if (Files.exists(journal) && Files.exists(part)) {
            header = header(plan);
            String text = new String(Files.readAllBytes(journal), StandardCharsets.ISO_8859_1);
            // Only whole lines count: a last one without its newline was torn mid-write ("p 1" of "p 12").
            List<String> lines = List.of(text.substring(0, text.lastIndexOf('\n') + 1).split("\n"));
            if (!lines.isEmpty() && lines.get(0).equals(header)) {
                resume = true;
                BitSet seen = new BitSet();
                for (int i = 1; i < lines.size(); i++) {
                    String l = lines.get(i);
                    if (!JOURNAL_LINE.matcher(l).matches()) {
                        continue; // a line a failed write left behind: that piece is fetched again
                    }
                    long p = Long.parseLong(l.substring(2));
                    if (p < plan.pieceCount() && !seen.get((int) p)) {
                        seen.set((int) p);
                        resumed.add((int) p);
                    }
                }
            }
        }
        if (!resume) {
            Files.deleteIfExists(part);
            Files.deleteIfExists(journal);
            return new PartFile(target, plan, header, null, null, resumed);
        }
        FileChannel ch = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        if (plan.hasPieceHashes()) {
            resumed = recheck(ch, plan, resumed);
        }
        {
            // Rewrite the journal with what is trusted now: nothing else from the old one survives.
            Path tmp = journal.resolveSibling(journal.getFileName() + ".tmp");
            try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.ISO_8859_1)) {
                w.write(header);
                w.write('\n');
                for (int p : resumed) {
                    w.write("p " + p + "\n");
                }
            }
            try (FileChannel jc = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                jc.force(true);
            }
            Files.move(tmp, journal, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        BufferedWriter out = Files.newBufferedWriter(journal, StandardCharsets.ISO_8859_1, StandardOpenOption.APPEND);
        return new PartFile(target, plan, header, ch, out, resumed);
    }

    /**
     * Creates a fresh file's part file, once. Its journal is created by the first {@link #flush} (a part file
     * without one is trusted for nothing: the next run starts it over), so a small file fetched whole and
     * committed never has one.
     */
    private synchronized FileChannel channel() throws IOException {
        if (closed) {
            throw new IOException(part + ": closed");
        }
        if (channel == null) {
            // A journal left from a run for another plan went in open(); this one's is written by the first flush.
            channel = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        } else if (!channel.isOpen()) {
            // Closed by an interrupt of a thread that used it (see io): what was written is in the file.
            channel = FileChannel.open(part, StandardOpenOption.READ, StandardOpenOption.WRITE);
        }
        return channel;
    }

    /** An operation on the part file's channel. */
    private interface ChannelOp<T> {
        T on(FileChannel ch) throws IOException;
    }

    /**
     * Runs {@code op} on the channel with the calling thread's interrupt set aside (restored after), and again
     * on a reopened channel if another thread's interrupt closed it meanwhile. Positional reads and writes
     * and {@code force} are safe to repeat.
     */
    private <T> T io(ChannelOp<T> op) throws IOException {
        boolean interrupted = Thread.interrupted();
        try {
            for (int attempt = 1; ; attempt++) {
                FileChannel ch = channel();
                try {
                    return op.on(ch);
                } catch (ClosedChannelException e) {
                    interrupted |= Thread.interrupted();
                    if (attempt >= 3 || isClosed()) {
                        throw e;
                    }
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private synchronized boolean isClosed() {
        return closed;
    }

    private static List<Integer> recheck(FileChannel ch, FilePlan plan, List<Integer> pieces) throws IOException {
        List<Integer> good = new ArrayList<>();
        ByteBuffer buf = ByteBuffer.allocate(plan.pieceLength());
        MessageDigest md = digest(plan.pieceHash(0).algorithm());
        for (int p : pieces) {
            buf.clear().limit(plan.pieceLength(p));
            long pos = plan.pieceStart(p);
            while (buf.hasRemaining()) {
                if (ch.read(buf, pos + buf.position()) < 0) {
                    break;
                }
            }
            if (buf.hasRemaining()) {
                continue;
            }
            md.reset();
            md.update(buf.array(), 0, plan.pieceLength(p));
            if (plan.pieceHash(p).matches(md.digest())) {
                good.add(p);
            }
        }
        return good;
    }

    /** The journal's first line: the plan it belongs to (size, piece length, a hash of every hash). */
    static String header(FilePlan plan) {
        MessageDigest md = digest(HashAlgorithm.SHA_256);
        md.update((plan.size() + "/" + plan.pieceLength() + "/").getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; plan.hasPieceHashes() && i < plan.pieceCount(); i++) {
            md.update(plan.pieceHash(i).toString().getBytes(StandardCharsets.US_ASCII));
        }
        if (plan.fileHash() != null) {
            md.update(plan.fileHash().toString().getBytes(StandardCharsets.US_ASCII));
        }
        return MAGIC + " size=" + plan.size() + " piece=" + plan.pieceLength() + " plan="
                + HexFormat.of().formatHex(md.digest(), 0, 16);
    }

    /**
     * A new digest of {@code a}: a copy of one made once per algorithm (a file of a download makes one or two,
     * and each lookup through the security providers cost a cold JVM tens of microseconds, a few milliseconds
     * for 200 files on the download's own thread). The first ones are never updated, so copying them from
     * several threads at once is safe. The live client's one way to make a digest.
     */
    public static MessageDigest digest(HashAlgorithm a) {
        MessageDigest first = FIRST_DIGESTS.computeIfAbsent(a, PartFile::lookUp);
        try {
            return (MessageDigest) first.clone();
        } catch (CloneNotSupportedException e) {
            return lookUp(a); // a provider whose digests cannot be copied
        }
    }

    private static final java.util.Map<HashAlgorithm, MessageDigest> FIRST_DIGESTS =
            new java.util.concurrent.ConcurrentHashMap<>();

    private static MessageDigest lookUp(HashAlgorithm a) {
        try {
            return MessageDigest.getInstance(a.jdkName());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(a.jdkName() + " missing from this JDK", e);
        }
    }

    public Path target() {
        return target;
    }

    public FilePlan plan() {
        return plan;
    }

    /** Pieces found verified on disk when the file was opened. */
    public List<Integer> resumedPieces() {
        return resumed;
    }

    public synchronized boolean isWritten(int piece) {
        return written.get(piece);
    }

    /**
     * Writes a verified piece unless a copy of it is already written: {@link #claim} then {@link #store}.
     *
     * @return true if this call wrote it
     */
    public boolean writePiece(int piece, byte[] data, int length, byte[] sha256, String mirror) throws IOException {
        if (!claim(piece)) {
            return false;
        }
        store(piece, data, length, sha256, mirror);
        return true;
    }

    /**
     * Claims a verified piece for writing: true for the first copy, false when another copy is claimed or
     * written already. A claimed piece must then be {@link #store stored}; until it is, {@link #commit} and
     * {@link #wholeHash} wait for it. (A transfer reports a piece and frees its connection as soon as the
     * piece is claimed, and writes it after.)
     */
    public boolean claim(int piece) throws IOException {
        synchronized (this) {
            if (closed) {
                throw new IOException(part + ": closed");
            }
            if (written.get(piece)) {
                return false;
            }
            written.set(piece); // no other copy is written, even while this one is in progress
            inFlight++;
            return true;
        }
    }

    /**
     * The most of a piece written at once. The JDK writes a heap buffer through a direct one of the same size,
     * kept by the writing thread: whole pieces of 16 MiB, stored by several transfer threads, took 16 MiB of
     * direct memory each (whose limit is the heap's size) and ran a 96 MiB heap out of it.
     */
    static final int WRITE_SLICE = 256 << 10;

    /**
     * Writes a claimed piece's bytes. {@code sha256} of its bytes and the mirror it came from are kept for
     * finding a bad mirror when only a whole-file hash exists. On failure the claim is released.
     */
    public void store(int piece, byte[] data, int length, byte[] sha256, String mirror) throws IOException {
        if (length != plan.pieceLength(piece)) {
            synchronized (this) {
                written.clear(piece);
                inFlight--;
                notifyAll();
            }
            throw new IllegalArgumentException("piece " + piece + " is " + plan.pieceLength(piece) + " bytes, got " + length);
        }
        ByteBuffer buf = ByteBuffer.wrap(data, 0, 0);
        long pos = plan.pieceStart(piece);
        try {
            io(ch -> {
                while (buf.limit() < length) {
                    buf.limit(Math.min(length, buf.limit() + WRITE_SLICE));
                    while (buf.hasRemaining()) {
                        ch.write(buf, pos + buf.position());
                    }
                }
                return null;
            });
        } catch (IOException | RuntimeException e) {
            synchronized (this) {
                written.clear(piece);
                inFlight--;
                notifyAll();
            }
            throw e;
        }
        synchronized (this) {
            pending.set(piece);
            stored.set(piece);
            if (pieceSha256 != null) {
                pieceSha256[piece] = sha256;
                pieceSource[piece] = mirror;
            }
            inFlight--;
            notifyAll();
        }
        // Here, while the bytes are at hand: a piece next in order costs no read-back, and at the file's end
        // only what came out of order is left to hash, on the path to the download's end.
        advanceWholeHash(piece, data);
    }

    /** Whether every piece is stored: the file waits only for its whole-file check and {@link #commit}. */
    public synchronized boolean allStored() {
        return stored.cardinality() == plan.pieceCount();
    }

    /** Waits until every claimed piece is stored (or its write failed). */
    public synchronized void awaitWrites() throws IOException {
        while (inFlight > 0) {
            try {
                wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException(part + ": interrupted waiting for a write");
            }
        }
    }

    /** Forces written pieces to disk, then journals them. Returns how many were journaled. */
    public int flush() throws IOException {
        BitSet toJournal;
        synchronized (this) {
            if (closed || pending.isEmpty()) {
                return 0;
            }
            toJournal = (BitSet) pending.clone();
            pending.clear();
        }
        try {
            io(ch -> {
                ch.force(false);
                return null;
            });
            synchronized (this) {
                if (journalOut == null) {
                    journalOut = Files.newBufferedWriter(journal, StandardCharsets.ISO_8859_1, StandardOpenOption.CREATE,
                            StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
                    if (header == null) {
                        header = header(plan);
                    }
                    journalOut.write(header);
                    journalOut.write('\n');
                }
                for (int p = toJournal.nextSetBit(0); p >= 0; p = toJournal.nextSetBit(p + 1)) {
                    journalOut.write("p " + p + "\n");
                }
                journalOut.flush();
            }
            try (FileChannel jc = FileChannel.open(journal, StandardOpenOption.WRITE)) {
                jc.force(false);
            }
        } catch (IOException e) {
            // A full disk, say: these pieces are journaled by a later flush, if one succeeds. What the failed
            // write left of a line is never trusted: a later write runs it into a malformed line, and a last
            // line without its newline is dropped when the journal is read.
            synchronized (this) {
                pending.or(toJournal);
            }
            throw e;
        }
        return toJournal.cardinality();
    }

    /**
     * The whole-file hash reads stored pieces back through one buffer per thread: a buffer of a piece's length
     * per call was 174 MB of garbage over a 280 MB, 200-file fetch (19 young collections of the run instead of 2).
     */
    private static final ThreadLocal<ByteBuffer> WHOLE_HASH_BUFFER = ThreadLocal.withInitial(() -> ByteBuffer.allocate(256 << 10));

    /** Held by the thread feeding the whole-file digest ({@link #feedWholeHash}). */
    private final ReentrantLock wholeLock = new ReentrantLock();

    /**
     * Feeds the whole-file digest with the pieces stored in order from the start, as far as they go: piece
     * {@code piece}, just stored, from {@code data}, the others read back (from the page cache, usually). Every
     * {@link #store} calls it, so that little or nothing is left to hash when the file's last piece arrives. A
     * thread that finds another one feeding the digest leaves the work to it: that one looks again once it lets
     * go, and finds every piece stored before this one tried.
     */
    private void advanceWholeHash(int piece, byte[] data) throws IOException {
        if (whole == null) {
            return;
        }
        do {
            if (!wholeLock.tryLock()) {
                return;
            }
            try {
                feedWholeHash(piece, data);
            } finally {
                wholeLock.unlock();
            }
        } while (nextInOrderStored());
    }

    private synchronized boolean nextInOrderStored() {
        return !closed && wholeCursor < plan.pieceCount() && stored.get(wholeCursor);
    }

    /** Feeds the whole-file digest as far as the stored pieces go; the caller holds {@link #wholeLock}. */
    private void feedWholeHash(int piece, byte[] data) throws IOException {
        while (true) {
            int p;
            synchronized (this) {
                p = wholeCursor;
                if (closed || p >= plan.pieceCount() || !stored.get(p)) {
                    return;
                }
            }
            if (p == piece) {
                whole.update(data, 0, plan.pieceLength(p));
            } else {
                feedStoredPiece(p);
            }
            synchronized (this) {
                wholeCursor = p + 1;
            }
        }
    }

    /** Reads stored piece {@code p} back into the whole-file digest. */
    private void feedStoredPiece(int p) throws IOException {
        ByteBuffer buf = WHOLE_HASH_BUFFER.get();
        long pos = plan.pieceStart(p);
        long end = pos + plan.pieceLength(p);
        while (pos < end) {
            long at = pos;
            buf.clear().limit((int) Math.min(buf.capacity(), end - pos));
            int n = io(ch -> ch.read(buf, at));
            if (n < 0) {
                throw new IOException(part + ": shorter than piece " + p);
            }
            whole.update(buf.array(), 0, n);
            pos += n;
        }
    }

    /** The whole-file digest (of the plan's whole-file hash algorithm), once every piece is written. */
    public byte[] wholeHash() throws IOException {
        if (whole == null) {
            throw new IllegalStateException(plan.name() + ": the plan has no whole-file hash");
        }
        awaitWrites();
        wholeLock.lock();
        try {
            feedWholeHash(-1, null);
            synchronized (this) {
                if (wholeCursor < plan.pieceCount()) {
                    throw new IOException(part + ": piece " + wholeCursor + " is not written yet");
                }
            }
            return whole.digest();
        } finally {
            wholeLock.unlock();
        }
    }

    /** The whole file's digest of that algorithm, reading it from disk. */
    public byte[] hashAll(HashAlgorithm a) throws IOException {
        awaitWrites();
        channel(); // a file with nothing written yet is read as what it is: empty
        MessageDigest md = digest(a);
        try (InputStream in = Files.newInputStream(part)) {
            byte[] buf = new byte[1 << 16];
            long left = plan.size();
            while (left > 0) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                if (n < 0) {
                    throw new IOException(part + ": shorter than " + plan.size() + " bytes");
                }
                md.update(buf, 0, n);
                left -= n;
            }
        }
        return md.digest();
    }

    /** The SHA-256 of a piece as written in this run, or null (kept only for a plan with a whole-file hash alone). */
    public synchronized byte[] pieceSha256(int piece) {
        return pieceSha256 == null ? null : pieceSha256[piece];
    }

    /** The mirror a piece written in this run came from, or null (as {@link #pieceSha256}). */
    public synchronized String pieceSource(int piece) {
        return pieceSource == null ? null : pieceSource[piece];
    }

    /** Sets the part file to the plan's size (a file with a zero-length tail is still complete). */
    public void truncateToSize() throws IOException {
        awaitWrites();
        io(ch -> {
            if (ch.size() > plan.size()) {
                ch.truncate(plan.size());
            } else if (ch.size() < plan.size() && plan.size() > 0) {
                ch.write(ByteBuffer.allocate(1), plan.size() - 1);
            }
            return null;
        });
    }

    /**
     * Moves the verified part file to its final name atomically and deletes the journal. The caller has
     * checked the whole-file hash.
     */
    public void commit() throws IOException {
        awaitWrites();
        synchronized (this) {
            // Not journaled: the journal goes with the rename below. Before it, a crash costs the refetch of
            // these pieces; journaling them cost two more forced writes per file (200 small files: 0.1 s).
            pending.clear();
        }
        truncateToSize();
        io(ch -> {
            ch.force(true);
            return null;
        });
        close();
        Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        Files.deleteIfExists(journal);
    }

    /** Deletes the part file and its journal (a copy that failed its whole-file hash). */
    public void discard() throws IOException {
        close();
        Files.deleteIfExists(part);
        Files.deleteIfExists(journal);
    }

    @Override
    public void close() throws IOException {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        if (channel == null) {
            return; // never written: nothing was created
        }
        try {
            if (journalOut != null) {
                journalOut.close();
            }
        } finally {
            channel.close();
        }
    }

    /** Whether a previous run left a journal for {@code target}. */
    public static boolean hasJournal(Path target) {
        return Files.exists(journalOf(target));
    }

    static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (NoSuchFileException ignored) {
            // gone already
        } catch (IOException ignored) {
            // best effort
        }
    }
}
