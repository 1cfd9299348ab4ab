package org.mirrorswarm.cli;

/** The exit codes of every {@code mirrorswarm} command. */
public final class ExitCodes {
    /** Success. */
    public static final int OK = 0;
    /** The run failed: a download could not complete, a simulation or server aborted. */
    public static final int FAILED = 1;
    /** Bad usage or bad input: unknown option, invalid file, unknown strategy id. */
    public static final int USAGE = 2;

    private ExitCodes() {
    }
}
