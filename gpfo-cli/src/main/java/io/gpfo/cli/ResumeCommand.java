package io.gpfo.cli;

import picocli.CommandLine.Command;

@Command(name = "resume", mixinStandardHelpOptions = true, description = "Ends maintenance mode.")
final class ResumeCommand extends NotBuiltYet {
}
