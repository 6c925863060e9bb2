package io.gpfo.cli;

import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The top-level {@code gpfo} command: global options and the list of subcommands. */
@Command(name = "gpfo",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Keeps a Greenplum cluster's coordinator available: watches it, promotes the standby when it"
                + " is really gone, moves the VIP, and never lets two coordinators serve.",
        subcommands = {
            WatchCommand.class,
            PromoteCommand.class,
            SwitchoverCommand.class,
            RejoinCommand.class,
            VipCommand.class,
            StatusCommand.class,
            HistoryCommand.class,
            CheckCommand.class,
            PauseCommand.class,
            ResumeCommand.class,
            InstallCommand.class,
            UninstallCommand.class,
            SudoersCommand.class,
            ClassArchiveCommand.class,
            CompletionCommand.class,
            HelpCommand.class
        },
        resourceBundle = "io.gpfo.cli.OptionDescriptions",
        exitCodeListHeading = ExitCode.LIST_HEADING,
        exitCodeList = {ExitCode.OK_ENTRY, ExitCode.FAILED_ENTRY, ExitCode.USAGE_ENTRY, ExitCode.REFUSED_ENTRY,
            ExitCode.UNHEALTHY_ENTRY, ExitCode.INTERRUPTED_ENTRY})
public final class GpfoCommand {

    @Option(names = "--config", paramLabel = "FILE", scope = ScopeType.INHERIT,
            description = "Configuration file (default: $GPFO_CONFIG, else /etc/gpfo/gpfo.yaml).")
    Path config;

    @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT, description = "Show stack traces of unexpected errors.")
    boolean verbose;
}
