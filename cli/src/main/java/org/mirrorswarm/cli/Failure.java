package org.mirrorswarm.cli;

import java.io.IOException;
import java.nio.file.FileSystemException;

/**
 * A run that could not finish, for a reason its message says in full (which file or folder, and why): one
 * line, exit code 1, no exception class name and no stack trace.
 */
public final class Failure extends RuntimeException {
    public Failure(String message, Throwable cause) {
        super(message, cause);
    }

    /** Why a write failed, in the system's words: "No space left on device", "Permission denied". */
    static String why(IOException e) {
        Throwable root = org.mirrorswarm.reports.Report.rootCause(e);
        if (root instanceof FileSystemException fs && fs.getReason() != null) {
            return fs.getReason();
        }
        if (root instanceof java.nio.file.NoSuchFileException) {
            return "a folder on the way was removed";
        }
        return root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
    }
}
