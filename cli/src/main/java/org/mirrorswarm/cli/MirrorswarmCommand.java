package org.mirrorswarm.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The root command; on its own it prints the help. */
@Command(
        name = "mirrorswarm",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        usageHelpAutoWidth = true,
        description = {
            "A swarm of mirrors: simulate multi-mirror download strategies at scale, and download real files "
                    + "from many HTTP mirrors at once with the same scheduler, verifying every piece.",
            ""
        },
        subcommands = {SimulateCommand.class, ReportCommand.class, FetchCommand.class, MetalinkCommand.class,
                TrackerCommand.class, HeartbeatCommand.class, KeygenCommand.class, SignCommand.class, StrategiesCommand.class,
                WarmUpCommand.class, CommandLine.HelpCommand.class},
        footerHeading = "%nExit codes:%n",
        footer = {
            "  0  success",
            "  1  the run failed (a download could not complete, a simulation aborted)",
            "  2  bad usage or bad input (unknown option, invalid file, unknown strategy id)"
        })
public final class MirrorswarmCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return ExitCodes.OK;
    }
}
