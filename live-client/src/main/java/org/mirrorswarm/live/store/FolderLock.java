package org.mirrorswarm.live.store;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * One download at a time in a target folder, as apt and yum lock theirs: two fetches writing the same
 * {@code NAME.part} would each undo the other (a run that starts a file over truncates the part file the
 * other is writing; its journal is replaced under it; one renames the file the other then fails to), and
 * every file they share would fail with a verdict that blames the source.
 *
 * <p>The lock is {@code .mirrorswarm-lock} in the folder, locked (an OS file lock, released by the OS when
 * the process dies, {@code kill -9} included) and deleted on release, so the folder is left as it was. A
 * second fetch does not wait: it is told who holds the folder. A folder where no file can be created (read
 * only) is not locked: nothing can be written there by either; nor is one on a file system without locks.
 */
public final class FolderLock implements Closeable {
    /** The lock file's name in the target folder. */
    public static final String NAME = ".mirrorswarm-lock";

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private FolderLock(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /** Another fetch holds the folder. */
    public static final class Busy extends StorageException {
        public Busy(String message) {
            super(message);
        }
    }

    /**
     * Takes the lock of {@code dir} (which exists), or throws {@link Busy} naming the process that holds it.
     * Returns null when no lock file can be made there (a read-only folder) or the file system has no locks.
     */
    public static FolderLock take(Path dir) throws IOException {
        Path file = dir.resolve(NAME);
        for (int attempt = 0; attempt < 8; attempt++) {
            Object before = fileKey(file);
            FileChannel ch;
            try {
                ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            } catch (AccessDeniedException e) {
                return null;
            } catch (FileSystemException e) {
                if (e.getMessage() != null && e.getMessage().contains("Read-only file system")) {
                    return null;
                }
                throw e;
            }
            FileLock l;
            try {
                l = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                l = null; // this process holds it: another download of the same JVM
            } catch (IOException e) {
                // A file system without locks (some NFS set-ups: "No locks available"): go on unlocked, as apt
                // cannot lock there either.
                ch.close();
                Files.deleteIfExists(file);
                return null;
            }
            if (l == null) {
                String holder = firstWord(ch);
                ch.close();
                throw new Busy(dir + ": another mirrorswarm fetch is downloading into this folder"
                        + (holder.isEmpty() ? "" : " (process " + holder + ")") + "; run this one when it ends, or use "
                        + "another folder (-d)");
            }
            // The holder before us deletes the file as it lets go: if it did so after we looked, ours may be a lock
            // on a file no one else can see. The name must still lead to the file we looked at. (Checked by its
            // attributes: opening the file again and closing it would drop the lock, as POSIX locks go.)
            Object after = fileKey(file);
            if (before != null && before.equals(after)) {
                ch.truncate(0);
                ch.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
                return new FolderLock(file, ch, l);
            }
            l.release();
            ch.close(); // made it just now, or it was replaced: look again
        }
        throw new Busy(dir + ": could not take the folder's lock " + NAME + " (it keeps being replaced)");
    }

    /** The file's identity (device and inode), or null if it does not exist. */
    private static Object fileKey(Path file) throws IOException {
        try {
            Object key = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
            return key != null ? key : file; // a file system without keys: the name alone
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private static String firstWord(FileChannel ch) {
        try {
            ByteBuffer b = ByteBuffer.allocate(64);
            ch.read(b, 0);
            String s = new String(b.array(), 0, b.position(), StandardCharsets.US_ASCII).strip();
            int sp = s.indexOf(' ');
            String pid = sp < 0 ? s : s.substring(0, sp);
            return pid.matches("[0-9]{1,10}") ? pid : "";
        } catch (IOException e) {
            return "";
        }
    }

    /** Deletes the lock file, then lets go of it. */
    @Override
    public void close() throws IOException {
        try {
            Files.deleteIfExists(file);
        } finally {
            try {
                lock.release();
            } finally {
                channel.close();
            }
        }
    }
}
