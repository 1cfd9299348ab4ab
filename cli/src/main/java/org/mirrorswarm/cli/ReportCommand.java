package org.mirrorswarm.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.mirrorswarm.reports.Charts;
import org.mirrorswarm.reports.Report;
import org.mirrorswarm.reports.TraceReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code mirrorswarm report DIR}: redraws the charts and index.html of an output folder from its CSV files. */
@Command(
        name = "report",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        usageHelpAutoWidth = true,
        description = {
            "Redraws charts/ and index.html of an output folder from its results.csv, completion-times.csv, "
                    + "mirror-load.csv and mirrors.csv, without simulating again. The old charts are replaced only "
                    + "once the new ones are drawn.",
            "Given the decision trace of a live fetch (fetch --trace FILE), draws each mirror's throughput over "
                    + "time and a table of requests, copies, failures and bad pieces into FILE.report/.",
            ""
        })
public final class ReportCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR|TRACE", description = "An output folder written by 'mirrorswarm simulate', "
            + "or a trace written by 'mirrorswarm fetch --trace'.")
    Path dir;

    @Override
    public Integer call() throws IOException {
        if (Files.isRegularFile(dir)) {
            if (!TraceReport.isTrace(dir)) {
                throw new UserException(dir + ": neither an output folder nor a mirrorswarm trace");
            }
            requireFonts();
            try {
                Path page = TraceReport.render(dir, Version.version());
                spec.commandLine().getOut().println("report: " + page);
                return ExitCodes.OK;
            } catch (IllegalArgumentException e) {
                throw new UserException(e.getMessage(), e);
            }
        }
        if (!Files.isDirectory(dir)) {
            throw new UserException(dir + ": no such output folder or trace file");
        }
        requireFonts();
        Report.Rendered r;
        try {
            r = Report.render(dir, Version.version());
        } catch (IllegalArgumentException e) {
            throw new UserException(e.getMessage(), e);
        } catch (IOException e) {
            throw new Failure(dir + ": could not draw the charts (" + Failure.why(e) + "); the old ones are kept", e);
        }
        spec.commandLine().getOut().println("drew " + r.charts() + " charts; report: " + r.index());
        return ExitCodes.OK;
    }

    private static void requireFonts() {
        String fonts = Charts.fontProblem();
        if (fonts != null) {
            throw new UserException(fonts);
        }
    }
}
