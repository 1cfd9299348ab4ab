package org.mirrorswarm.cli;

/**
 * An error the user can fix (bad input, unknown id, missing file): reported as one line, exit code 2,
 * no stack trace. The message names the file, line or field at fault.
 */
public final class UserException extends RuntimeException {
    public UserException(String message) {
        super(message);
    }

    public UserException(String message, Throwable cause) {
        super(message, cause);
    }
}
