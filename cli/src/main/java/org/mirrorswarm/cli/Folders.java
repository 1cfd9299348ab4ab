package org.mirrorswarm.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/** Checks of the folders a command is told to write into, made before anything is computed or written. */
final class Folders {
    private Folders() {
    }

    /**
     * Refuses a folder {@code folder} that is a file or lies under one, for {@code option}'s value {@code given}
     * (the folder itself, or a file to be written in it): creating it would fail only after the work was done,
     * with a file system exception instead of a sentence.
     */
    static void refuseFileOnPath(String option, Path given, Path folder) {
        for (Path q = folder.toAbsolutePath(); q != null; q = q.getParent()) {
            if (Files.exists(q)) {
                if (!Files.isDirectory(q)) {
                    throw new UserException(option + " " + given + ": "
                            + (q.equals(given.toAbsolutePath()) ? "" : q + " ") + "is a file, not a folder");
                }
                return;
            }
        }
    }
}
