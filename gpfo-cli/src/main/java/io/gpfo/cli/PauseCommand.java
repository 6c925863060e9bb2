package io.gpfo.cli;

import picocli.CommandLine.Command;

@Command(name = "pause", mixinStandardHelpOptions = true, description = "Maintenance mode: the agents on both hosts stop acting.")
final class PauseCommand extends NotBuiltYet {
}
