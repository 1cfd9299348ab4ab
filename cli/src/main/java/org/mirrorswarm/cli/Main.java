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

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        FetchCommand quick = begin(args);
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        int code;
        try {
            code = quick != null ? run(quick, out, err) : Cli.commandLine(out, err).execute(args);
        } catch (OutOfMemoryError e) { // by now unwound: what the command held is garbage
            err.printf(java.util.Locale.ROOT, "mirrorswarm: out of memory (%s; the heap may grow to %d MiB): give Java "
                    + "more, e.g. JAVA_OPTS=-Xmx8g%n", e.getMessage(), Runtime.getRuntime().maxMemory() >> 20);
            code = ExitCodes.FAILED;
        } catch (StackOverflowError | LinkageError | InternalError e) { // a bug, or a broken installation
            err.println("mirrorswarm: internal error: " + e + (System.getenv("MIRRORSWARM_DEBUG") == null
                    ? " (set MIRRORSWARM_DEBUG=1 for details)" : ""));
            if (System.getenv("MIRRORSWARM_DEBUG") != null) {
                e.printStackTrace(err);
            }
            code = ExitCodes.FAILED;
        }
        out.flush();
        err.flush();
        System.exit(code);
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
                + (debug ? "" : " (set MIRRORSWARM_DEBUG=1 for details)"));
        if (debug) {
            ex.printStackTrace(err);
        }
        return ExitCodes.FAILED;
    }
}
