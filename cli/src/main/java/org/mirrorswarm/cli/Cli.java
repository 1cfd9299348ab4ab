package org.mirrorswarm.cli;

import java.io.PrintWriter;
import picocli.CommandLine;

/** The picocli command line of {@code mirrorswarm}, for {@link Main} and in-process tests. */
public final class Cli {
    private Cli() {
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
        cl.setExecutionExceptionHandler((ex, c, parsed) -> Main.failed(ex, c.getErr()));
        return cl;
    }
}
