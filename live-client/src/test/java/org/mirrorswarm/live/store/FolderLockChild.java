package org.mirrorswarm.live.store;

import java.nio.file.Path;

/**
 * Run in a child JVM by {@link FolderLockTest}: takes the folder's lock, says "locked", and lets go when its
 * standard input closes. Argument: the folder.
 */
public final class FolderLockChild {
    private FolderLockChild() {
    }

    public static void main(String[] args) throws Exception {
        try (FolderLock lock = FolderLock.take(Path.of(args[0]))) {
            System.out.println("locked");
            System.out.flush();
            while (System.in.read() >= 0) {
                // wait for the parent to close our input
            }
        }
    }
}
