package io.gpfo.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help.ColorScheme;
import picocli.CommandLine.Parameters;

/**
 * {@code gpfo help [COMMAND...]}: picocli's own help command takes one name, so {@code gpfo help vip up}
 * showed {@code vip}'s help; this one follows the whole path of names.
 */
@Command(name = "help", helpCommand = true,
        description = "Shows the help of a command, e.g. 'gpfo help vip up' (the same as 'gpfo vip up --help').")
final class HelpCommand implements CommandLine.IHelpCommandInitializable2, Callable<Integer> {

    @Parameters(paramLabel = "COMMAND", arity = "0..*", description = "The command, with its subcommands.")
    List<String> names = List.of();

    private CommandLine self;
    private ColorScheme colors;
    private PrintWriter out;

    @Override
    public void init(CommandLine helpCommandLine, ColorScheme colorScheme, PrintWriter outWriter, PrintWriter errWriter) {
        this.self = helpCommandLine;
        this.colors = colorScheme;
        this.out = outWriter;
    }

    @Override
    public Integer call() {
        CommandLine command = self.getParent();
        for (String name : names) {
            CommandLine sub = command.getSubcommands().get(name);
            if (sub == null) {
                throw new CommandLine.ParameterException(command, "Unknown command '" + String.join(" ", names)
                        + "': '" + command.getCommandName() + "' has no subcommand '" + name + "'");
            }
            command = sub;
        }
        command.usage(out, colors);
        return ExitCode.OK;
    }
}
