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

    /**
     * Creates {@code folder} and what is missing above it; returns the topmost folder it made (null when
     * {@code folder} was there), for {@link #removeIfEmpty}.
     */
    static Path create(Path folder) throws java.io.IOException {
        Path abs = folder.toAbsolutePath().normalize();
        Path top = null;
        for (Path q = abs; q != null && !Files.exists(q); q = q.getParent()) {
            top = q;
        }
        Files.createDirectories(abs);
        return top;
    }

    /**
     * Removes what {@link #create} made for {@code folder} up to {@code top}, as long as it is empty: a command
     * refused after it made its target folder leaves none behind. Best effort.
     */
    static void removeIfEmpty(Path folder, Path top) {
        if (top == null) {
            return;
        }
        for (Path q = folder.toAbsolutePath().normalize(); q != null && q.startsWith(top); q = q.getParent()) {
            try {
                Files.delete(q); // fails on a folder that is not empty: then so are those above it
            } catch (java.io.IOException e) {
                return;
            }
        }
    }
}
