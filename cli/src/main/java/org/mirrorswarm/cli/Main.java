package org.mirrorswarm.cli;

import java.io.PrintWriter;
import picocli.CommandLine;

/** Entry point of the runnable jar and of in-process tests. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        MetalinkPrefetch.start(args);
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        FetchCommand quick = FetchArgs.read(args);
        int code = quick != null ? run(quick, out, err) : commandLine(out, err).execute(args);
        out.flush();
        err.flush();
        System.exit(code);
    }

    /**
     * The {@code mirrorswarm} command line writing to {@code out} and {@code err}: usage errors and user
     * errors become one line on {@code err} and exit code 2, other failures one line and exit code 1 —
     * never a stack trace unless {@code MIRRORSWARM_DEBUG} is set.
     */
    public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new MirrorswarmCommand());
        cl.setOut(out);
        cl.setErr(err);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine c = ex.getCommandLine();
            c.getErr().println("mirrorswarm: " + ex.getMessage());
            CommandLine.UnmatchedArgumentException.printSuggestions(ex, c.getErr());
            c.getErr().println("Try '" + c.getCommandSpec().qualifiedName() + " --help' for more information.");
            return ExitCodes.USAGE;
        });
        cl.setExecutionExceptionHandler((ex, c, parsed) -> failed(ex, c.getErr()));
        return cl;
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

    /** A command's failure as one line: exit code 2 for a {@link UserException}, 1 for anything else. */
    private static int failed(Exception ex, PrintWriter err) {
        boolean debug = System.getenv("MIRRORSWARM_DEBUG") != null;
        if (ex instanceof UserException) {
            err.println("mirrorswarm: " + ex.getMessage());
            if (debug) {
                ex.printStackTrace(err);
            }
            return ExitCodes.USAGE;
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
