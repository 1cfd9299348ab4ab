package org.mirrorswarm.cli;

import java.io.PrintWriter;

/**
 * Entry point of the runnable jar. No picocli type appears in this class: the launcher resolves its method
 * signatures when it looks up {@code main}, and picocli's classes (built for Java 5) cannot live in the
 * class-data archive, so a plain {@code fetch} would read and verify them from the jar for nothing.
 * The command line itself is {@link Cli}.
 */
public final class Main {
    private Main() {
    }

    /** How every out-of-memory line ends. */
    private static final String GIVE_MORE = "give Java more, e.g. JAVA_OPTS=-Xmx8g";
    /** How every internal-error line ends without MIRRORSWARM_DEBUG. */
    private static final String FOR_DETAILS = " (set MIRRORSWARM_DEBUG=1 for details)";
    /** What is said when even the full message cannot be made. */
    private static final String OUT_OF_MEMORY = "mirrorswarm: out of memory: " + GIVE_MORE;

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        Thread.setDefaultUncaughtExceptionHandler(new Uncaught());
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        int code;
        try {
            FetchCommand quick = begin(args);
            code = quick != null ? run(quick, out, err) : Cli.commandLine(out, err).execute(args);
        } catch (Error e) { // by now unwound: what the command held is garbage
            code = failed(e, err);
        }
        out.flush();
        err.flush();
        System.exit(code);
    }

    /**
     * An error that ended the command, in one line: out of memory (also when it surfaces as another error, a
     * service that could not be loaded for want of memory), else an internal error (a bug, a broken
     * installation). Made without {@link java.util.Formatter}, whose locale data may be what could not load.
     */
    static int failed(Error e, PrintWriter err) {
        boolean debug = System.getenv("MIRRORSWARM_DEBUG") != null;
        OutOfMemoryError memory = memory(e);
        try {
            if (memory != null) {
                err.println("mirrorswarm: out of memory (" + memory.getMessage() + "; the heap may grow to "
                        + (Runtime.getRuntime().maxMemory() >> 20) + " MiB): " + GIVE_MORE);
            } else {
                err.println("mirrorswarm: internal error: " + e + (debug ? "" : FOR_DETAILS));
            }
            if (debug) {
                e.printStackTrace(err);
            }
        } catch (OutOfMemoryError still) { // the heap held by threads still running: the words alone
            err.println(memory != null ? OUT_OF_MEMORY : "mirrorswarm: internal error");
        }
        return ExitCodes.FAILED;
    }

    /** The out-of-memory error {@code e} is or was caused by, else null. */
    private static OutOfMemoryError memory(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof OutOfMemoryError o) {
                return o;
            }
        }
        return null;
    }

    /**
     * A thread of the command's ended by what it did not catch: one line naming it, not a stack trace. (The
     * threads a command waits for hand their errors to it, which reports them; head starts drop theirs. What
     * is left is said here, a long-running tracker's threads included.)
     */
    static final class Uncaught implements Thread.UncaughtExceptionHandler {
        @Override
        public void uncaughtException(Thread t, Throwable e) {
            if (System.getenv("MIRRORSWARM_DEBUG") != null) {
                System.err.print("Exception in thread \"" + t.getName() + "\" ");
                e.printStackTrace();
                return;
            }
            OutOfMemoryError memory = memory(e);
            try {
                System.err.println(memory != null
                        ? "mirrorswarm: out of memory on thread " + t.getName() + " (" + memory.getMessage() + "): "
                                + GIVE_MORE
                        : "mirrorswarm: internal error on thread " + t.getName() + ": " + e + FOR_DETAILS);
            } catch (OutOfMemoryError still) {
                System.err.println(memory != null ? OUT_OF_MEMORY : "mirrorswarm: internal error");
            }
        }
    }

    /**
     * What every command line does first (the warm-up run too, so that the class-data archive holds the classes
     * and lambdas of these steps): a fetch's Metalink read ahead and its digest warmed up on threads of their
     * own; the plain {@code fetch} read without picocli ({@link FetchArgs}; null for anything else) and its TLS
     * set up early.
     */
    static FetchCommand begin(String[] args) {
        MetalinkPrefetch.start(args);
        if (args.length > 0 && args[0].equals("fetch")) {
            FetchCommand.warmUpDigest();
        }
        FetchCommand quick = FetchArgs.read(args);
        if (quick != null) {
            // Long before the read-ahead meets its first https URL (it is still loading its XML parser), so
            // that a --ca-certificate here keeps it from setting up the system's TLS as well (httpsAhead).
            quick.startTls();
        }
        return quick;
    }

    /** Runs a {@code fetch} read by {@link FetchArgs}, with the same handling of failures as the command line. */
    static int run(FetchCommand fetch, PrintWriter out, PrintWriter err) {
        fetch.out = out;
        fetch.err = err;
        try {
            return fetch.call();
        } catch (Exception e) {
            return failed(e, err);
        }
    }

    /**
     * A command's failure as one line: exit code 2 for a {@link UserException}, 1 for anything else (a target
     * folder another fetch holds, a download that could not go on).
     */
    static int failed(Exception ex, PrintWriter err) {
        boolean debug = System.getenv("MIRRORSWARM_DEBUG") != null;
        if (ex instanceof UserException) {
            err.println("mirrorswarm: " + ex.getMessage());
            if (debug) {
                ex.printStackTrace(err);
            }
            return ExitCodes.USAGE;
        }
        if (ex instanceof org.mirrorswarm.live.store.StorageException || ex instanceof Failure) { // says all there is to say
            err.println("mirrorswarm: " + ex.getMessage());
            return ExitCodes.FAILED;
        }
        err.println("mirrorswarm: " + ex.getClass().getSimpleName()
                + (ex.getMessage() == null ? "" : ": " + ex.getMessage())
                + (debug ? "" : FOR_DETAILS));
        if (debug) {
            ex.printStackTrace(err);
        }
        return ExitCodes.FAILED;
    }
}
