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
        int code = commandLine(out, err).execute(args);
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
        cl.setExecutionExceptionHandler((ex, c, parsed) -> {
            boolean debug = System.getenv("MIRRORSWARM_DEBUG") != null;
            if (ex instanceof UserException) {
                c.getErr().println("mirrorswarm: " + ex.getMessage());
                if (debug) {
                    ex.printStackTrace(c.getErr());
                }
                return ExitCodes.USAGE;
            }
            c.getErr().println("mirrorswarm: " + ex.getClass().getSimpleName()
                    + (ex.getMessage() == null ? "" : ": " + ex.getMessage())
                    + (debug ? "" : " (set MIRRORSWARM_DEBUG=1 for details)"));
            if (debug) {
                ex.printStackTrace(c.getErr());
            }
            return ExitCodes.FAILED;
        });
        return cl;
    }
}
